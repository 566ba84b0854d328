import type { FastifyPluginAsync } from 'fastify'
import '../tickets.messages'
import '../tickets.permissions'
import '../attachments/attachments.permissions'
import './links.messages'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction } from '../../../platform/db/database'
import { NotFoundError, ValidationError } from '../../../platform/http/errors'
import { IdParams, Ok, errorResponses } from '../../../platform/http/schemas'
import { canView } from '../tickets.policy'
import { loadTicket } from '../queries/load-ticket'
import { addLink } from './commands/add-link'
import { removeLink } from './commands/remove-link'
import { mergeTickets } from './commands/merge-tickets'
import { broadcastUpdate } from './commands/broadcast-update'
import { listLinks } from './queries/list-links'
import type { LinkType } from './link-types'
import { AddLinkBody, BroadcastBody, BroadcastResponse, Link, LinkList, LinkParams, MergeBody, MergeResponse } from './links.schemas'

/** Links between tickets, merging, and the major-incident broadcast. */
export const linksRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  const command = (actor: ReturnType<typeof requireActor>) => ({ actor, now: ctx.now() })

  app.get('/api/v1/tickets/:id/links', {
    config: { access: 'tickets.read' },
    schema: { tags: ['links'], summary: 'Tickets vinculados (padre, hijos, relacionados, duplicados), en ambos sentidos', params: IdParams, response: { 200: LinkList, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    const ticket = await loadTicket(ctx.db, id)
    if (!ticket || !canView(actor, ticket)) throw new NotFoundError('tickets.not_found')
    return { items: await listLinks(ctx.db, actor, id) }
  })

  app.post('/api/v1/tickets/:id/links', {
    config: { access: 'tickets.link' },
    schema: {
      tags: ['links'],
      summary: 'Vincular con otro ticket: type parent (el otro es mi padre), child, related, duplicate_of (soy duplicado del otro) o duplicated_by',
      params: IdParams, body: AddLinkBody, response: { 201: Link, ...errorResponses },
    },
  }, async (request, reply) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    const body = request.body as { type: LinkType; ticketId?: string; number?: number }
    if (!body.ticketId && body.number === undefined) throw new ValidationError('links.target_required', {}, [{ field: 'ticketId', rule: 'required' }])
    const link = await inTransaction(ctx.db, (trx) => addLink(trx, command(actor), id, body))
    const items = await listLinks(ctx.db, actor, id)
    return reply.status(201).send(items.find((l) => l.id === link.id))
  })

  app.delete('/api/v1/tickets/:id/links/:linkId', {
    config: { access: 'tickets.link' },
    schema: { tags: ['links'], summary: 'Eliminar un vínculo', params: LinkParams, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const { id, linkId } = request.params as { id: string; linkId: string }
    await inTransaction(ctx.db, (trx) => removeLink(trx, command(actor), id, linkId))
    return { ok: true }
  })

  app.post('/api/v1/tickets/:id/merge', {
    config: { access: 'tickets.merge' },
    schema: {
      tags: ['links'],
      summary: 'Fusionar este ticket en otro (targetId o targetNumber): mueve la conversación y los adjuntos y cancela este como duplicado',
      params: IdParams, body: MergeBody, response: { 200: MergeResponse, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    const body = request.body as { targetId?: string; targetNumber?: number }
    if (!body.targetId && body.targetNumber === undefined) throw new ValidationError('links.target_required', {}, [{ field: 'targetId', rule: 'required' }])
    return inTransaction(ctx.db, (trx) => mergeTickets(trx, command(actor), id, { ticketId: body.targetId, number: body.targetNumber }))
  })

  app.post('/api/v1/tickets/:id/broadcast', {
    config: { access: 'tickets.broadcast' },
    schema: {
      tags: ['links'],
      summary: 'Incidente mayor: publicar una misma respuesta pública en todos los tickets hijos y relacionados',
      params: IdParams, body: BroadcastBody, response: { 200: BroadcastResponse, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    const body = request.body as { body?: string; bodyHtml?: string }
    if (!body.body?.trim() && !body.bodyHtml?.trim()) throw new ValidationError('tickets.empty_body', {}, [{ field: 'body', rule: 'required' }])
    return inTransaction(ctx.db, (trx) => broadcastUpdate(trx, command(actor), id, body))
  })
}
