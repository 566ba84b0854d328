import { lazy, Suspense, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Redirect, Route, Switch, useLocation } from 'wouter'
import { useSession } from './session'
import { homeFor, isAdmin, isStaff } from '../features/auth/api/auth.api'
import { LoginPage, nextPath } from '../features/auth/components/LoginPage'
import { ForgotPasswordPage } from '../features/auth/components/ForgotPasswordPage'
import { SetPasswordPage } from '../features/auth/components/SetPasswordPage'
import { SetupPage } from '../features/auth/components/SetupPage'
import { Spinner } from '../ui/Feedback'
import { NotFoundPage } from './NotFoundPage'

// Each area is its own chunk: the agent console's first load carries neither portal nor admin.
// The area of the address being opened starts downloading at once, alongside the session check.
const loadAgent = () => import('./AgentApp')
const loadAdmin = () => import('../features/admin/AdminApp')
const loadPortal = () => import('../features/portal/PortalApp')
const AgentApp = lazy(loadAgent)
const AdminApp = lazy(loadAdmin)
const PortalApp = lazy(loadPortal)
const area = window.location.pathname.split('/')[1]
if (area === 'agent') void loadAgent()
else if (area === 'admin') void loadAdmin()
else if (area === 'portal') void loadPortal()

/**
 * Signed-in only; otherwise to /login?next=… (plain /login right after signing out). `allow`
 * narrows by role (others go to their home).
 */
function Guard({ allow, children }: { allow?: (u: NonNullable<ReturnType<typeof useSession>['user']>) => boolean; children: ReactNode }) {
  const { user, signedOut } = useSession()
  const [location] = useLocation()
  if (!user) return <Redirect to={signedOut ? '/login' : `/login?next=${encodeURIComponent(location + window.location.search)}`} replace />
  if (allow && !allow(user)) return <Redirect to={homeFor(user)} replace />
  return <>{children}</>
}

/**
 * Signed-out only. A signed-in user goes to ?next= (a path on this site) or their home — this is
 * also how the login form lands: it stores the session, and this redirect runs once React has it.
 */
function PublicOnly({ children }: { children: ReactNode }) {
  const { user } = useSession()
  if (user) return <Redirect to={nextPath(window.location.search) ?? homeFor(user)} replace />
  return <>{children}</>
}

/** Routing by role: customers → /portal, staff → /agent, admins also /admin. */
export function App() {
  const { user, loading } = useSession()
  const { t } = useTranslation()
  if (loading) return <div className="boot"><Spinner label={t('common.loading')} /></div>
  return (
    <>
      <a href="#main" className="skip-link">{t('common.skipToContent')}</a>
      <Suspense fallback={<div className="boot"><Spinner /></div>}>
        <Switch>
          <Route path="/login"><PublicOnly><LoginPage /></PublicOnly></Route>
          <Route path="/forgot-password"><ForgotPasswordPage /></Route>
          <Route path="/set-password"><SetPasswordPage /></Route>
          <Route path="/setup"><SetupPage /></Route>
          <Route path="/agent/*?"><Guard allow={isStaff}><AgentApp /></Guard></Route>
          <Route path="/admin/*?"><Guard allow={isAdmin}><AdminApp /></Guard></Route>
          <Route path="/portal/*?"><Guard><PortalApp /></Guard></Route>
          <Route path="/">{user ? <Redirect to={homeFor(user)} replace /> : <Redirect to="/login" replace />}</Route>
          <Route><NotFoundPage /></Route>
        </Switch>
      </Suspense>
    </>
  )
}
