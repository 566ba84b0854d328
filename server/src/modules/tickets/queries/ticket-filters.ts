import { sql, type RawBuilder } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import { ValidationError } from '../../../platform/http/errors'
import { isUuid } from '../../../platform/db/uuid'
import { allFieldsByKey } from '../custom-fields/custom-field-defs'
import { ticketListFilters } from '../tickets.extensions'
import { CHANNELS, PRIORITIES, STATUS_CODES } from '../../../../../common/src/tickets/tickets.types'

/** Every filter of GET /api/v1/tickets (issue 3 §8). Multi-valued filters accept repeats or commas. */
export interface TicketFilters {
  status?: string[]
  statusCategory?: string[]
  type?: string[]
  /** Includes sub-categories; `none` = without category. */
  categoryId?: string[]
  priority?: string[]
  /** `me`, `unassigned` or user ids. */
  assignee?: string[]
  /** Team ids or `none`. */
  teamId?: string[]
  organizationId?: string[]
  requesterId?: string[]
  channel?: string[]
  /** Tickets carrying all these tags. */
  tag?: string[]
  externalRef?: string
  /** Custom field values, `key:value` (all must match). */
  cf?: string[]
  createdFrom?: string
  createdTo?: string
  updatedFrom?: string
  updatedTo?: string
  resolvedFrom?: string
  resolvedTo?: string
  followUpOfId?: string
  /** Provided by the SLA module (tickets.extensions registerTicketListFilter): due_today, breached, warning. */
  sla?: string[]
}

export const FILTER_KEYS: Array<keyof TicketFilters> = ['status', 'statusCategory', 'type', 'categoryId', 'priority', 'assignee', 'teamId',
  'organizationId', 'requesterId', 'channel', 'tag', 'externalRef', 'cf', 'createdFrom', 'createdTo', 'updatedFrom', 'updatedTo',
  'resolvedFrom', 'resolvedTo', 'followUpOfId', 'sla']

/** `column = value` for one value (an ordered index scan stays possible), `= any(array)` for several. */
function oneOf(column: string, values: string[], type: 'text' | 'uuid'): RawBuilder<boolean> {
  const ref = sql.ref(column)
  if (values.length === 1) return sql<boolean>`${ref} = ${values[0]}::${sql.raw(type)}`
  return sql<boolean>`${ref} = any(${values}::${sql.raw(type)}[])`
}

/** Splits repeated and comma-separated values, trimmed, without empties. */
export function many(v: string[] | string | undefined): string[] {
  if (v === undefined) return []
  return (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean)
}

/** Values of a filter with a closed list of choices: an unknown one is a 400 naming them (not an empty page). */
function closedList(values: string[], allowed: readonly string[], field: string): string[] {
  const wrong = values.find((v) => !allowed.includes(v))
  if (wrong !== undefined) throw new ValidationError('validation.enum', { field, values: allowed.join(', ') }, [{ field, rule: 'enum' }])
  return values
}

function uuids(values: string[], field: string): string[] {
  for (const v of values) if (!isUuid(v)) throw new ValidationError('tickets.filter_not_id', { field, value: v }, [{ field, rule: 'format' }])
  return values
}

/** Parses one `key:value` custom field filter into a jsonb containment document. */
async function customFieldCondition(db: Executor, actor: Actor, filters: string[]): Promise<RawBuilder<boolean> | null> {
  if (!filters.length) return null
  const defs = await allFieldsByKey(db)
  const doc: Record<string, unknown> = {}
  for (const f of filters) {
    const i = f.indexOf(':')
    const key = i > 0 ? f.slice(0, i) : ''
    const raw = f.slice(i + 1)
    const def = defs.get(key)
    if (!def || (actor.role === 'customer' && !def.customer_visible)) throw new ValidationError('tickets.cf.bad_filter', { filter: f }, [{ field: 'cf', rule: 'format' }])
    switch (def.kind) {
      case 'number': {
        const n = Number(raw)
        if (!Number.isFinite(n) || raw.trim() === '') throw new ValidationError('tickets.cf.bad_filter', { filter: f }, [{ field: 'cf', rule: 'format' }])
        doc[key] = n
        break
      }
      case 'checkbox': doc[key] = raw === 'true' || raw === '1'; break
      case 'multi_select': doc[key] = [...((doc[key] as string[] | undefined) ?? []), raw]; break
      default: doc[key] = raw
    }
  }
  return sql<boolean>`t.custom_fields @> ${JSON.stringify(doc)}::jsonb`
}

/** Options of filterConditions: the clock, and the extension joins the query already has (by alias). */
export interface FilterOptions { now?: Date; joined?: ReadonlySet<string> }

/** Filters on what customers never see (team, tags, external references, SLA): refused to them, or they could probe the values. */
const STAFF_ONLY_FILTERS: Array<keyof TicketFilters> = ['teamId', 'tag', 'externalRef', 'sla']

/** A customer may neither filter nor sort by what they are not shown. */
export function refuseStaffOnly(actor: Actor, what: string): void {
  if (actor.role === 'customer') throw new ValidationError('tickets.filter_staff_only', { filter: what }, [{ field: what, rule: 'staffOnly' }])
}

