import { Type } from 'typebox'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { inTransaction } from '../../../platform/db/database'
import { IdParams, Page, StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import { PageQuery } from '../../../platform/http/cursor'
import { Nullable } from '../accounts.schemas'
import { Site, createSite, deleteSite, findSite, listSites, updateSite, type SiteInput } from './sites.store'

const Code = Type.String({ minLength: 1, maxLength: 32, description: 'The site code customers quote, e.g. a service station number' })
const SiteName = Type.String({ minLength: 1, maxLength: 200 })
const Address = Nullable(Type.String({ maxLength: 500 }))
const CreateBody = StrictObject({ code: Code, name: SiteName, address: Type.Optional(Address) })
const UpdateBody = StrictObject({ code: Type.Optional(Code), name: Type.Optional(SiteName), address: Type.Optional(Address) })
const SiteParams = Type.Object({ id: Uuid, siteId: Uuid }, { additionalProperties: false })
const ListQuery = StrictObject({ q: Type.Optional(Type.String({ maxLength: 200 })), ...PageQuery })

/** Sites (locations) of an organization. */
export const sitesRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  const params = (request: FastifyRequest) => request.params as { id: string; siteId: string }

  app.get('/api/v1/organizations/:id/sites', {
    config: { access: 'organizations.read' },
    schema: { tags: ['organizations'], summary: 'Listar los sitios de una organización (q: código o nombre)', params: IdParams, querystring: ListQuery, response: { 200: Page(Site), ...errorResponses } },
  }, async (request) => listSites(ctx.db, params(request).id, request.query as { q?: string; cursor?: string; limit?: number }))

  app.post('/api/v1/organizations/:id/sites', {
    config: { access: 'organizations.manage' },
    schema: { tags: ['organizations'], summary: 'Agregar un sitio', params: IdParams, body: CreateBody, response: { 201: Site, ...errorResponses } },
  }, async (request, reply) => {
    const orgId = params(request).id
    const id = await inTransaction(ctx.db, (trx) => createSite(trx, orgId, request.body as SiteInput & { code: string; name: string }))
    return reply.status(201).send(await findSite(ctx.db, orgId, id))
  })

  app.get('/api/v1/organizations/:id/sites/:siteId', {
    config: { access: 'organizations.read' },
    schema: { tags: ['organizations'], summary: 'Ver un sitio', params: SiteParams, response: { 200: Site, ...errorResponses } },
  }, async (request) => findSite(ctx.db, params(request).id, params(request).siteId))

  app.patch('/api/v1/organizations/:id/sites/:siteId', {
    config: { access: 'organizations.manage' },
    schema: { tags: ['organizations'], summary: 'Cambiar un sitio', params: SiteParams, body: UpdateBody, response: { 200: Site, ...errorResponses } },
  }, async (request) => {
    const { id, siteId } = params(request)
    await inTransaction(ctx.db, (trx) => updateSite(trx, id, siteId, request.body as SiteInput))
    return findSite(ctx.db, id, siteId)
  })

  app.delete('/api/v1/organizations/:id/sites/:siteId', {
    config: { access: 'organizations.manage' },
    schema: { tags: ['organizations'], summary: 'Eliminar un sitio', params: SiteParams, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    const { id, siteId } = params(request)
    await inTransaction(ctx.db, (trx) => deleteSite(trx, id, siteId))
    return reply.status(204).send()
  })
}
