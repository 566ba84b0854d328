import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useLocation } from 'wouter'

/** A ticket number typed here (e.g. "11768" or "#11768") jumps straight to it; anything else searches. "/" focuses it. */
export function GlobalSearch() {
  const { t } = useTranslation()
  const [, navigate] = useLocation()
  const [q, setQ] = useState('')
  const ref = useRef<HTMLInputElement>(null)

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null
      if (e.key === '/' && !e.ctrlKey && !e.metaKey && !(target && target.closest('input, textarea, select, [contenteditable="true"]'))) {
        e.preventDefault()
        ref.current?.focus()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const text = q.trim()
    if (!text) return
    const number = /^#?(\d{1,12})$/.exec(text)
    navigate(number ? `/agent/tickets/${number[1]}` : `/agent/search?q=${encodeURIComponent(text)}`)
    setQ('')
    ref.current?.blur()
  }

  return (
    <form role="search" className="topbar-search" onSubmit={submit}>
      <label htmlFor="global-search" className="sr-only">{t('search.label')}</label>
      <input id="global-search" ref={ref} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('search.placeholder')} autoComplete="off" />
      <kbd className="topbar-search-key" aria-hidden="true">/</kbd>
    </form>
  )
}
