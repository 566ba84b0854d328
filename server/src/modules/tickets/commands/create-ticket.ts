import { randomUUID } from 'node:crypto'
import type { Actor } from '../../../platform/auth/actor'
import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import { ForbiddenError, ValidationError } from '../../../platform/http/errors'
import type { Channel, ExternalRefKind, Priority } from '../../../../../common/src/tickets/tickets.types'
import { recordTicketEvents } from './record-ticket-event'
import { appendHistoryOf, type CommandContext } from '../history/append-history'
import { prepareBody } from '../content/message-body'
import { missingRequired, validateCustomFields } from '../custom-fields/validate-custom-fields'
import { loadTicket } from '../queries/load-ticket'
import { changeStatus } from './change-status'
import { findOrCreateRequester, type RequesterInput } from './find-or-create-requester'
import { checkOrganization, checkSite, normaliseTags, resolveUser, type CategoryRow } from './lookups'
import { activeTypeId, fieldsFor, loadCreateLookups, pickType, type CreateLookups, type TicketLookups } from './create-lookups'
import { claimNewTicketAttachments } from '../tickets.extensions'

export interface ExternalRefInput { kind: ExternalRefKind; provider?: string | null; value: string }

export interface CreateTicketInput {
  subject: string
  description?: string
  descriptionHtml?: string
  /** Type code or id; default: the category's type, else the admin default (consulta). */
  type?: string
  categoryId?: string | null
  priority?: Priority
  channel?: Channel
  requesterId?: string
  /** A caller's contact, found or created on the fly (staff only). */
  requester?: RequesterInput
  organizationId?: string | null
  siteId?: string | null
  assigneeId?: string | null
  teamId?: string | null
  supportLevel?: number | null
  tags?: string[]
  watcherIds?: string[]
  customFields?: Record<string, unknown>
  externalRefs?: ExternalRefInput[]
  /** The call this ticket was opened on (call centre): counts as its first call. */
  callId?: string
  /** Staff may file straight into another status (e.g. resolved on first contact). */
  status?: string
  /** Set by addComment when a reply to a closed ticket opens a follow-up. */
  followUpOfId?: string
  /**
   * With followUpOfId: the closed ticket's field values, carried over as they are (a reply must
   * never be refused because of the old ticket's form). Not part of any request body.
   */
  inheritedCustomFields?: Record<string, unknown>
  /** Files the creator staged beforehand (POST /api/v1/attachments); they go with the description. */
  attachmentIds?: string[]
}

const STAFF_ONLY: Array<keyof CreateTicketInput> = ['priority', 'requesterId', 'requester', 'organizationId', 'assigneeId', 'teamId',
  'supportLevel', 'tags', 'watcherIds', 'externalRefs', 'callId', 'status', 'channel']

/** One ticket to file and the command it comes from (a batch may mix actors). */
export interface CreateTicketRequest { ctx: CommandContext; input: CreateTicketInput }

/**
 * Files a ticket. Omitted type / priority / category take the category's and then the admin's
 * defaults (consulta, normal, none), so subject + description is enough. Validates custom fields,
 * records the `created` history row and a `ticket.created` event in the caller's transaction, and
 * claims the creator's staged files (`attachmentIds`: 404 unless each is theirs and unclaimed).
 */
export async function createTicket(trx: Trx, ctx: CommandContext, input: CreateTicketInput): Promise<{ id: string; number: number }> {
  return (await createTickets(trx, [{ ctx, input }]))[0]
}

/**
 * createTicket for several tickets in the caller's transaction, with the statements a plain
 * ticket needs shared by all of them: one lookup, one insert of the tickets, one of their history
 * rows, one of their events (and one SLA computation). All or nothing: the first bad request
 * throws its error and the caller's transaction is rolled back. Answers in the requests' order.
 */
