import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import { ForbiddenError, ValidationError } from '../../../platform/http/errors'
import type { Channel, ExternalRefKind, Priority } from '../../../../../common/src/tickets/tickets.types'
import { recordTicketEvent } from './record-ticket-event'
import { appendHistory, type CommandContext } from '../history/append-history'
import { prepareBody } from '../content/message-body'
import { validateCustomFields } from '../custom-fields/validate-custom-fields'
import { loadTicket } from '../queries/load-ticket'
import { changeStatus } from './change-status'
import { findOrCreateRequester, type RequesterInput } from './find-or-create-requester'
import { checkOrganization, checkSite, normaliseTags, resolveUser, type CategoryRow } from './lookups'
import { fieldsFor, loadCreateLookups, pickType } from './create-lookups'
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
  /** Files the creator staged beforehand (POST /api/v1/attachments); they go with the description. */
  attachmentIds?: string[]
}

const STAFF_ONLY: Array<keyof CreateTicketInput> = ['priority', 'requesterId', 'requester', 'organizationId', 'assigneeId', 'teamId',
  'supportLevel', 'tags', 'watcherIds', 'externalRefs', 'callId', 'status', 'channel']

/**
 * Files a ticket. Omitted type / priority / category take the category's and then the admin's
 * defaults (consulta, normal, none), so subject + description is enough. Validates custom fields,
 * records the `created` history row and a `ticket.created` event in the caller's transaction, and
 * claims the creator's staged files (`attachmentIds`: 404 unless each is theirs and unclaimed).
 */
