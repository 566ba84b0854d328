import type { FastifyPluginAsync } from 'fastify'
import './email.permissions'
import './email.messages'
import './email.settings'
import './email.jobs'
import { mailboxesRoutes } from './mailboxes/mailboxes.routes'
import { templatesRoutes } from './templates/templates.routes'
import { emailAdminRoutes } from './admin/email-admin.routes'
import { ticketEmailsRoutes } from './admin/ticket-emails.routes'
import { notificationPrefsRoutes } from './admin/notification-prefs.routes'
import { actionsRoutes } from './actions/actions.routes'

/** The email channel's HTTP surface: admin (mailboxes, templates, outbox), ticket mail for staff, one-click links. */
export const emailRoutes: FastifyPluginAsync = async (app) => {
  await app.register(mailboxesRoutes)
  await app.register(templatesRoutes)
  await app.register(emailAdminRoutes)
  await app.register(ticketEmailsRoutes)
  await app.register(notificationPrefsRoutes)
  await app.register(actionsRoutes)
}
