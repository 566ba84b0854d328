import type { FastifyPluginAsync } from 'fastify'
import { systemRoutes } from './system/system.routes'
import { authRoutes } from './auth/auth.routes'
import { realtimeRoutes } from './realtime/realtime.routes'
import { accountsRoutes } from './accounts/accounts.routes'
import { adminRoutes } from './admin/admin.routes'
import { ticketsModule } from './tickets/tickets.module'
import { attachmentsRoutes } from './tickets/attachments/attachments.routes'
import { linksRoutes } from './tickets/links/links.routes'
import { ticketImportRoutes } from './tickets/import/import.routes'
import { slaRoutes } from './sla/sla.routes'
import { emailRoutes } from './email/email.routes'

/** Every module's routes, registered in this order by app.ts. Add one line per module. */
export const modules: FastifyPluginAsync[] = [
  systemRoutes,
  authRoutes,
  realtimeRoutes,
  accountsRoutes,
  adminRoutes,
  ticketsModule,
  attachmentsRoutes,
  linksRoutes,
  ticketImportRoutes,
  slaRoutes,
  emailRoutes,
]
