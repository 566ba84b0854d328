import { Type } from 'typebox'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction } from '../../../platform/db/database'
import { IdParams, Page, StrictObject, errorResponses } from '../../../platform/http/schemas'
import { PageQuery } from '../../../platform/http/cursor'
import { Nullable } from '../accounts.schemas'
import { Organization, Tier, findOrganization, listOrganizations, type OrganizationFilters } from './organizations.presenter'
import { createOrganization, deleteOrganization, updateOrganization, type OrganizationInput } from './organizations.commands'

const OrgName = Type.String({ minLength: 1, maxLength: 200 })
const Domain = Type.String({ maxLength: 253, pattern: '^@?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}$' })
const Fields = {
  domains: Type.Optional(Type.Array(Domain, { maxItems: 50, description: 'Email domains of its contacts, e.g. gasolineras-del-norte.mx' })),
  tier: Type.Optional(Tier),
  sharesTickets: Type.Optional(Type.Boolean({ description: 'Organization managers among its contacts see every ticket of the organization' })),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
}
const CreateBody = StrictObject({ name: OrgName, ...Fields })
const UpdateBody = StrictObject({ name: Type.Optional(OrgName), ...Fields })
const ListQuery = StrictObject({ q: Type.Optional(Type.String({ maxLength: 200 })), tier: Type.Optional(Tier), domain: Type.Optional(Type.String({ maxLength: 253 })), ...PageQuery })

/** Organizations (customer companies). Their sites are in sites.routes.ts. */
export const organizationsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  const who = (request: FastifyRequest) => ({ actor: requireActor(request), ip: request.ip })
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id

  app.get('/api/v1/organizations', {
    config: { access: 'organizations.read' },
    schema: { tags: ['organizations'], summary: 'Listar organizaciones (q, tier, domain)', querystring: ListQuery, response: { 200: Page(Organization), ...errorResponses } },
  }, async (request) => listOrganizations(ctx.db, request.query as OrganizationFilters))

  app.get('/api/v1/organizations/:id', {
    config: { access: 'organizations.read' },
    schema: { tags: ['organizations'], summary: 'Ver una organización', params: IdParams, response: { 200: Organization, ...errorResponses } },
  }, async (request) => findOrganization(ctx.db, idOf(request)))

  app.post('/api/v1/organizations', {
    config: { access: 'organizations.manage' },
    schema: { tags: ['organizations'], summary: 'Crear una organización', body: CreateBody, response: { 201: Organization, ...errorResponses } },
  }, async (request, reply) => {
    const id = await inTransaction(ctx.db, (trx) => createOrganization(trx, who(request), request.body as OrganizationInput & { name: string }))
    return reply.status(201).send(await findOrganization(ctx.db, id))
  })

  app.patch('/api/v1/organizations/:id', {
    config: { access: 'organizations.manage' },
    schema: { tags: ['organizations'], summary: 'Cambiar una organización', params: IdParams, body: UpdateBody, response: { 200: Organization, ...errorResponses } },
  }, async (request) => {
    await inTransaction(ctx.db, (trx) => updateOrganization(trx, who(request), idOf(request), request.body as OrganizationInput))
    return findOrganization(ctx.db, idOf(request))
  })

  app.delete('/api/v1/organizations/:id', {
    config: { access: 'organizations.manage' },
    schema: { tags: ['organizations'], summary: 'Eliminar una organización sin contactos ni tickets', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await inTransaction(ctx.db, (trx) => deleteOrganization(trx, who(request), idOf(request)))
    return reply.status(204).send()
  })
}
