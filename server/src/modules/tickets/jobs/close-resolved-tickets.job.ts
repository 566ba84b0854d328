import { sql } from 'kysely'
import { systemActor } from '../../../platform/auth/actor'
import { inTransaction } from '../../../platform/db/database'
import { defineJob } from '../../../platform/jobs/queue'
import type { AppContext } from '../../../platform/context'
import { readTicketSettings } from '../settings/ticket-settings'
import { changeStatus } from '../commands/change-status'
import { loadTicket } from '../queries/load-ticket'

const BATCH = 200

/**
 * Closes resolved tickets whose reopen window (setting tickets.reopenWindowDays, default 7 days)
 * has passed. One transaction per ticket (history + ticket.status_changed event each); a ticket
 * reopened meanwhile is skipped. Returns how many it closed.
 */
export async function closeResolvedTickets(ctx: AppContext): Promise<number> {
  const now = ctx.now()
  const { reopenWindowDays } = await readTicketSettings(ctx.db)
  const cutoff = new Date(now.getTime() - reopenWindowDays * 86_400_000)
  const actor = systemActor()
  let closed = 0
  for (;;) {
    const ids = (await sql<{ id: string }>`select id from tickets where status = 'resolved' and resolved_at <= ${cutoff}
      order by resolved_at limit ${BATCH}`.execute(ctx.db)).rows.map((r) => r.id)
    for (const id of ids) {
      await inTransaction(ctx.db, async (trx) => {
        const ticket = await loadTicket(trx, id, { forUpdate: true })
        if (!ticket || ticket.status !== 'resolved' || !ticket.resolved_at || new Date(ticket.resolved_at) > cutoff) return
        if (await changeStatus(trx, { actor, now }, id, { status: 'closed' }, { ticket, skipAuthorize: true })) closed++
      })
    }
    if (ids.length < BATCH) return closed
  }
}

defineJob('closeResolvedTickets', async (ctx) => { await closeResolvedTickets(ctx) })

/** Every 15 minutes; main.ts declares it at start. */
export const closeResolvedTicketsSchedule = { name: 'closeResolvedTickets', jobName: 'closeResolvedTickets', cron: '*/15 * * * *', timezone: 'America/Mexico_City' }
