import { sql } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import type { HistoryVia } from '../tickets.tables'

/** Who acts, when, and through what: passed to every ticket command. */
export interface CommandContext {
  actor: Actor
  now: Date
  /** The channel the change came through when it is not the actor's own (e.g. 'email', 'phone'). */
  via?: HistoryVia
}

export interface HistoryEntry {
  ticketId: string
  action: string
  field?: string | null
  oldValue?: unknown
  newValue?: unknown
  /** Hidden from customers. */
  internal?: boolean
}

/** How a change arrived: an explicit channel, else API token, session (web) or the system. */
export function viaOf(ctx: CommandContext): HistoryVia {
  if (ctx.via) return ctx.via
  if (ctx.actor.via === 'token') return 'api'
  if (ctx.actor.via === 'system') return 'system'
  return 'web'
}

/**
 * Appends rows to the append-only ticket history (a trigger refuses updates and deletes): who,
 * when, old and new value, and through which channel / API token. Part B uses it for links,
 * merges and attachments.
 */
export async function appendHistory(trx: Executor, ctx: CommandContext, entries: HistoryEntry | HistoryEntry[]) {
  const list = Array.isArray(entries) ? entries : [entries]
  if (list.length === 0) return
  const actorId = ctx.actor.via === 'system' && ctx.actor.id === '00000000-0000-0000-0000-000000000000' ? null : ctx.actor.id
  const via = viaOf(ctx)
  const rows = list.map((e) => sql`(${e.ticketId}, ${ctx.now}, ${actorId}, ${via}, ${ctx.actor.tokenId ?? null}, ${e.action},
    ${e.field ?? null}, ${json(e.oldValue)}::jsonb, ${json(e.newValue)}::jsonb, ${e.internal ?? false})`)
  await sql`insert into ticket_history (ticket_id, at, actor_id, via, via_token_id, action, field, old_value, new_value, internal)
    values ${sql.join(rows)}`.execute(trx)
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v))
