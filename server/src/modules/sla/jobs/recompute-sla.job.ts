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
 * usable for a whole table after a bulk load (`statuses: null`), and for the tickets under one
 * category after it moved in the tree (`categoryId`). Returns the tickets done.
 */
export async function recomputeOpenTickets(db: Db, now: Date, opts: { statuses?: string[] | null; categoryId?: string } = {}): Promise<number> {
  const excluded = opts.statuses === null ? [] : ['closed', 'cancelled']
  // A moved category: its tickets and those of its sub-categories (paths list every ancestor).
  const inCategory = opts.categoryId
    ? sql`and category_id in (select id from categories where ${opts.categoryId}::uuid = any(path))`
    : sql``
  let after = '00000000-0000-0000-0000-000000000000'
  let done = 0
  for (;;) {
    const ids = (await sql<{ id: string }>`select id from tickets where id > ${after}::uuid and not (status = any(${excluded}::text[])) ${inCategory}
      order by id limit ${RECOMPUTE_BATCH}`.execute(db)).rows.map((r) => r.id)
    if (!ids.length) return done
    // Warnings and breaches already past under the new rules are recorded, not acted on.
    await inTransaction(db, (trx) => recomputeTicketsSla(trx, ids, { now, suppressPast: true }))
    done += ids.length
    after = ids[ids.length - 1]
  }
}

defineJob(RECOMPUTE_JOB, async (ctx, payload) => {
  await recomputeOpenTickets(ctx.db, ctx.now(), typeof payload.categoryId === 'string' ? { categoryId: payload.categoryId } : {})
})
