import type { FastifyPluginAsync } from 'fastify'
import './accounts.messages'
import { usersRoutes } from './users/users.routes'
import { contactsRoutes } from './contacts/contacts.routes'
import { teamsRoutes } from './teams/teams.routes'
import { organizationsRoutes } from './organizations/organizations.routes'
import { sitesRoutes } from './organizations/sites.routes'
import { importsRoutes } from './imports/imports.routes'
import { apiTokensRoutes } from './api-tokens/api-tokens.routes'

/** Accounts: users, contacts, teams, organizations and their sites, imports, API tokens. */
export const accountsRoutes: FastifyPluginAsync = async (app) => {
  await app.register(usersRoutes)
  await app.register(contactsRoutes)
  await app.register(teamsRoutes)
  await app.register(organizationsRoutes)
  await app.register(sitesRoutes)
  await app.register(importsRoutes)
  await app.register(apiTokensRoutes)
}
