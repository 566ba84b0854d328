import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction } from '../../../platform/db/database'
import { IdParams, StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import { ApiToken, Scope, createToken, findToken, listTokens, revokeToken } from './api-tokens.store'

const CreateBody = StrictObject({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  scopes: Type.Array(Scope, { minItems: 1, maxItems: 10, uniqueItems: true }),
})
const CreatedToken = Type.Object({ ...ApiToken.properties, token: Type.String({ description: 'The secret: shown only in this answer' }) })
const ListQuery = StrictObject({ userId: Type.Optional(Uuid), includeRevoked: Type.Optional(Type.Boolean()) })

/** API tokens for integrations (Bearer). Everyone manages their own; admins see and revoke all. */
export const apiTokensRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx

  app.get('/api/v1/api-tokens', {
    config: { access: 'api_tokens.manage' },
    schema: { tags: ['api-tokens'], summary: 'Listar tokens de API (propios; el administrador ve todos)', querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(ApiToken) }), ...errorResponses } },
  }, async (request) => ({ items: await listTokens(ctx.db, requireActor(request), request.query as { userId?: string; includeRevoked?: boolean }) }))

  app.post('/api/v1/api-tokens', {
    config: { access: 'api_tokens.manage' },
    schema: { tags: ['api-tokens'], summary: 'Crear un token de API (el secreto se muestra una sola vez)', body: CreateBody, response: { 201: CreatedToken, ...errorResponses } },
  }, async (request, reply) => {
    const actor = requireActor(request)
    const created = await inTransaction(ctx.db, (trx) => createToken(trx, actor, request.body as { name: string; scopes: string[] }, request.ip))
    return reply.status(201).send({ ...(await findToken(ctx.db, actor, created.id)), token: created.token })
  })

  app.delete('/api/v1/api-tokens/:id', {
    config: { access: 'api_tokens.manage' },
    schema: { tags: ['api-tokens'], summary: 'Revocar un token de API', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    const actor = requireActor(request)
    await inTransaction(ctx.db, (trx) => revokeToken(trx, actor, (request.params as { id: string }).id, ctx.now(), request.ip))
    return reply.status(204).send()
  })
}