export async function createTicket(trx: Trx, ctx: CommandContext, input: CreateTicketInput): Promise<{ id: string; number: number }> {
  const { actor } = ctx
  const customer = actor.role === 'customer'
  if (customer) {
    for (const f of STAFF_ONLY) {
      if (input[f] !== undefined && !(f === 'requesterId' && input.requesterId === actor.id)) throw new ForbiddenError('tickets.field_forbidden', { field: f })
    }
  }
  // One round trip for the settings, category, types, custom fields, requester, team and assignee;
  // then the same checks, in the same order, as one lookup each did.
  const requesterUserId = customer ? actor.id : input.requesterId ?? (input.requester ? null : actor.id)
  const lookups = await loadCreateLookups(trx, { categoryId: input.categoryId, userId: requesterUserId, teamId: input.teamId, assigneeId: input.assigneeId ?? null })
  const { settings } = lookups
  const categoryId = input.categoryId !== undefined ? input.categoryId : settings.defaultCategoryId
  let category: CategoryRow | null = null
  if (categoryId) {
    category = lookups.category
    if (!category || !category.active) throw new ValidationError('tickets.unknown_category', {}, [{ field: 'categoryId', rule: 'exists' }])
  }
  const type = pickType(lookups.types, input.type ?? category?.default_type_id ?? settings.defaultTypeCode)
  const priority = input.priority ?? category?.default_priority ?? settings.defaultPriority
  const teamId = input.teamId !== undefined ? input.teamId : category?.default_team_id ?? null
  if (teamId && !lookups.team) throw new ValidationError('tickets.unknown_team', {}, [{ field: 'teamId', rule: 'exists' }])
  const team = teamId ? lookups.team : null
  if (input.assigneeId && !lookups.assignee) throw new ValidationError('tickets.assignee_not_staff', {}, [{ field: 'assigneeId', rule: 'staff' }])

  let requester: { id: string; organization_id: string | null; site_id: string | null }
  if (requesterUserId) {
    if (!lookups.user) throw new ValidationError('tickets.unknown_user', { field: 'requesterId' }, [{ field: 'requesterId', rule: 'exists' }])
    requester = lookups.user
  } else requester = await findOrCreateRequester(trx, ctx, input.requester!)

  const organizationId = input.organizationId !== undefined ? input.organizationId : requester.organization_id
  if (input.organizationId) await checkOrganization(trx, input.organizationId)
  let siteId = input.siteId ?? null
  if (siteId) await checkSite(trx, siteId, organizationId)
  else if (requester.site_id && input.siteId === undefined) siteId = requester.site_id

  const defs = fieldsFor(lookups.fields, type.id)
  const { values } = await validateCustomFields(trx, { defs, current: {}, changes: input.customFields ?? {}, actor, creating: true, organizationId })
  const body = prepareBody({ text: input.description, html: input.descriptionHtml })
  const channel: Channel = input.channel ?? (actor.via === 'token' ? 'api' : ctx.via === 'email' ? 'email' : 'web')
  const tags = normaliseTags(input.tags ?? [])

  const row = await trx.insertInto('tickets').values({
    subject: input.subject.trim(), description: body.text, description_html: body.html, type_id: type.id, category_id: category?.id ?? null,
    priority, status: 'new', channel, requester_id: requester.id, organization_id: organizationId, site_id: siteId,
    assignee_id: input.assigneeId ?? null, team_id: team?.id ?? null, support_level: input.supportLevel ?? team?.level ?? null,
    tags, custom_fields: JSON.stringify(values), follow_up_of_id: input.followUpOfId ?? null,
    created_by_id: actor.via === 'system' ? null : actor.id, via_token_id: actor.tokenId ?? null,
    created_at: ctx.now, updated_at: ctx.now, status_changed_at: ctx.now, call_count: input.callId !== undefined ? 1 : 0,
  }).returning(['id', 'number', 'status', 'requester_id', 'organization_id', 'assignee_id', 'team_id'])
    .returning(sql<boolean>`coalesce((select o.shares_tickets from organizations o where o.id = tickets.organization_id), false)`.as('org_shares_tickets'))
    .executeTakeFirstOrThrow()

  const watchers = [...new Set(input.watcherIds ?? [])]
  for (const w of watchers) await resolveUser(trx, w, 'watcherIds')
  if (watchers.length) {
    await sql`insert into ticket_watchers (ticket_id, user_id) select ${row.id}, unnest(${watchers}::uuid[]) on conflict do nothing`.execute(trx)
  }
  const refs = [...(input.externalRefs ?? [])]
  if (input.callId) refs.push({ kind: 'call_id', value: input.callId })
  for (const r of refs) {
    await sql`insert into ticket_external_refs (ticket_id, kind, provider, value) values (${row.id}, ${r.kind}, ${r.provider?.trim() || null}, ${r.value.trim()})
      on conflict do nothing`.execute(trx)
  }
  if (input.callId !== undefined) {
    await sql`insert into ticket_calls (ticket_id, call_id, agent_id, at) values (${row.id}, ${input.callId || null}, ${actor.id}, ${ctx.now})`.execute(trx)
  }

  await appendHistory(trx, ctx, {
    ticketId: row.id, action: 'created',
    newValue: { subject: input.subject.trim(), type: type.code, priority, categoryId: category?.id ?? null, channel, requesterId: requester.id, status: 'new' },
  })
  await recordTicketEvent(trx, ctx, row.id, 'ticket.created', {
    number: row.number, channel, typeCode: type.code, priority, categoryId: category?.id ?? null, requesterId: requester.id,
    assigneeId: input.assigneeId ?? null, teamId: team?.id ?? null, followUpOfId: input.followUpOfId ?? null,
    requesterCreated: 'created' in requester ? requester.created : false,
  }, row)

  // Staged files join the description (no statement at all without them).
  const attached = input.attachmentIds?.length ? await claimNewTicketAttachments(trx, ctx, { ticketId: row.id, attachmentIds: input.attachmentIds }) : 0

  // R6: a type that needs evidence starts waiting for information until the requester sends it,
  // unless the evidence came with the ticket.
  const initial = input.status ?? (type.requires_evidence && attached === 0 ? 'pending' : null)
  if (initial && initial !== 'new') {
    const ticket = await loadTicket(trx, row.id, { forUpdate: true })
    const sys = input.status ? ctx : { ...ctx, actor: { ...ctx.actor, via: 'system' as const } }
    await changeStatus(trx, sys, row.id, { status: initial }, { ticket: ticket!, skipAuthorize: true })
  }
  return { id: row.id, number: row.number }
}
