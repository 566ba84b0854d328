import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import { ForbiddenError } from '../../../platform/http/errors'
import type { Priority } from '../../../../../common/src/tickets/tickets.types'
import { recordTicketEvent } from './record-ticket-event'
import { appendHistory, type CommandContext, type HistoryEntry } from '../history/append-history'
import { authorize } from '../tickets.policy'
import { prepareBody } from '../content/message-body'
import { fieldsForType } from '../custom-fields/custom-field-defs'
import { validateCustomFields } from '../custom-fields/validate-custom-fields'
import { loadTicket, type TicketRow } from '../queries/load-ticket'
import { changeStatus, type ChangeStatusInput } from './change-status'
import { lockLinkGraph } from '../links/link-graph'
import type { ExternalRefInput } from './create-ticket'
import {
  checkOrganization, checkSite, normaliseTags, resolveCategory, resolveStaff, resolveTeam, resolveType, resolveUser,
} from './lookups'

export interface UpdateTicketInput {
  subject?: string
  description?: string
  descriptionHtml?: string
  type?: string
  categoryId?: string | null
  priority?: Priority
  requesterId?: string
  organizationId?: string | null
  siteId?: string | null
  assigneeId?: string | null
  teamId?: string | null
  supportLevel?: number | null
  /** Replace all tags, or add / remove some. */
  tags?: string[]
  addTags?: string[]
  removeTags?: string[]
  watcherIds?: string[]
  addWatcherIds?: string[]
  removeWatcherIds?: string[]
  /** Merged into the stored values; null clears a field. */
  customFields?: Record<string, unknown>
  addExternalRefs?: ExternalRefInput[]
  removeExternalRefs?: string[]
  /** A status change in the same call (same rules as changeStatus). */
  status?: ChangeStatusInput
}

/** History field names that customers do not see. */
const INTERNAL_FIELDS = new Set(['team', 'support_level', 'tags', 'watchers', 'external_refs'])

/**
 * Changes a ticket's fields, assignee, team, priority, tags, watchers and custom fields. Customers
 * may only change customer-editable custom fields. One history row per changed field and one
 * `ticket.updated` event listing them; a status change is delegated to changeStatus.
 */
export async function updateTicket(trx: Trx, ctx: CommandContext, ticketId: string, input: UpdateTicketInput): Promise<{ changed: string[] }> {
  const { actor } = ctx
  // Cancelling as a duplicate links the two tickets: the link graph is locked before any ticket, as linking does.
  if (input.status?.cancelReason === 'duplicate') await lockLinkGraph(trx)
  const ticket = await loadTicket(trx, ticketId, { forUpdate: true })
  const fieldKeys = (Object.keys(input) as Array<keyof UpdateTicketInput>).filter((k) => input[k] !== undefined && k !== 'status')
  if (fieldKeys.length) authorize(actor, 'update', ticket)
  else authorize(actor, 'view', ticket)
  if (actor.role === 'customer') {
    const forbidden = fieldKeys.find((k) => k !== 'customFields')
    if (forbidden) throw new ForbiddenError('tickets.field_forbidden', { field: forbidden })
  }
  if ((input.assigneeId !== undefined || input.teamId !== undefined) && fieldKeys.length) authorize(actor, 'assign', ticket)

  const set: Record<string, unknown> = {}
  const history: HistoryEntry[] = []
  const change = (field: string, column: string, oldValue: unknown, newValue: unknown, historyOld = oldValue, historyNew = newValue) => {
    if (JSON.stringify(oldValue) === JSON.stringify(newValue)) return
    set[column] = newValue
    history.push({ ticketId, action: 'field_changed', field, oldValue: historyOld, newValue: historyNew, internal: INTERNAL_FIELDS.has(field) })
  }

  if (input.subject !== undefined) change('subject', 'subject', ticket.subject, input.subject.trim())
  if (input.description !== undefined || input.descriptionHtml !== undefined) {
    const body = prepareBody({ text: input.description, html: input.descriptionHtml })
    if (body.text !== ticket.description) {
      set.description = body.text
      set.description_html = body.html
      history.push({ ticketId, action: 'field_changed', field: 'description', oldValue: ticket.description.slice(0, 2000), newValue: body.text.slice(0, 2000) })
    }
  }
  let typeId = ticket.type_id
  if (input.type !== undefined) {
    const type = await resolveType(trx, input.type)
    const old = (await sql<{ code: string }>`select code from ticket_types where id = ${ticket.type_id}`.execute(trx)).rows[0]?.code
    typeId = type.id
    change('type', 'type_id', ticket.type_id, type.id, old, type.code)
  }
  if (input.categoryId !== undefined) {
    if (input.categoryId) await resolveCategory(trx, input.categoryId)
    change('category', 'category_id', ticket.category_id, input.categoryId)
  }
  if (input.priority !== undefined) change('priority', 'priority', ticket.priority, input.priority)
  if (input.requesterId !== undefined) {
    await resolveUser(trx, input.requesterId, 'requesterId')
    change('requester', 'requester_id', ticket.requester_id, input.requesterId)
  }
  const organizationId = input.organizationId !== undefined ? input.organizationId : ticket.organization_id
  if (input.organizationId !== undefined) {
    if (input.organizationId) await checkOrganization(trx, input.organizationId)
    change('organization', 'organization_id', ticket.organization_id, input.organizationId)
  }
  if (input.siteId !== undefined) {
    if (input.siteId) await checkSite(trx, input.siteId, organizationId)
    change('site', 'site_id', ticket.site_id, input.siteId)
  }
  if (input.assigneeId !== undefined) {
    if (input.assigneeId) await resolveStaff(trx, input.assigneeId)
    change('assignee', 'assignee_id', ticket.assignee_id, input.assigneeId)
  }
  if (input.teamId !== undefined) {
    const team = input.teamId ? await resolveTeam(trx, input.teamId) : null
    change('team', 'team_id', ticket.team_id, input.teamId)
    if (team && input.supportLevel === undefined && team.level !== ticket.support_level) change('support_level', 'support_level', ticket.support_level, team.level)
  }
  if (input.supportLevel !== undefined) change('support_level', 'support_level', ticket.support_level, input.supportLevel)
  if (input.tags !== undefined || input.addTags || input.removeTags) {
    const remove = new Set(normaliseTags(input.removeTags ?? []))
    const next = normaliseTags([...(input.tags ?? ticket.tags), ...(input.addTags ?? [])]).filter((t) => !remove.has(t))
    change('tags', 'tags', ticket.tags, next)
  }
  if (input.customFields !== undefined || typeId !== ticket.type_id) {
    const defs = await fieldsForType(trx, typeId)
    const result = await validateCustomFields(trx, {
      defs, current: ticket.custom_fields, changes: input.customFields, actor, requireAll: typeId !== ticket.type_id, organizationId,
    })
    if (result.changes.length) {
      set.custom_fields = JSON.stringify(result.values)
      for (const c of result.changes) {
        history.push({ ticketId, action: 'field_changed', field: `custom_fields.${c.key}`, oldValue: c.oldValue, newValue: c.newValue, internal: c.internal })
      }
    }
  }
  await updateWatchers(trx, ticket, input, history)
  await updateExternalRefs(trx, ticket, input, history)

  const changed = history.map((h) => h.field!)
  if (changed.length) {
    await trx.updateTable('tickets').set({ ...set, updated_at: ctx.now }).where('id', '=', ticketId).execute()
    await appendHistory(trx, ctx, history)
    await recordTicketEvent(trx, ctx, ticketId, 'ticket.updated', {
      number: ticket.number, changes: history.map((h) => ({ field: h.field, internal: h.internal ?? false })),
      assigneeId: set.assignee_id, teamId: set.team_id,
    })
  }
  if (input.status) {
    const moved = await changeStatus(trx, ctx, ticketId, input.status)
    if (moved) changed.push('status')
  }
  return { changed }
}

