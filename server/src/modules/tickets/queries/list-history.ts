import { sql } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import { decodeCursor, encodeCursor } from '../../../platform/http/cursor'

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
  const items = rows.slice(0, opts.limit)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > opts.limit && last ? encodeCursor([Number(last.id)]) : null }
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
