import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import { ForbiddenError } from '../../../platform/http/errors'
import type { Channel, ExternalRefKind, Priority } from '../../../../../common/src/tickets/tickets.types'
import { recordTicketEvent } from './record-ticket-event'
import { appendHistory, type CommandContext } from '../history/append-history'
import { readTicketSettings } from '../settings/ticket-settings'
import { prepareBody } from '../content/message-body'
import { fieldsForType } from '../custom-fields/custom-field-defs'
import { validateCustomFields } from '../custom-fields/validate-custom-fields'
import { loadTicket } from '../queries/load-ticket'
import { changeStatus } from './change-status'
import { findOrCreateRequester, type RequesterInput } from './find-or-create-requester'
import {
  checkOrganization, checkSite, normaliseTags, resolveCategory, resolveStaff, resolveTeam, resolveType, resolveUser, type CategoryRow,
} from './lookups'

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
}

const STAFF_ONLY: Array<keyof CreateTicketInput> = ['priority', 'requesterId', 'requester', 'organizationId', 'assigneeId', 'teamId',
  'supportLevel', 'tags', 'watcherIds', 'externalRefs', 'callId', 'status', 'channel']

/**
 * Files a ticket. Omitted type / priority / category take the category's and then the admin's
 * defaults (consulta, normal, none), so subject + description is enough. Validates custom fields,
 * records the `created` history row and a `ticket.created` event in the caller's transaction.
 */
export async function createTicket(trx: Trx, ctx: CommandContext, input: CreateTicketInput): Promise<{ id: string; number: number }> {
  const { actor } = ctx
  const customer = actor.role === 'customer'
  if (customer) {
    for (const f of STAFF_ONLY) {
      if (input[f] !== undefined && !(f === 'requesterId' && input.requesterId === actor.id)) throw new ForbiddenError('tickets.field_forbidden', { field: f })
    }
  }
  const settings = await readTicketSettings(trx)
  const categoryId = input.categoryId !== undefined ? input.categoryId : settings.defaultCategoryId
  const category: CategoryRow | null = categoryId ? await resolveCategory(trx, categoryId) : null
  const type = await resolveType(trx, input.type ?? category?.default_type_id ?? settings.defaultTypeCode)
  const priority = input.priority ?? category?.default_priority ?? settings.defaultPriority
  const teamId = input.teamId !== undefined ? input.teamId : category?.default_team_id ?? null
  const team = teamId ? await resolveTeam(trx, teamId) : null
  if (input.assigneeId) await resolveStaff(trx, input.assigneeId)

  let requester: { id: string; organization_id: string | null; site_id: string | null }
  if (customer) requester = await resolveUser(trx, actor.id, 'requesterId')
  else if (input.requesterId) requester = await resolveUser(trx, input.requesterId, 'requesterId')
  else if (input.requester) requester = await findOrCreateRequester(trx, ctx, input.requester)
  else requester = await resolveUser(trx, actor.id, 'requesterId')

  const organizationId = input.organizationId !== undefined ? input.organizationId : requester.organization_id
  if (input.organizationId) await checkOrganization(trx, input.organizationId)
  let siteId = input.siteId ?? null
  if (siteId) await checkSite(trx, siteId, organizationId)
  else if (requester.site_id && input.siteId === undefined) siteId = requester.site_id

  const defs = await fieldsForType(trx, type.id)
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
  }).returning(['id', 'number']).executeTakeFirstOrThrow()

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
  })

  // R6: a type that needs evidence starts waiting for information until the requester sends it.
  const initial = input.status ?? (type.requires_evidence ? 'pending' : null)
  if (initial && initial !== 'new') {
    const ticket = await loadTicket(trx, row.id, { forUpdate: true })
    const sys = input.status ? ctx : { ...ctx, actor: { ...ctx.actor, via: 'system' as const } }
    await changeStatus(trx, sys, row.id, { status: initial }, { ticket: ticket!, skipAuthorize: true })
  }
  return { id: row.id, number: row.number }
}