async function updateWatchers(trx: Trx, ticket: TicketRow, input: UpdateTicketInput, history: HistoryEntry[]) {
  if (input.watcherIds === undefined && !input.addWatcherIds && !input.removeWatcherIds) return
  const current = (await sql<{ user_id: string }>`select user_id from ticket_watchers where ticket_id = ${ticket.id}`.execute(trx)).rows.map((r) => r.user_id)
  const remove = new Set(input.removeWatcherIds ?? [])
  const next = [...new Set([...(input.watcherIds ?? current), ...(input.addWatcherIds ?? [])])].filter((id) => !remove.has(id))
  for (const id of next.filter((x) => !current.includes(x))) await resolveUser(trx, id, 'watcherIds')
  if (JSON.stringify([...current].sort()) === JSON.stringify([...next].sort())) return
  await sql`delete from ticket_watchers where ticket_id = ${ticket.id} and not (user_id = any(${next}::uuid[]))`.execute(trx)
  if (next.length) await sql`insert into ticket_watchers (ticket_id, user_id) select ${ticket.id}, unnest(${next}::uuid[]) on conflict do nothing`.execute(trx)
  history.push({ ticketId: ticket.id, action: 'field_changed', field: 'watchers', oldValue: current, newValue: next, internal: true })
}

async function updateExternalRefs(trx: Trx, ticket: TicketRow, input: UpdateTicketInput, history: HistoryEntry[]) {
  const added: ExternalRefInput[] = []
  for (const r of input.addExternalRefs ?? []) {
    const res = await sql`insert into ticket_external_refs (ticket_id, kind, provider, value) values (${ticket.id}, ${r.kind}, ${r.provider?.trim() || null}, ${r.value.trim()})
      on conflict do nothing returning id`.execute(trx)
    if (res.rows.length) added.push(r)
  }
  const removed: string[] = []
  for (const id of input.removeExternalRefs ?? []) {
    const res = await sql<{ value: string }>`delete from ticket_external_refs where ticket_id = ${ticket.id} and id = ${id} returning value`.execute(trx)
    if (res.rows[0]) removed.push(res.rows[0].value)
  }
  if (added.length || removed.length) {
    history.push({ ticketId: ticket.id, action: 'field_changed', field: 'external_refs', oldValue: removed.length ? { removed } : null, newValue: added.length ? { added } : null, internal: true })
  }
}
