import type { FastifyPluginAsync } from 'fastify'
import { ticketsRoutes } from './tickets.routes'
import { ticketExportRoutes } from './export/export.routes'
import { ticketViewsRoutes } from './views/views.routes'
import { ticketTypesRoutes } from './admin/ticket-types.routes'
import { categoriesRoutes } from './admin/categories.routes'
import { customFieldsRoutes } from './admin/custom-fields.routes'
import { statusesRoutes } from './admin/statuses.routes'
import { ticketSettingsRoutes } from './admin/ticket-settings.routes'
import { contactSearchRoutes } from './contacts/contacts.routes'

/** The tickets module: one plugin registering all its routes (app.ts registers it from modules/index.ts). */
export const ticketsModule: FastifyPluginAsync = async (app) => {
  await app.register(ticketsRoutes)
  await app.register(ticketExportRoutes)
  await app.register(ticketViewsRoutes)
  await app.register(ticketTypesRoutes)
  await app.register(categoriesRoutes)
  await app.register(customFieldsRoutes)
  await app.register(statusesRoutes)
  await app.register(ticketSettingsRoutes)
  await app.register(contactSearchRoutes)
}
