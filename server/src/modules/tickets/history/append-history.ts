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
  await appendHistoryOf(trx, (Array.isArray(entries) ? entries : [entries]).map((entry) => ({ ctx, entry })))
}

/** appendHistory for entries of several commands (a batch of creates), in one statement. */
export async function appendHistoryOf(trx: Executor, entries: ReadonlyArray<{ ctx: CommandContext; entry: HistoryEntry }>) {
  if (entries.length === 0) return
  const rows = entries.map(({ ctx, entry: e }) => {
    const actorId = ctx.actor.via === 'system' && ctx.actor.id === '00000000-0000-0000-0000-000000000000' ? null : ctx.actor.id
    return sql`(${e.ticketId}, ${ctx.now}, ${actorId}, ${viaOf(ctx)}, ${ctx.actor.tokenId ?? null}, ${e.action},
    ${e.field ?? null}, ${json(e.oldValue)}::jsonb, ${json(e.newValue)}::jsonb, ${e.internal ?? false})`
  })
  await sql`insert into ticket_history (ticket_id, at, actor_id, via, via_token_id, action, field, old_value, new_value, internal)
    values ${sql.join(rows)}`.execute(trx)
}

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v))
