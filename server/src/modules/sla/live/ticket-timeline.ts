import type { SlaPolicy, SlaTicketFacts } from '../../../../../common/src/sla/sla-policy.types'
import { SLA_PRIORITIES, SLA_STATUSES, type SlaPriority, type SlaStatus, type SlaTargets } from '../../../../../common/src/sla/sla.types'
import type { SlaActor, SlaEvent } from '../clock/clock.types'
import { matchPolicy } from '../policies/match-policy'

/** What the timeline needs of the ticket itself (current values). */
export interface TimelineTicket {
  createdAt: Date
  status: SlaStatus
  priority: SlaPriority
  typeCode: string
  categoryId: string | null
  organizationId: string | null
  tier: string | null
  channel: string
  requesterId: string
  statusChangedAt: Date
  firstResponseAt: Date | null
  resolvedAt: Date | null
  closedAt: Date | null
  cancelledAt: Date | null
  /** Brought in by the ticket import (its history may lack status rows). */
  imported: boolean
}

/** One ticket_history row, with the role of whoever made it. */
export interface TimelineHistoryRow {
  at: Date
  action: string
  field: string | null
  oldValue: unknown
  newValue: unknown
  actorId: string | null
  actorRole: string | null
  via: string
}

/** One comment, with the role of its author (null author: written by the system). */
export interface TimelineComment { at: Date; authorId: string | null; authorRole: string | null; internal: boolean }

export interface TimelineInput {
  ticket: TimelineTicket
  history: readonly TimelineHistoryRow[]
  comments: readonly TimelineComment[]
  policies: readonly SlaPolicy[]
  /** A category with its ancestors (self first); unknown ids give [id]. */
  categoryPath: (id: string) => readonly string[]
  /** A status written in history (code, custom status key, or {code} / {key}) → its code. */
  statusOf: (value: unknown) => SlaStatus | null
}

export interface Timeline {
  events: SlaEvent[]
  /** Targets at creation (empty when no policy applied yet). */
  initialTargets: SlaTargets
  /** The first policy that applied: its calendar, pauses and start rule govern the whole life. */
  firstPolicy: SlaPolicy | null
  /** The policy in force now (after the last re-match); its targets and escalations apply. */
  currentPolicy: SlaPolicy | null
}

const FACT_FIELDS = new Set(['type', 'category', 'priority', 'organization'])
type Facts = { type: string; categoryId: string | null; priority: SlaPriority; organizationId: string | null }
type Keyed = { at: number; order: number; seq: number; event: SlaEvent | null; facts?: Partial<Facts> }

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)
const isPriority = (v: unknown): v is SlaPriority => SLA_PRIORITIES.includes(v as SlaPriority)

/** Who made a history change, as the clock sees it. */
function actorOf(row: TimelineHistoryRow, requesterId: string): SlaActor {
  if (row.via === 'system' || row.actorId === null) return 'system'
  if (row.actorRole === 'customer' || row.actorId === requesterId) return 'customer'
  return 'agent'
}

/** The value a field change left behind (or had before), normalised per field; undefined if unreadable. */
function factValue(field: string, value: unknown): Facts[keyof Facts] | undefined {
  if (field === 'priority') return isPriority(value) ? value : undefined
  if (field === 'type') return str(value) ?? undefined
  if (value === null) return null
  return str(value) ?? undefined
}

const factKey = (field: string): keyof Facts => (field === 'category' ? 'categoryId' : field === 'organization' ? 'organizationId' : field as keyof Facts)

/**
 * Maps a ticket's life to SLA clock events, 1:1 from its rows: creation; comments (requester →
 * customer_reply; staff → agent_reply, internal notes marked; system-written ones left out);
 * status changes with who made them; and, whenever type, category, priority or organization
 * changed, a re-match of the policies — a `targets` event when the targets in force change.
 * Imported tickets whose history has no status rows get their status changes from the ticket's
 * resolved / closed / cancelled times. Pure.
 */
