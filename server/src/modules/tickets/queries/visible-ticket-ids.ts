import { sql } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import { seesAllTickets, visibleTicketsWhere } from '../tickets.policy'

/** Which of these tickets the actor may see (one statement; none when there is nothing to ask). */
export async function visibleTicketIds(db: Executor, actor: Actor, ids: ReadonlyArray<string | null | undefined>): Promise<Set<string>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))]
  if (!wanted.length) return new Set()
  if (seesAllTickets(actor)) return new Set(wanted)
  const rows = (await sql<{ id: string }>`select t.id from tickets t where t.id = any(${wanted}::uuid[]) and ${visibleTicketsWhere(actor)}`.execute(db)).rows
  return new Set(rows.map((r) => r.id))
}

/** A ticket's number when the actor may see that ticket, else null (messages then say "another ticket"). */
export async function numberIfVisible(db: Executor, actor: Actor, id: string): Promise<number | null> {
  if (!(await visibleTicketIds(db, actor, [id])).has(id)) return null
  return Number((await sql<{ number: number }>`select number from tickets where id = ${id}`.execute(db)).rows[0]?.number ?? 0) || null
}