export async function createTickets(trx: Trx, requests: readonly CreateTicketRequest[]): Promise<Array<{ id: string; number: number }>> {
  for (const { ctx, input } of requests) {
    if (ctx.actor.role !== 'customer') continue
    for (const f of STAFF_ONLY) {
      if (input[f] !== undefined && !(f === 'requesterId' && input.requesterId === ctx.actor.id)) throw new ForbiddenError('tickets.field_forbidden', { field: f })
    }
  }
  const requesterIdOf = ({ ctx, input }: CreateTicketRequest) =>
    ctx.actor.role === 'customer' ? ctx.actor.id : input.requesterId ?? (input.requester ? null : ctx.actor.id)
  const lookups = await loadCreateLookups(trx, requests.map((r) => ({
    categoryId: r.input.categoryId, userId: requesterIdOf(r), teamId: r.input.teamId, assigneeId: r.input.assigneeId ?? null,
  })))
  const prepared = []
  for (const [i, request] of requests.entries()) prepared.push(await prepareTicket(trx, request, lookups, lookups.each[i], requesterIdOf(request)))

  const rows = await trx.insertInto('tickets').values(prepared.map((p) => p.values))
    .returning(['id', 'number', 'status', 'requester_id', 'organization_id', 'assignee_id', 'team_id'])
    .returning(sql<boolean>`coalesce((select o.shares_tickets from organizations o where o.id = tickets.organization_id), false)`.as('org_shares_tickets'))
    .execute()
  const rowById = new Map(rows.map((r) => [r.id, r]))
  const created = prepared.map((p) => ({ ...p, row: rowById.get(p.values.id)! }))

  for (const { request: { ctx, input }, row } of created) await addParticipants(trx, ctx, input, row.id)
  await appendHistoryOf(trx, created.map(({ request: { ctx }, row, summary }) => ({
    ctx, entry: { ticketId: row.id, action: 'created', newValue: { ...summary, status: 'new' } },
  })))
  await recordTicketEvents(trx, created.map(({ request: { ctx, input }, row, summary, requester, teamId, assigneeId }) => ({
    ctx, ticketId: row.id, type: 'ticket.created', current: row,
    payload: {
      number: row.number, channel: summary.channel, typeCode: summary.type, priority: summary.priority, categoryId: summary.categoryId,
      requesterId: summary.requesterId, assigneeId, teamId, followUpOfId: input.followUpOfId ?? null,
      requesterCreated: 'created' in requester ? requester.created : false,
    },
  })))

  for (const { request: { ctx, input }, row, requiresEvidence, missingFields } of created) {
    // Staged files join the description (no statement at all without them).
    const attached = input.attachmentIds?.length ? await claimNewTicketAttachments(trx, ctx, { ticketId: row.id, attachmentIds: input.attachmentIds }) : 0
    // R6: a type that needs evidence starts waiting for information until the requester sends it,
    // unless the evidence came with the ticket; so does a mailed-in ticket its form's required fields are missing from.
    const initial = input.status ?? ((requiresEvidence && attached === 0) || missingFields ? 'pending' : null)
    if (initial && initial !== 'new') {
      const ticket = await loadTicket(trx, row.id, { forUpdate: true })
      const sys = input.status ? ctx : { ...ctx, actor: { ...ctx.actor, via: 'system' as const } }
      await changeStatus(trx, sys, row.id, { status: initial }, { ticket: ticket!, skipAuthorize: true })
    }
  }
  return created.map(({ row }) => ({ id: row.id, number: row.number }))
}

/**
 * The assignee of a ticket filed without one: none, except that an agent restricted to their
 * teams' or their assigned tickets who files one their scope would not show them (no team of
 * theirs) is its assignee — they would lose sight of it the moment it was filed.
 */
function ownTicketOfRestrictedAgent(actor: Actor, teamId: string | null): string | null {
  if (actor.role !== 'agent' || actor.via === 'system' || actor.ticketScope === 'all') return null
  if (actor.ticketScope === 'teams' && teamId && actor.teamIds.includes(teamId)) return null
  return actor.id
}

