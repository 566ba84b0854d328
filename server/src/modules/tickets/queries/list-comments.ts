import { sql } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import { decodeCursor, encodeCursor } from '../../../platform/http/cursor'

export interface CommentRow {
  id: string; ticket_id: string; author_id: string | null; author_name: string | null; author_role: string | null; internal: boolean
  channel: string; body_text: string; body_html: string; mentions: string[]; created_at: Date; seq: string
}

/**
 * A ticket's conversation, oldest first, keyset-paginated. Internal notes are left out in SQL for
 * anyone who may not see them (customers), so they never reach one through this route.
 */
export async function listComments(db: Executor, actor: Actor, ticketId: string, opts: { cursor?: string; limit: number; includeInternal: boolean }) {
  const after = decodeCursor(opts.cursor, ['timestamp', 'uuid'])
  const rows = (await sql<CommentRow>`
    select c.id, c.ticket_id, c.author_id, u.name as author_name, u.role as author_role, c.internal, c.channel, c.body_text, c.body_html,
      c.mentions, c.created_at, to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as seq
    from comments c left join users u on u.id = c.author_id
    where c.ticket_id = ${ticketId} ${opts.includeInternal && actor.role !== 'customer' ? sql`` : sql`and not c.internal`}
      ${after ? sql`and (c.created_at, c.id) > (${String(after[0])}::timestamptz, ${String(after[1])}::uuid)` : sql``}
    order by c.created_at, c.id limit ${opts.limit + 1}`.execute(db)).rows
  const items = rows.slice(0, opts.limit)
  const last = items[items.length - 1]
  return { items, nextCursor: rows.length > opts.limit && last ? encodeCursor([last.seq, last.id]) : null }
}
