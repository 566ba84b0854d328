import { useTranslation } from 'react-i18next'
import { Link } from 'wouter'
import { usePageTitle } from '../ui/usePageTitle'

export function NotFoundPage() {
  const { t } = useTranslation()
  usePageTitle(t('notFound.title'))
  return (
    <main id="main" className="page page-narrow">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.body')}</p>
      <p><Link href="/">{t('notFound.home')}</Link></p>
    </main>
  )
}
