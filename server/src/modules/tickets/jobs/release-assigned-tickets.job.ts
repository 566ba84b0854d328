import { sql } from 'kysely'
import { systemActor } from '../../../platform/auth/actor'
import { inTransaction } from '../../../platform/db/database'
import { onEvent } from '../../../platform/events/events'
import { defineJob } from '../../../platform/jobs/queue'
import type { AppContext } from '../../../platform/context'
import { FINAL_STATUSES } from '../../../../../common/src/tickets/tickets.types'
import { updateTicket } from '../commands/update-ticket'
import { loadTicket } from '../queries/load-ticket'

const BATCH = 200

/**
 * Takes a staff member who left (deactivated, or made a customer; `user.left_staff`) off the
 * tickets still in progress that are assigned to them — resolved ones included, since a reply can
 * reopen them: each goes back to its team's unassigned queue instead of waiting on someone who
 * will never answer. Closed and cancelled tickets keep who handled them. One transaction per ticket
 * (history `via: system`, `ticket.updated`, SLA recomputed as for any reassignment); a ticket
 * reassigned meanwhile is left alone. Returns how many it released.
 */
export async function releaseAssignedTickets(ctx: AppContext, userId: string): Promise<number> {
  const actor = systemActor()
  let released = 0
  for (;;) {
    const ids = (await sql<{ id: string }>`select id from tickets where assignee_id = ${userId} and status <> all(${FINAL_STATUSES}::text[])
      order by id limit ${BATCH}`.execute(ctx.db)).rows.map((r) => r.id)
    for (const id of ids) {
      await inTransaction(ctx.db, async (trx) => {
        const ticket = await loadTicket(trx, id, { forUpdate: true })
        if (!ticket || ticket.assignee_id !== userId || FINAL_STATUSES.includes(ticket.status)) return
        // Back on the job if they came back before this ran.
        const still = (await sql<{ gone: boolean }>`select (not active or role = 'customer') as gone from users where id = ${userId}`.execute(trx)).rows[0]
        if (!still?.gone) return
        await updateTicket(trx, { actor, now: ctx.now() }, id, { assigneeId: null })
        released++
      })
    }
    if (ids.length < BATCH) return released
  }
}

defineJob('releaseAssignedTickets', async (ctx, payload) => { await releaseAssignedTickets(ctx, String(payload.userId)) })
onEvent('user.left_staff', 'releaseAssignedTickets')
