import { sql } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import { decodeCursor, encodeCursor } from '../../../platform/http/cursor'
import { isUuid } from '../../../platform/db/uuid'
import { visibleTicketIds } from './visible-ticket-ids'
import { seesAllTickets } from '../tickets.policy'

export interface HistoryRow {
  id: number; at: Date; actor_id: string | null; actor_name: string | null; via: string; via_token_id: string | null
  action: string; field: string | null; old_value: unknown; new_value: unknown; internal: boolean
}

/** A ticket's history, oldest first; customers never get internal rows (notes, agent-only fields, internal attributes). */
export async function listHistory(db: Executor, actor: Actor, ticketId: string, opts: { cursor?: string; limit: number }) {
  const after = decodeCursor(opts.cursor, ['integer'])
  const rows = (await sql<HistoryRow>`
    select h.id, h.at, h.actor_id, u.name as actor_name, h.via, h.via_token_id, h.action, h.field, h.old_value, h.new_value, h.internal
    from ticket_history h left join users u on u.id = h.actor_id
    where h.ticket_id = ${ticketId} ${actor.role === 'customer' ? sql`and not h.internal` : sql``}
      ${after ? sql`and h.id > ${Number(after[0]) || 0}` : sql``}
    order by h.id limit ${opts.limit + 1}`.execute(db)).rows
  const items = seesAllTickets(actor) ? rows.slice(0, opts.limit) : await withoutUnseenTickets(db, actor, rows.slice(0, opts.limit))
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > opts.limit && last ? encodeCursor([Number(last.id)]) : null }
}

type TicketRef = { id: string; number: unknown }
const isTicketRef = (v: unknown): v is TicketRef =>
  typeof v === 'object' && v !== null && typeof (v as TicketRef).id === 'string' && isUuid((v as TicketRef).id) && 'number' in v

/** The ticket references a history value holds: `{id, number}` itself or under `ticket`. */
function ticketRefs(value: unknown): TicketRef[] {
  if (isTicketRef(value)) return [value]
  const inner = typeof value === 'object' && value !== null ? (value as { ticket?: unknown }).ticket : undefined
  return isTicketRef(inner) ? [inner] : []
}

/**
 * For a customer or a restricted agent, another ticket named in a row (the original of a duplicate, where a merged one
 * went) shows only when they may see that ticket; otherwise the reference is dropped.
 */
async function withoutUnseenTickets(db: Executor, actor: Actor, rows: HistoryRow[]): Promise<HistoryRow[]> {
  const ids = [...new Set(rows.flatMap((r) => [...ticketRefs(r.old_value), ...ticketRefs(r.new_value)].map((t) => t.id)))]
  if (!ids.length) return rows
  const seen = await visibleTicketIds(db, actor, ids)
  const redact = (value: unknown): unknown => {
    if (isTicketRef(value)) return seen.has(value.id) ? value : null
    const refs = ticketRefs(value)
    return refs.length && !seen.has(refs[0].id) ? { ...(value as object), ticket: null } : value
  }
  return rows.map((r) => ({ ...r, old_value: redact(r.old_value), new_value: redact(r.new_value) }))
}

/** A history row as the API shows it (customers never see which API token was used). */
export function presentHistory(h: HistoryRow, actor: Actor) {
  return {
    id: Number(h.id),
    at: new Date(h.at).toISOString(),
    actor: h.actor_id ? { id: h.actor_id, name: h.actor_name ?? '' } : null,
    via: h.via,
    ...(actor.role !== 'customer' ? { viaTokenId: h.via_token_id, internal: h.internal } : {}),
    action: h.action,
    field: h.field,
    oldValue: h.old_value ?? null,
    newValue: h.new_value ?? null,
  }
}
