import { sql } from 'kysely'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import './tickets.permissions'
import './tickets.messages'
import './tickets.events'
import { requireActor } from '../../platform/auth/access'
import type { Actor } from '../../platform/auth/actor'
import { inTransaction, type Executor } from '../../platform/db/database'
import { AppError, ForbiddenError } from '../../platform/http/errors'
import { IdParams, errorResponses } from '../../platform/http/schemas'
import { t } from '../../platform/i18n/messages'
import { authorize } from './tickets.policy'
import {
  AddCallBody, AddCommentBody, AddCommentResponse, BulkBody, BulkResponse, CommentList, CountsQuery, CreateTicketBody, HistoryList, ListQuery,
  NumberParams, PageQuery, Ticket, TicketCounts, TicketList, UpdateTicketBody,
} from './tickets.schemas'
import { Type } from 'typebox'
import type { CreateTicketInput } from './commands/create-ticket'
import { createTicketBatches } from './commands/create-batches'
import { updateTicket, type UpdateTicketInput } from './commands/update-ticket'
import { addComment, type AddCommentInput } from './commands/add-comment'
import { addCall, type AddCallInput } from './commands/add-call'
import type { ChangeStatusInput } from './commands/change-status'
import { loadTicket, loadTicketByNumber, type TicketRow } from './queries/load-ticket'
import { getTicketDetail, loadTicketDetail, type TicketDetail } from './queries/get-ticket-detail'
import { listTickets } from './queries/list-tickets'
import { countTickets } from './queries/count-tickets'
import { listComments } from './queries/list-comments'
import { listHistory, presentHistory } from './queries/list-history'
import { visibleTicketIds } from './queries/visible-ticket-ids'
import { requestedFilters, type TicketListQuery } from './queries/requested-filters'
import { presentComment, presentTicket, presentTicketListItem } from './tickets.presenter'
import { loadCommentAttachments, loadExtraTicketFields } from './tickets.extensions'
import { allFieldsByKey } from './custom-fields/custom-field-defs'

type ListQueryT = TicketListQuery
type UpdateBodyT = Omit<UpdateTicketInput, 'status'> & { status?: string } & Omit<ChangeStatusInput, 'status'>

const MAX_BULK = 200

/** Splits PATCH's flat body into field changes and an optional status change. */
function splitUpdate(body: UpdateBodyT): UpdateTicketInput {
  const { status, cancelReason, cancelNote, duplicateOfId, thirdParty, thirdPartyRef, ...fields } = body
  return { ...fields, ...(status ? { status: { status, cancelReason, cancelNote, duplicateOfId, thirdParty, thirdPartyRef } } : {}) }
}

/** Loads a ticket the actor may see, else 404 (never telling an invisible ticket from a missing one). */
async function visibleTicket(db: Executor, actor: Actor, id: string): Promise<TicketRow> {
  const ticket = await loadTicket(db, id)
  authorize(actor, 'view', ticket)
  return ticket as TicketRow
}

/** Loads comments by id and shapes them for the actor, with attachments when part B provides them. */
async function presentCommentsById(db: Executor, actor: Actor, ids: string[]) {
  if (!ids.length) return []
  const rows = (await sql<Parameters<typeof presentComment>[0]>`
    select c.id, c.ticket_id, c.author_id, u.name as author_name, u.role as author_role, c.internal, c.channel, c.body_text, c.body_html,
      c.mentions, c.created_at from comments c left join users u on u.id = c.author_id where c.id = any(${ids}::uuid[])
      ${actor.role === 'customer' ? sql`and not c.internal` : sql``} order by c.created_at, c.id`.execute(db)).rows
  return presentComments(db, actor, rows)
}

/** Shapes comment rows for the actor, with attachments when part B provides them. */
async function presentComments(db: Executor, actor: Actor, rows: Array<Parameters<typeof presentComment>[0]>) {
  const attachments = await loadCommentAttachments(db, actor, rows.map((r) => r.id))
  return rows.map((r) => ({ ...presentComment(r, actor), ...(attachments ? { attachments: attachments.get(r.id) ?? [] } : {}) }))
}

