import { sql } from 'kysely'
import { inTransaction, type Db } from '../../../platform/db/database'
import { defineJob } from '../../../platform/jobs/queue'
import { RECOMPUTE_JOB } from '../admin/calendar-commands'
import { recomputeTicketsSla } from '../live/recompute-ticket-sla'

/** Tickets recomputed per transaction. */
export const RECOMPUTE_BATCH = 500

/**
 * `recomputeSla`: after a policy or calendar change, recomputes every ticket that is not closed
 * or cancelled, in batches of RECOMPUTE_BATCH (one transaction each, by id), as of now. Also
 * usable for a whole table after a bulk load (`statuses: null`). Returns the tickets done.
 */
export async function recomputeOpenTickets(db: Db, now: Date, opts: { statuses?: string[] | null } = {}): Promise<number> {
  const excluded = opts.statuses === null ? [] : ['closed', 'cancelled']
  let after = '00000000-0000-0000-0000-000000000000'
  let done = 0
  for (;;) {
    const ids = (await sql<{ id: string }>`select id from tickets where id > ${after}::uuid and not (status = any(${excluded}::text[]))
      order by id limit ${RECOMPUTE_BATCH}`.execute(db)).rows.map((r) => r.id)
    if (!ids.length) return done
    // Warnings and breaches already past under the new rules are recorded, not acted on.
    await inTransaction(db, (trx) => recomputeTicketsSla(trx, ids, { now, suppressPast: true }))
    done += ids.length
    after = ids[ids.length - 1]
  }
}

defineJob(RECOMPUTE_JOB, async (ctx) => {
  await recomputeOpenTickets(ctx.db, ctx.now())
})
