import { useTranslation } from 'react-i18next'
import { Link, Route, Switch, useLocation } from 'wouter'
import { useSession } from '../../app/session'
import { useLiveUpdates } from '../../app/live'
import { AccountPage } from '../auth/components/AccountPage'
import { LanguageSwitch } from '../auth/components/LanguageSwitch'
import { NotFoundPage } from '../../app/NotFoundPage'
import { PortalHome } from './components/PortalHome'
import { MyTickets } from './components/MyTickets'
import { NewTicketPage } from './components/NewTicketPage'
import { PortalTicketPage } from './components/PortalTicketPage'

/** The customer portal (its own chunk): home search, new ticket, my tickets, ticket page, account. */
export default function PortalApp() {
  const { t } = useTranslation()
  const { user, signOut } = useSession()
  const [location, navigate] = useLocation()
  useLiveUpdates()
  const cur = (p: string, exact = false) => ((exact ? location === p : location === p || location.startsWith(`${p}/`)) ? 'page' : undefined)
  return (
    <div>
      <header className="portal-top">
        <Link href="/portal" className="brand"><span className="brand-mark" aria-hidden="true">A</span> {t('portal.brand')}</Link>
        <nav aria-label={t('nav.sections')}>
          <Link href="/portal" aria-current={cur('/portal', true)}>{t('portal.nav.home')}</Link>
          <Link href="/portal/tickets" aria-current={cur('/portal/tickets')}>{t('portal.nav.myTickets')}</Link>
          <Link href="/portal/new" aria-current={cur('/portal/new')}>{t('portal.nav.newTicket')}</Link>
          <Link href="/portal/account" aria-current={cur('/portal/account')}>{t('portal.nav.account')}</Link>
        </nav>
        <span className="grow" />
        <LanguageSwitch />
        <span className="small muted">{user?.name}</span>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => { void signOut().then(() => navigate('/login', { replace: true })) }}>{t('nav.logout')}</button>
      </header>
      <main id="main" className="portal-main" tabIndex={-1}>
        <Switch>
          <Route path="/portal"><PortalHome /></Route>
          <Route path="/portal/tickets"><MyTickets /></Route>
          {/* Keyed by number: going to another ticket (a follow-up) starts its page afresh. */}
          <Route path="/portal/tickets/:number">{(p) => <PortalTicketPage key={p.number} number={p.number} />}</Route>
          <Route path="/portal/new"><NewTicketPage /></Route>
          <Route path="/portal/account"><AccountPage /></Route>
          <Route><NotFoundPage /></Route>
        </Switch>
      </main>
    </div>
  )
}
