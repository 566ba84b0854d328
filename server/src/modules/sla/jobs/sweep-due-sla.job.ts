import { sql } from 'kysely'
import { inTransaction, type Db } from '../../../platform/db/database'
import { defineJob } from '../../../platform/jobs/queue'
import { recomputeTicketsSla } from '../live/recompute-ticket-sla'

const BATCH = 500
/** At most this many tickets per run; the next run (5 minutes later) continues. */
const MAX_PER_RUN = 20_000

/**
 * `sweepDueSla`: recomputes tickets whose earliest running deadline has passed, so a breach that no
 * escalation job watched (policies without escalation rules) is still recorded in sla_breaches,
 * and the summary moves on (`overdue_since`, the next running deadline) for "vencidos" lists.
 * Returns the tickets recomputed.
 */
export async function sweepDueSla(db: Db, now: Date): Promise<number> {
  let done = 0
  while (done < MAX_PER_RUN) {
    const ids = (await sql<{ ticket_id: string }>`select ticket_id from ticket_sla_summary where next_due_at <= ${now}
      order by next_due_at, ticket_id limit ${BATCH}`.execute(db)).rows.map((r) => r.ticket_id)
    if (!ids.length) break
    await inTransaction(db, (trx) => recomputeTicketsSla(trx, ids, { now }))
    done += ids.length
    if (ids.length < BATCH) break
  }
  return done
}

defineJob('sweepDueSla', async (ctx) => { await sweepDueSla(ctx.db, ctx.now()) })

/** Every 5 minutes; main.ts declares it at start. */
export const sweepDueSlaSchedule = { name: 'sweepDueSla', jobName: 'sweepDueSla', cron: '*/5 * * * *', timezone: 'America/Mexico_City' }
