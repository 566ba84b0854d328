import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction } from '../../../platform/db/database'
import { IdParams, Ok, StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import { TICKET_SORTS } from '../../../../../common/src/tickets/tickets.types'
import { Nullable } from '../tickets.schemas'
import { createView, deleteView, listViews, presentView, updateView, type ViewInput } from './ticket-views'

const Filters = Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 200 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 })]))
const View = Type.Object({
  id: Uuid, name: Type.String(), scope: Type.Enum(['personal', 'team']), teamId: Nullable(Uuid), filters: Filters,
  sort: Type.String(), position: Type.Integer(), mine: Type.Boolean(), createdAt: Type.String(), updatedAt: Type.String(),
})
const CreateBody = StrictObject({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  teamId: Type.Optional(Nullable(Uuid)),
  filters: Type.Optional(Filters),
  sort: Type.Optional(Type.Enum([...TICKET_SORTS])),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
})
const UpdateBody = StrictObject({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  filters: Type.Optional(Filters),
  sort: Type.Optional(Type.Enum([...TICKET_SORTS])),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
})

/** Saved ticket views: personal per agent, shared per team. Apply one with GET /api/v1/tickets?view=<id>. */
export const ticketViewsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  app.get('/api/v1/ticket-views', {
    config: { access: 'tickets.views' },
    schema: { tags: ['tickets'], summary: 'Mis vistas y las de mis equipos', response: { 200: Type.Object({ items: Type.Array(View) }), ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    return { items: (await listViews(ctx.db, actor)).map((v) => presentView(v, actor)) }
  })

  app.post('/api/v1/ticket-views', {
    config: { access: 'tickets.views.manage' },
    schema: { tags: ['tickets'], summary: 'Guardar una vista', body: CreateBody, response: { 201: View, ...errorResponses } },
  }, async (request, reply) => {
    const actor = requireActor(request)
    const view = await inTransaction(ctx.db, (trx) => createView(trx, actor, request.body as ViewInput & { name: string }, ctx.now(), request.lang))
    return reply.status(201).send(presentView(view, actor))
  })

  app.patch('/api/v1/ticket-views/:id', {
    config: { access: 'tickets.views.manage' },
    schema: { tags: ['tickets'], summary: 'Cambiar una vista', params: IdParams, body: UpdateBody, response: { 200: View, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const view = await inTransaction(ctx.db, (trx) => updateView(trx, actor, (request.params as { id: string }).id, request.body as ViewInput, ctx.now(), request.lang))
    return presentView(view, actor)
  })

  app.delete('/api/v1/ticket-views/:id', {
    config: { access: 'tickets.views.manage' },
    schema: { tags: ['tickets'], summary: 'Eliminar una vista', params: IdParams, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    await inTransaction(ctx.db, (trx) => deleteView(trx, actor, (request.params as { id: string }).id))
    return { ok: true }
  })
}
