import { sql } from 'kysely'
import type { AppContext } from '../../../platform/context'
import { actorForUser } from '../../../platform/auth/load-actor'
import { inTransaction } from '../../../platform/db/database'
import { createTicket, type CreateTicketInput } from '../commands/create-ticket'
import { changeStatus } from '../commands/change-status'

/**
 * Test setup: files a ticket through the real command as `byUserId` (a staff user files for any
 * requester), optionally moving it to a status. Returns id and number.
 */
export async function buildTicket(ctx: AppContext, byUserId: string, input: Partial<CreateTicketInput> & { statusArgs?: Record<string, unknown> } = {}) {
  const actor = (await actorForUser(ctx.db, byUserId))!
  const { statusArgs, status, ...rest } = input
  return inTransaction(ctx.db, async (trx) => {
    const t = await createTicket(trx, { actor, now: ctx.now() }, { subject: 'Ticket de prueba', description: 'Descripción', ...rest })
    if (status) await changeStatus(trx, { actor: { ...actor, via: 'system' }, now: ctx.now() }, t.id, { status, ...statusArgs }, { skipAuthorize: true })
    return t
  })
}

/** Rows of the outbox for a ticket, oldest first. */
export async function eventsOf(ctx: AppContext, ticketId: string) {
  return (await sql<{ type: string; payload: Record<string, unknown>; actor_id: string | null }>`
    select type, payload, actor_id from events where ticket_id = ${ticketId} order by id`.execute(ctx.db)).rows
}

/** History rows of a ticket, oldest first. */
export async function historyOf(ctx: AppContext, ticketId: string) {
  return (await sql<{ action: string; field: string | null; old_value: unknown; new_value: unknown; actor_id: string | null; via: string; via_token_id: string | null; internal: boolean }>`
    select action, field, old_value, new_value, actor_id, via, via_token_id, internal from ticket_history where ticket_id = ${ticketId} order by id`.execute(ctx.db)).rows
}

/** Creates an API token for a user directly (setup), returning the raw token. */
export async function createApiToken(ctx: AppContext, userId: string, scopes: string[]) {
  const { sha256 } = await import('../../../platform/auth/secrets')
  const raw = `atk_test_${Math.random().toString(36).slice(2)}${Date.now()}`
  const row = (await sql<{ id: string }>`insert into api_tokens (user_id, name, token_hash, prefix, scopes)
    values (${userId}, 'prueba', ${sha256(raw)}, ${raw.slice(0, 8)}, ${scopes}) returning id`.execute(ctx.db)).rows[0]
  return { token: raw, id: row.id }
}
