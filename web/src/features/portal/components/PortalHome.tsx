import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useLocation } from 'wouter'
import { useSession } from '../../../app/session'
import { usePageTitle } from '../../../ui/usePageTitle'

/** Home: one search box (a ticket number jumps to it), and the two things people come for. */
export function PortalHome() {
  const { t } = useTranslation()
  const { user } = useSession()
  const [, navigate] = useLocation()
  const [q, setQ] = useState('')
  usePageTitle(t('portal.home.title'))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const text = q.trim()
    if (!text) return
    const n = /^#?(\d{1,12})$/.exec(text)
    navigate(n ? `/portal/tickets/${n[1]}` : `/portal/tickets?q=${encodeURIComponent(text)}`)
  }
  return (
    <div className="stack">
      <h1>{t('portal.home.greeting', { name: user?.name ?? '' })}</h1>
      <form role="search" className="hero-search" onSubmit={submit}>
        <label htmlFor="portal-search" className="sr-only">{t('portal.home.searchLabel')}</label>
        <input id="portal-search" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('portal.home.searchPlaceholder')} />
        <button type="submit" className="btn btn-primary">{t('common.search')}</button>
      </form>
      <div className="call-grid">
        <Link href="/portal/new" className="card" style={{ textDecoration: 'none' }}><h2>{t('portal.nav.newTicket')}</h2><p className="muted">{t('portal.home.newHint')}</p></Link>
        <Link href="/portal/tickets" className="card" style={{ textDecoration: 'none' }}><h2>{t('portal.nav.myTickets')}</h2><p className="muted">{t('portal.home.myHint')}</p></Link>
      </div>
    </div>
  )
}
