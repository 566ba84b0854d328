import { useEffect } from 'react'

/** Sets the document title ("… · Atiende") so screen-reader users and tabs know where they are. */
export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = title ? `${title} · Atiende` : 'Atiende'
  }, [title])
}