/** Tickets: create, list / search / count, detail, update, conversation, history, calls, bulk. */
export const ticketsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  const creates = createTicketBatches(ctx)
  const cmd = (request: FastifyRequest) => ({ actor: requireActor(request), now: ctx.now() })
  const related = (db: Executor, actor: Actor, { ticket: t }: TicketDetail) =>
    visibleTicketIds(db, actor, [t.duplicate_of_id, t.merged_into_id, t.follow_up_of_id])
  const present = async (db: Executor, actor: Actor, d: TicketDetail, lang: 'es' | 'en') => ({
    ...presentTicket(d, actor, lang, await related(db, actor, d), ctx.now()),
    ...(await loadExtraTicketFields(db, actor, [d.ticket.id], ctx.now())).get(d.ticket.id),
  })
  const detail = async (db: Executor, actor: Actor, ticket: TicketRow, lang: 'es' | 'en') => present(db, actor, await getTicketDetail(db, ticket), lang)
  /** A ticket just written by this request: read with its names in one statement. */
  const written = async (db: Executor, actor: Actor, id: string, lang: 'es' | 'en') => present(db, actor, (await loadTicketDetail(db, id))!, lang)

  app.post('/api/v1/tickets', {
    config: { access: 'tickets.create' },
    schema: { tags: ['tickets'], summary: 'Crear un ticket', body: CreateTicketBody, response: { 201: Ticket, ...errorResponses } },
  }, async (request, reply) => {
    const actor = requireActor(request)
    const { detail: d, extra } = await creates.create({ actor, input: request.body as CreateTicketInput })
    return reply.status(201).send({ ...presentTicket(d, actor, request.lang, await related(ctx.db, actor, d), ctx.now()), ...extra })
  })

  app.get('/api/v1/tickets', {
    config: { access: 'tickets.read' },
    schema: { tags: ['tickets'], summary: 'Listar, filtrar y buscar tickets', querystring: ListQuery, response: { 200: TicketList, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const query = request.query as ListQueryT
    const { filters, sort: viewSort } = await requestedFilters(ctx.db, actor, query)
    const now = ctx.now()
    const result = await listTickets(ctx.db, actor, {
      filters, q: query.q, sort: query.sort ?? viewSort, cursor: query.cursor, limit: query.limit ?? 25, now,
    })
    const extra = await loadExtraTicketFields(ctx.db, actor, result.rows.map((r) => r.id), now)
    // Customers see customer-visible custom fields only: one small query for the page, staff skip it.
    const defs = actor.role === 'customer' && result.rows.some((r) => r.custom_fields && Object.keys(r.custom_fields).length)
      ? await allFieldsByKey(ctx.db) : undefined
    return {
      items: result.rows.map((r) => ({ ...presentTicketListItem(r, actor, request.lang, defs), ...extra.get(r.id) })),
      nextCursor: result.nextCursor, exactMatch: result.exactMatch,
    }
  })

  app.get('/api/v1/tickets/counts', {
    config: { access: 'tickets.read' },
    schema: { tags: ['tickets'], summary: 'Conteo de tickets por estatus (tablero)', querystring: CountsQuery, response: { 200: TicketCounts, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const query = request.query as ListQueryT
    const { filters } = await requestedFilters(ctx.db, actor, query)
    return countTickets(ctx.db, actor, filters, request.lang, { now: ctx.now(), q: query.q })
  })

  app.get('/api/v1/tickets/by-number/:number', {
    config: { access: 'tickets.read' },
    schema: { tags: ['tickets'], summary: 'Ver un ticket por su número', params: NumberParams, response: { 200: Ticket, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const ticket = await loadTicketByNumber(ctx.db, (request.params as { number: number }).number)
    authorize(actor, 'view', ticket)
    return detail(ctx.db, actor, ticket as TicketRow, request.lang)
  })

  app.get('/api/v1/tickets/:id', {
    config: { access: 'tickets.read' },
    schema: { tags: ['tickets'], summary: 'Ver un ticket', params: IdParams, response: { 200: Ticket, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const d = await loadTicketDetail(ctx.db, (request.params as { id: string }).id)
    authorize(actor, 'view', d?.ticket ?? null)
    return present(ctx.db, actor, d!, request.lang)
  })

  app.patch('/api/v1/tickets/:id', {
    config: { access: 'tickets.update' },
    schema: { tags: ['tickets'], summary: 'Actualizar un ticket (campos, asignación, estatus)', params: IdParams, body: UpdateTicketBody, response: { 200: Ticket, ...errorResponses } },
  }, async (request) => {
    const c = cmd(request)
    const { id } = request.params as { id: string }
    await inTransaction(ctx.db, (trx) => updateTicket(trx, c, id, splitUpdate(request.body as UpdateBodyT)))
    return written(ctx.db, c.actor, id, request.lang)
  })

  app.get('/api/v1/tickets/:id/comments', {
    config: { access: 'tickets.read' },
    schema: { tags: ['tickets'], summary: 'Conversación del ticket (sin notas internas para clientes)', params: IdParams, querystring: PageQuery, response: { 200: CommentList, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const ticket = await visibleTicket(ctx.db, actor, (request.params as { id: string }).id)
    const q = request.query as { cursor?: string; limit?: number }
    const page = await listComments(ctx.db, actor, ticket.id, { cursor: q.cursor, limit: q.limit ?? 50, includeInternal: actor.role !== 'customer' })
    return { items: await presentComments(ctx.db, actor, page.items), nextCursor: page.nextCursor }
  })

  app.post('/api/v1/tickets/:id/comments', {
    config: { access: 'tickets.comment' },
    schema: { tags: ['tickets'], summary: 'Responder o agregar una nota interna', params: IdParams, body: AddCommentBody, response: { 201: AddCommentResponse, ...errorResponses } },
  }, async (request, reply) => {
    const c = cmd(request)
    const { id } = request.params as { id: string }
    const body = request.body as AddCommentInput & { status?: ChangeStatusInput }
    // Mentions (which notify staff) and the channel are the agents' to give; a customer's reply moves the status by itself.
    if (c.actor.role === 'customer') {
      for (const field of ['mentions', 'channel'] as const) {
        if (body[field] !== undefined) throw new ForbiddenError('tickets.field_forbidden', { field })
      }
    }
    const result = await inTransaction(ctx.db, (trx) => addComment(trx, c, id, body))
    const [comment] = result.commentId ? await presentCommentsById(ctx.db, c.actor, [result.commentId]) : []
    return reply.status(201).send({ comment: comment ?? null, followUpTicket: result.followUp })
  })

  app.get('/api/v1/tickets/:id/history', {
    config: { access: 'tickets.read' },
    schema: { tags: ['tickets'], summary: 'Historial del ticket', params: IdParams, querystring: PageQuery, response: { 200: HistoryList, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const ticket = await visibleTicket(ctx.db, actor, (request.params as { id: string }).id)
    const q = request.query as { cursor?: string; limit?: number }
    const page = await listHistory(ctx.db, actor, ticket.id, { cursor: q.cursor, limit: q.limit ?? 50 })
    return { items: page.items.map((h) => presentHistory(h, actor)), nextCursor: page.nextCursor }
  })

  app.post('/api/v1/tickets/:id/calls', {
    config: { access: 'tickets.calls' },
    schema: {
      tags: ['tickets'], summary: 'Registrar una llamada sobre el ticket', params: IdParams, body: AddCallBody,
      response: { 201: Type.Object({ callCount: Type.Integer() }), ...errorResponses },
    },
  }, async (request, reply) => {
    const c = cmd(request)
    const { id } = request.params as { id: string }
    const result = await inTransaction(ctx.db, (trx) => addCall(trx, c, id, request.body as AddCallInput))
    return reply.status(201).send({ callCount: result.callCount })
  })

  app.post('/api/v1/tickets/bulk', {
    config: { access: 'tickets.bulk' },
    schema: { tags: ['tickets'], summary: 'Actualizar muchos tickets (resultado por ticket)', body: BulkBody, response: { 200: BulkResponse, ...errorResponses } },
  }, async (request) => {
    const c = cmd(request)
    const body = request.body as { ids: string[]; changes: UpdateBodyT }
    if (body.ids.length > MAX_BULK) throw new AppError(400, 'validation_failed', 'tickets.bulk.too_many', { max: MAX_BULK })
    const changes = splitUpdate(body.changes)
    const results = []
    // One transaction per ticket: one ticket's refusal does not undo the others.
    for (const id of [...new Set(body.ids)]) {
      try {
        const r = await inTransaction(ctx.db, (trx) => updateTicket(trx, c, id, changes))
        results.push({ id, ok: true, changed: r.changed })
      } catch (err) {
        if (!(err instanceof AppError)) throw err
        results.push({ id, ok: false, error: { code: err.code, message: t(request.lang, err.messageKey, err.params) } })
      }
    }
    return { results }
  })
}
