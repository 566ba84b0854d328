import { lazy } from 'react'
import { Route, Switch } from 'wouter'
import { StaffLayout } from './StaffLayout'
import { AccountPage } from '../features/auth/components/AccountPage'
import { InboxPage } from '../features/tickets/components/InboxPage'
import { NotFoundPage } from './NotFoundPage'
import { useLiveUpdates } from './live'

const TicketPage = lazy(() => import('../features/tickets/components/TicketPage'))
const CallCapturePage = lazy(() => import('../features/calls/components/CallCapturePage'))
const SearchPage = lazy(() => import('../features/search/components/SearchPage'))

/** The agent console: inbox (first load), ticket page, call capture, search and account. */
export default function AgentApp() {
  useLiveUpdates()
  return (
    <Switch>
      <Route path="/agent/tickets/:number">{(p) => <StaffLayout><TicketPage number={p.number} /></StaffLayout>}</Route>
      <Route path="/agent/new-call"><StaffLayout><CallCapturePage /></StaffLayout></Route>
      <Route path="/agent/search"><StaffLayout><SearchPage /></StaffLayout></Route>
      <Route path="/agent/account"><StaffLayout><AccountPage /></StaffLayout></Route>
      <Route path="/agent/views/:view"><InboxPage /></Route>
      <Route path="/agent"><InboxPage /></Route>
      <Route><StaffLayout><NotFoundPage /></StaffLayout></Route>
    </Switch>
  )
}