/** The filters as SQL conditions on tickets `t` (without the visibility scope). */
export async function filterConditions(db: Executor, actor: Actor, f: TicketFilters, opts: FilterOptions = {}): Promise<RawBuilder<boolean>[]> {
  const out: RawBuilder<boolean>[] = []
  const staffOnly = STAFF_ONLY_FILTERS.find((k) => many((f as Record<string, string[] | string | undefined>)[k]).length)
  if (staffOnly) refuseStaffOnly(actor, staffOnly)
  for (const [key, ext] of ticketListFilters()) {
    const values = many((f as Record<string, string[] | string | undefined>)[key])
    const alias = ext.join && opts.joined?.has(ext.join.alias) ? ext.join.alias : null
    if (values.length) out.push(ext.condition(values, { actor, now: opts.now ?? new Date(), alias }))
  }
  // Keys, codes and sub-categories are resolved to ids first (small tables), so the planner sees
  // constants it can match against the tickets indexes.
  const status = many(f.status)
  if (status.length) {
    const rows = (await sql<{ id: string; category: string }>`select id, category from ticket_statuses where key = any(${status}::text[])`.execute(db)).rows
    const codes = [...new Set(rows.map((r) => r.category))]
    out.push(rows.length ? sql<boolean>`(${oneOf('t.status', codes, 'text')} and ${oneOf('t.status_id', rows.map((r) => r.id), 'uuid')})` : sql<boolean>`false`)
  }
  const statusCategory = closedList(many(f.statusCategory), STATUS_CODES, 'statusCategory')
  if (statusCategory.length) out.push(oneOf('t.status', statusCategory, 'text'))
  const type = many(f.type)
  if (type.length) {
    const typeIds = (await sql<{ id: string }>`select id from ticket_types where code = any(${type}::text[])`.execute(db)).rows.map((r) => r.id)
    out.push(typeIds.length ? oneOf('t.type_id', typeIds, 'uuid') : sql<boolean>`false`)
  }
  const categories = many(f.categoryId)
  if (categories.length) {
    const ids = uuids(categories.filter((c) => c !== 'none'), 'categoryId')
    const parts: RawBuilder<boolean>[] = []
    if (ids.length) {
      const subtree = (await sql<{ id: string }>`select id from categories where path && ${ids}::uuid[]`.execute(db)).rows.map((r) => r.id)
      parts.push(subtree.length ? oneOf('t.category_id', subtree, 'uuid') : sql<boolean>`false`)
    }
    if (categories.includes('none')) parts.push(sql<boolean>`t.category_id is null`)
    out.push(sql<boolean>`(${sql.join(parts, sql` or `)})`)
  }
  const priority = closedList(many(f.priority), PRIORITIES, 'priority')
  if (priority.length) out.push(oneOf('t.priority', priority, 'text'))
  const assignee = many(f.assignee)
  if (assignee.length) {
    const ids = uuids(assignee.filter((a) => a !== 'me' && a !== 'unassigned').concat(assignee.includes('me') ? [actor.id] : []), 'assignee')
    const parts: RawBuilder<boolean>[] = []
    if (ids.length === 1) parts.push(sql<boolean>`t.assignee_id = ${ids[0]}::uuid`)
    else if (ids.length) parts.push(sql<boolean>`t.assignee_id = any(${ids}::uuid[])`)
    if (assignee.includes('unassigned')) parts.push(sql<boolean>`t.assignee_id is null`)
    out.push(sql<boolean>`(${sql.join(parts, sql` or `)})`)
  }
  const teams = many(f.teamId)
  if (teams.length) {
    const ids = uuids(teams.filter((x) => x !== 'none'), 'teamId')
    const parts: RawBuilder<boolean>[] = []
    if (ids.length) parts.push(oneOf('t.team_id', ids, 'uuid'))
    if (teams.includes('none')) parts.push(sql<boolean>`t.team_id is null`)
    out.push(sql<boolean>`(${sql.join(parts, sql` or `)})`)
  }
  const orgs = uuids(many(f.organizationId), 'organizationId')
  if (orgs.length) out.push(oneOf('t.organization_id', orgs, 'uuid'))
  const requesters = uuids(many(f.requesterId), 'requesterId')
  if (requesters.length) out.push(oneOf('t.requester_id', requesters, 'uuid'))
  const channel = closedList(many(f.channel), CHANNELS, 'channel')
  if (channel.length) out.push(oneOf('t.channel', channel, 'text'))
  const tags = many(f.tag).map((x) => x.toLowerCase())
  if (tags.length) out.push(sql<boolean>`t.tags @> ${tags}::text[]`)
  if (f.externalRef?.trim()) {
    out.push(sql<boolean>`t.id in (select ticket_id from ticket_external_refs where lower(value) = ${f.externalRef.trim().toLowerCase()})`)
  }
  const cf = await customFieldCondition(db, actor, (f.cf ?? []).map((x) => x.trim()).filter(Boolean))
  if (cf) out.push(cf)
  const range = (column: string, from?: string, to?: string) => {
    if (from) out.push(sql<boolean>`${sql.ref(`t.${column}`)} >= ${new Date(from)}`)
    if (to) out.push(sql<boolean>`${sql.ref(`t.${column}`)} < ${new Date(to)}`)
  }
  range('created_at', f.createdFrom, f.createdTo)
  range('updated_at', f.updatedFrom, f.updatedTo)
  range('resolved_at', f.resolvedFrom, f.resolvedTo)
  if (f.followUpOfId) out.push(sql<boolean>`t.follow_up_of_id = ${uuids([f.followUpOfId], 'followUpOfId')[0]}::uuid`)
  return out
}

export const andAll = (conds: RawBuilder<boolean>[]) => (conds.length ? sql.join(conds, sql` and `) : sql`true`)