export function buildTimeline(input: TimelineInput): Timeline {
  const { ticket } = input
  const items: Keyed[] = []
  let seq = 0
  const push = (at: Date, order: number, event: SlaEvent | null, facts?: Partial<Facts>) => {
    items.push({ at: at.getTime(), order, seq: seq++, event, facts })
  }

  // Facts at creation: today's values with every recorded change undone, newest first.
  const facts: Facts = { type: ticket.typeCode, categoryId: ticket.categoryId, priority: ticket.priority, organizationId: ticket.organizationId }
  for (const row of [...input.history].reverse()) {
    if (row.action !== 'field_changed' || !row.field || !FACT_FIELDS.has(row.field)) continue
    const old = factValue(row.field, row.oldValue)
    if (old !== undefined) Object.assign(facts, { [factKey(row.field)]: old })
  }

  let statusRows = 0
  for (const row of input.history) {
    if (row.action === 'status_changed') {
      const status = input.statusOf(row.newValue)
      if (!status) continue
      statusRows++
      push(row.at, 2, { at: row.at, type: 'status', status, by: actorOf(row, ticket.requesterId) })
    } else if (row.action === 'field_changed' && row.field && FACT_FIELDS.has(row.field)) {
      const value = factValue(row.field, row.newValue)
      if (value !== undefined) push(row.at, 3, null, { [factKey(row.field)]: value })
    }
  }
  let agentReplied = false
  for (const c of input.comments) {
    if (c.authorId === null) continue
    const customer = c.authorRole === 'customer' || c.authorId === ticket.requesterId
    if (!customer && !c.internal) agentReplied ||= ticket.firstResponseAt !== null && c.at <= ticket.firstResponseAt
    push(c.at, 1, customer ? { at: c.at, type: 'customer_reply' } : { at: c.at, type: 'agent_reply', internal: c.internal })
  }
  if (ticket.imported) synthesiseImported(ticket, statusRows, agentReplied, push)

  items.sort((a, b) => a.at - b.at || a.order - b.order || a.seq - b.seq)

  const match = (f: Facts) => matchPolicy(input.policies, ticketFacts(f, ticket, input.categoryPath))
  const first = match(facts)
  let current = first
  let firstPolicy = first?.policy ?? null
  const events: SlaEvent[] = [{ at: ticket.createdAt, type: 'created', status: 'new' }]
  for (const item of items) {
    if (item.at < ticket.createdAt.getTime()) item.at = ticket.createdAt.getTime()
    if (item.event) {
      events.push({ ...item.event, at: item.at })
      continue
    }
    Object.assign(facts, item.facts)
    const next = match(facts)
    if (JSON.stringify(next?.targets ?? {}) !== JSON.stringify(current?.targets ?? {})) {
      events.push({ at: item.at, type: 'targets', targets: next?.targets ?? {} })
    }
    current = next
    firstPolicy ??= next?.policy ?? null
  }
  return { events, initialTargets: first?.targets ?? {}, firstPolicy, currentPolicy: current?.policy ?? null }
}

function ticketFacts(f: Facts, t: TimelineTicket, categoryPath: (id: string) => readonly string[]): SlaTicketFacts {
  return {
    type: f.type, priority: f.priority, organizationId: f.organizationId, channel: t.channel,
    tier: f.organizationId === t.organizationId ? t.tier : null,
    categoryIds: f.categoryId ? categoryPath(f.categoryId) : [],
  }
}

/** Status changes an imported ticket implies by its times, when its history gives none. */
function synthesiseImported(t: TimelineTicket, statusRows: number, agentReplied: boolean,
  push: (at: Date, order: number, event: SlaEvent) => void) {
  if (t.firstResponseAt && !agentReplied) push(t.firstResponseAt, 1, { at: t.firstResponseAt, type: 'agent_reply' })
  if (statusRows > 0) return
  // Resolving or cancelling was the other help desk's staff (a support update); who moved it to
  // open / pending / on hold, and when, is unknown: the system, at the last status change.
  const change = (at: Date, status: SlaStatus) =>
    push(at, 2, { at, type: 'status', status, by: status === 'open' || status === 'pending' || status === 'on_hold' ? 'system' : 'agent' })
  if (t.status === 'resolved' || t.status === 'closed') {
    const resolved = t.resolvedAt ?? t.closedAt ?? t.statusChangedAt
    change(resolved, 'resolved')
    if (t.status === 'closed') change(t.closedAt ?? resolved, 'closed')
  } else if (t.status === 'cancelled') {
    change(t.cancelledAt ?? t.statusChangedAt, 'cancelled')
  } else if (t.status !== 'new') {
    change(t.statusChangedAt, t.status)
  }
}

/** Reads a status written in history: a code, a custom status key, or an object carrying either. */
export function statusReader(keyToCode: ReadonlyMap<string, SlaStatus>) {
  return (value: unknown): SlaStatus | null => {
    const read = (v: unknown): SlaStatus | null => {
      if (typeof v !== 'string') return null
      if (SLA_STATUSES.includes(v as SlaStatus)) return v as SlaStatus
      return keyToCode.get(v) ?? null
    }
    if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>
      return read(o.code) ?? read(o.key) ?? read(o.status)
    }
    return read(value)
  }
}
