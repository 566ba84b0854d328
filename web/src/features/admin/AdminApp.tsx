import { useTranslation } from 'react-i18next'
import { Link, Redirect, Route, Switch, useLocation } from 'wouter'
import { StaffLayout } from '../../app/StaffLayout'
import { UsersAdmin } from './components/UsersAdmin'
import { TeamsAdmin } from './components/TeamsAdmin'
import { OrganizationsAdmin } from './components/OrganizationsAdmin'
import { ImportAdmin } from './components/ImportAdmin'
import { TokensAdmin } from './components/TokensAdmin'
import { AuditAdmin } from './components/AuditAdmin'
import { JobsAdmin } from './components/JobsAdmin'
import { TypesAdmin } from './components/TypesAdmin'
import { CustomFieldsAdmin } from './components/CustomFieldsAdmin'
import { CategoriesAdmin } from './components/CategoriesAdmin'
import { StatusesAdmin } from './components/StatusesAdmin'
import { SlaPoliciesAdmin } from './components/SlaPoliciesAdmin'
import { SlaCalendarsAdmin } from './components/SlaCalendarsAdmin'
import { SlaSimulator } from './components/SlaSimulator'
import { SlaCutoffsAdmin } from './components/SlaCutoffsAdmin'
import { MailboxesAdmin } from './components/MailboxesAdmin'
import { EmailTemplatesAdmin } from './components/EmailTemplatesAdmin'
import { EmailLogAdmin } from './components/EmailLogAdmin'
import { SettingsAdmin } from './components/SettingsAdmin'

const SECTIONS = [
  ['users', 'admin.users.title'], ['teams', 'admin.teams.title'], ['organizations', 'admin.orgs.title'], ['import', 'admin.import.title'],
  ['ticket-types', 'admin.types.title'], ['custom-fields', 'admin.fields.title'], ['categories', 'admin.categories.title'], ['statuses', 'admin.statuses.title'],
  ['sla-policies', 'sla.policies.title'], ['sla-calendars', 'sla.calendars.title'], ['sla-cutoffs', 'sla.cutoffs.title'], ['sla-simulator', 'sla.sim.title'],
  ['mailboxes', 'email.mailboxes.title'], ['email-templates', 'email.templates.title'], ['email-log', 'email.log.title'],
  ['settings', 'admin.settings.title'], ['tokens', 'admin.tokens.title'], ['audit', 'admin.audit.title'], ['jobs', 'admin.jobs.title'],
] as const

/** Administration (admins only; its own chunk): users, teams, organizations, import, ticket configuration, SLA, email, settings, tokens, audit log, jobs. */
export default function AdminApp() {
  const { t } = useTranslation()
  const [location] = useLocation()
  const sidebar = (
    <>
      <h2 id="admin-nav-h">{t('nav.admin')}</h2>
      <ul aria-labelledby="admin-nav-h">
        {SECTIONS.map(([id, key]) => (
          <li key={id}><Link href={`/admin/${id}`} aria-current={location.startsWith(`/admin/${id}`) ? 'page' : undefined}>{t(key)}</Link></li>
        ))}
      </ul>
    </>
  )
  return (
    <StaffLayout sidebar={sidebar} sidebarLabel={t('nav.admin')}>
      <div className="page">
        <Switch>
          <Route path="/admin/users"><UsersAdmin /></Route>
          <Route path="/admin/teams"><TeamsAdmin /></Route>
          <Route path="/admin/organizations"><OrganizationsAdmin /></Route>
          <Route path="/admin/import"><ImportAdmin /></Route>
          <Route path="/admin/settings"><SettingsAdmin /></Route>
          <Route path="/admin/tokens"><TokensAdmin /></Route>
          <Route path="/admin/audit"><AuditAdmin /></Route>
          <Route path="/admin/jobs"><JobsAdmin /></Route>
          <Route path="/admin/ticket-types"><TypesAdmin /></Route>
          <Route path="/admin/custom-fields"><CustomFieldsAdmin /></Route>
          <Route path="/admin/categories"><CategoriesAdmin /></Route>
          <Route path="/admin/statuses"><StatusesAdmin /></Route>
          <Route path="/admin/sla-policies"><SlaPoliciesAdmin /></Route>
          <Route path="/admin/sla-calendars"><SlaCalendarsAdmin /></Route>
          <Route path="/admin/sla-cutoffs"><SlaCutoffsAdmin /></Route>
          <Route path="/admin/sla-simulator"><SlaSimulator /></Route>
          <Route path="/admin/mailboxes"><MailboxesAdmin /></Route>
          <Route path="/admin/email-templates"><EmailTemplatesAdmin /></Route>
          <Route path="/admin/email-log"><EmailLogAdmin /></Route>
          <Route><Redirect to="/admin/users" replace /></Route>
        </Switch>
      </div>
    </StaffLayout>
  )
}
