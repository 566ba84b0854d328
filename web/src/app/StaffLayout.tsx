import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useLocation } from 'wouter'
import { useSession } from './session'
import { isAdmin } from '../features/auth/api/auth.api'
import { LanguageSwitch } from '../features/auth/components/LanguageSwitch'
import { GlobalSearch } from '../features/search/components/GlobalSearch'

/** Top bar (brand, sections, search, new call, account) and an optional sidebar, for agents and admins. */
export function StaffLayout({ sidebar, sidebarLabel, children }: { sidebar?: ReactNode; sidebarLabel?: string; children: ReactNode }) {
  const { t } = useTranslation()
  const { user, signOut } = useSession()
  const [location, navigate] = useLocation()
  const current = (prefix: string) => (location === prefix || location.startsWith(`${prefix}/`) ? 'page' : undefined)
  const inAgent = location.startsWith('/agent') && !location.startsWith('/agent/new-call') && !location.startsWith('/agent/account')
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/agent" className="brand"><span className="brand-mark" aria-hidden="true">A</span> Atiende</Link>
        <nav className="topnav" aria-label={t('nav.sections')}>
          <Link href="/agent" aria-current={inAgent ? 'page' : undefined}>{t('nav.inbox')}</Link>
          <Link href="/agent/new-call" aria-current={current('/agent/new-call')}>{t('nav.newCall')}</Link>
          {isAdmin(user) ? <Link href="/admin" aria-current={current('/admin')}>{t('nav.admin')}</Link> : null}
        </nav>
        <GlobalSearch />
        <span className="grow" />
        <LanguageSwitch />
        <Link href="/agent/account" aria-current={current('/agent/account')} className="topbar-user" title={user?.name}>{user?.name}</Link>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => { void signOut().then(() => navigate('/login', { replace: true })) }}>{t('nav.logout')}</button>
      </header>
      {sidebar ? (
        <div className="body-with-sidebar">
          <nav className="sidebar" aria-label={sidebarLabel}>{sidebar}</nav>
          <main className="main" id="main" tabIndex={-1}>{children}</main>
        </div>
      ) : (
        <main className="main" id="main" tabIndex={-1}>{children}</main>
      )}
    </div>
  )
}