/** Checks one request against the lookups and gives its tickets row (with a new id) and what its history and event say. */
async function prepareTicket(trx: Trx, request: CreateTicketRequest, shared: CreateLookups, lookups: TicketLookups, requesterUserId: string | null) {
  const { ctx, input } = request
  const { actor } = ctx
  const { settings } = shared
  // A follow-up keeps the closed ticket's category and type unless an admin has retired them since.
  const followUp = input.followUpOfId !== undefined
  // The system (mail intake) files what it was sent and cannot fill the form: a request is never lost
  // because of it. Missing required fields make the ticket wait for them (pending) instead of a 400.
  // (A mailbox's retired type or category still fails the message: kept as failed, reprocessed once
  // an admin fixes the mailbox.)
  const formless = actor.via === 'system'
  const categoryId = input.categoryId !== undefined ? input.categoryId : settings.defaultCategoryId
  let category: CategoryRow | null = null
  if (categoryId) {
    // `active` is the category's and all its ancestors' (create-lookups).
    category = lookups.category
    if (!category || !category.active) {
      if (!followUp) throw new ValidationError('tickets.unknown_category', {}, [{ field: 'categoryId', rule: 'exists' }])
      category = null
    }
  }
  const categoryType = activeTypeId(shared.types, category?.default_type_id)
  const type = followUp && !activeTypeId(shared.types, input.type)
    ? pickType(shared.types, categoryType ?? settings.defaultTypeCode)
    : pickType(shared.types, input.type ?? categoryType ?? settings.defaultTypeCode)
  const priority = input.priority ?? category?.default_priority ?? settings.defaultPriority
  const teamId = input.teamId !== undefined ? input.teamId : category?.default_team_id ?? null
  if (teamId && !lookups.team) throw new ValidationError('tickets.unknown_team', {}, [{ field: 'teamId', rule: 'exists' }])
  const team = teamId ? lookups.team : null
  if (input.assigneeId && !lookups.assignee) throw new ValidationError('tickets.assignee_not_staff', {}, [{ field: 'assigneeId', rule: 'staff' }])
  const assigneeId = input.assigneeId !== undefined ? input.assigneeId : ownTicketOfRestrictedAgent(actor, team?.id ?? null)

  let requester: { id: string; organization_id: string | null; site_id: string | null; created?: boolean }
  if (requesterUserId) {
    if (!lookups.user) throw new ValidationError('tickets.unknown_user', { field: 'requesterId' }, [{ field: 'requesterId', rule: 'exists' }])
    requester = lookups.user
  } else requester = await findOrCreateRequester(trx, ctx, input.requester!)

  const organizationId = input.organizationId !== undefined ? input.organizationId : requester.organization_id
  if (input.organizationId) await checkOrganization(trx, input.organizationId)
  let siteId = input.siteId ?? null
  if (siteId) await checkSite(trx, siteId, organizationId)
  else if (requester.site_id && input.siteId === undefined) siteId = requester.site_id

  const defs = fieldsFor(shared.fields, type.id)
  const { values } = followUp
    ? { values: Object.fromEntries(Object.entries(input.inheritedCustomFields ?? {}).filter(([key]) => defs.some((d) => d.key === key))) }
    : await validateCustomFields(trx, { defs, current: {}, changes: input.customFields ?? {}, actor, requireAll: !formless, organizationId })
  const missingFields = formless && !followUp && missingRequired(defs, values).length > 0
  const body = prepareBody({ text: input.description, html: input.descriptionHtml })
  const channel: Channel = input.channel ?? (actor.via === 'token' ? 'api' : ctx.via === 'email' ? 'email' : 'web')
  const subject = input.subject.trim()
  return {
    request, requester, teamId: team?.id ?? null, assigneeId, requiresEvidence: type.requires_evidence, missingFields,
    summary: { subject, type: type.code, priority, categoryId: category?.id ?? null, channel, requesterId: requester.id },
    values: {
      id: randomUUID(), subject, description: body.text, description_html: body.html, type_id: type.id, category_id: category?.id ?? null,
      priority, status: 'new' as const, channel, requester_id: requester.id, organization_id: organizationId, site_id: siteId,
      assignee_id: assigneeId, team_id: team?.id ?? null, support_level: input.supportLevel ?? team?.level ?? null,
      tags: normaliseTags(input.tags ?? []), custom_fields: JSON.stringify(values), follow_up_of_id: input.followUpOfId ?? null,
      created_by_id: actor.via === 'system' ? null : actor.id, via_token_id: actor.tokenId ?? null,
      created_at: ctx.now, updated_at: ctx.now, status_changed_at: ctx.now, call_count: input.callId !== undefined ? 1 : 0,
    },
  }
}

/** Watchers, external references and the call a new ticket was opened on (no statement without them). */
async function addParticipants(trx: Trx, ctx: CommandContext, input: CreateTicketInput, ticketId: string) {
  const watchers = [...new Set(input.watcherIds ?? [])]
  for (const w of watchers) await resolveUser(trx, w, 'watcherIds')
  if (watchers.length) {
    await sql`insert into ticket_watchers (ticket_id, user_id) select ${ticketId}, unnest(${watchers}::uuid[]) on conflict do nothing`.execute(trx)
  }
  const refs = [...(input.externalRefs ?? [])]
  if (input.callId) refs.push({ kind: 'call_id', value: input.callId })
  for (const r of refs) {
    await sql`insert into ticket_external_refs (ticket_id, kind, provider, value) values (${ticketId}, ${r.kind}, ${r.provider?.trim() || null}, ${r.value.trim()})
      on conflict do nothing`.execute(trx)
  }
  if (input.callId !== undefined) {
    await sql`insert into ticket_calls (ticket_id, call_id, agent_id, at) values (${ticketId}, ${input.callId || null}, ${ctx.actor.id}, ${ctx.now})`.execute(trx)
  }
}
