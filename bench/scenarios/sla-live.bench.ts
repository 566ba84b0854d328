import { sql } from 'kysely'
import type { BenchSuite, Engine, Progress } from '../harness'
import { sessionHeaders } from '../harness'
import { BENCH_ADMIN } from './platform.bench'
import type { AppContext } from '../../server/src/platform/context'
import { inTransaction } from '../../server/src/platform/db/database'
import { loadExampleSet } from '../../server/src/modules/sla/presets/load-example-set'
import { MVNO_PRESET } from '../../server/src/modules/sla/presets/mvno'
import { createPolicy } from '../../server/src/modules/sla/admin/policy-commands'
import { recomputeTicketsSla } from '../../server/src/modules/sla/live/recompute-ticket-sla'

const BATCH = 2000
const DAY = 86_400_000

/** Tickets to seed: BENCH_TICKETS, else 1,000,000 on PostgreSQL and 100,000 on PGlite. */
function scale(engine: Engine): number {
  const n = Number(process.env.BENCH_TICKETS)
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : engine === 'postgres' ? 1_000_000 : 100_000
}

/**
 * Seeds N tickets: the MVNO example set through its loader (its escalations removed, so the seed
 * does not queue millions of jobs), plus a 24×7 policy for urgent tickets placed first so some
 * tickets are due at any hour of the run; tickets bulk-inserted over the last 10 days (tickets
 * only: their SLA needs no history), then their SLA computed by the real recomputeTicketsSla in
 * batches of 2,000 (one transaction each), then ANALYZE.
 */
async function seed(ctx: AppContext, engine: Engine, progress: Progress) {
  const n = scale(engine)
  const now = ctx.now()
  const categoryIds = await inTransaction(ctx.db, async (trx) => {
    await loadExampleSet(trx, MVNO_PRESET, now)
    await createPolicy(trx, { name: 'Urgentes 24×7', position: -1, conditions: { priorities: ['urgent'] }, calendar: '24x7',
      targets: { urgent: { firstResponseMinutes: 120, resolutionMinutes: 24 * 60 } } }, now)
    await sql`update sla_policies set escalations = '[]'`.execute(trx)
    await sql`delete from jobs where name = 'recomputeSla'`.execute(trx)
    return (await sql<{ id: string }>`select id from categories where depth = 1 order by name`.execute(trx)).rows.map((r) => r.id)
  })
  const requester = (await sql<{ id: string }>`insert into users (email, name, role) values ('bench-cliente@example.test', 'Cliente Bench', 'customer') returning id`.execute(ctx.db)).rows[0].id
  const type = (await sql<{ id: string }>`select id from ticket_types order by position limit 1`.execute(ctx.db)).rows[0].id

  progress.start(`Tickets (${n.toLocaleString('es-MX')})`, n)
  for (let done = 0; done < n; done += BATCH) {
    const size = Math.min(BATCH, n - done)
    await sql`insert into tickets (subject, type_id, category_id, priority, status, requester_id, created_at, updated_at, status_changed_at)
      select 'Ticket de prueba ' || (${done}::int + g), ${type}::uuid, (${categoryIds}::uuid[])[1 + (${done}::int + g) % ${categoryIds.length}::int],
        (array['urgent','high','normal','normal','low'])[1 + (${done}::int + g) % 5], (array['new','open','open','pending'])[1 + (${done}::int + g) % 4],
        ${requester}::uuid, ts, ts, ts
      from generate_series(1, ${size}::int) g,
        lateral (select ${now}::timestamptz - (((${done}::bigint + g) * 7919) % ${10 * DAY / 1000}::bigint) * interval '1 second' as ts) t`.execute(ctx.db)
    progress.tick(size)
  }
  progress.stop()

  progress.start('SLA (recomputeTicketsSla)', n)
  let after = '00000000-0000-0000-0000-000000000000'
  for (;;) {
    const ids = (await sql<{ id: string }>`select id from tickets where id > ${after}::uuid order by id limit ${BATCH}`.execute(ctx.db)).rows.map((r) => r.id)
    if (!ids.length) break
    await inTransaction(ctx.db, (trx) => recomputeTicketsSla(trx, ids, { now }))
    // The SLA tables start empty: without statistics the planner reads `ticket_id = any(…)` as
    // most of the table and scans it whole for every batch (autovacuum's ANALYZE comes too late).
    if (after === '00000000-0000-0000-0000-000000000000') await sql`analyze tickets, ticket_sla, ticket_sla_summary`.execute(ctx.db)
    after = ids[ids.length - 1]
    progress.tick(ids.length)
  }
  progress.stop()
  await sql`analyze`.execute(ctx.db)
  const dueToday = (await sql<{ n: number }>`select count(*)::int as n from ticket_sla_summary where next_due_at >= ${now} and next_due_at < ${new Date(now.getTime() + DAY)}`.execute(ctx.db)).rows[0].n
  return { tickets: n, dueWithin24h: dueToday }
}

/** "Vencen hoy": the agent inbox list of tickets due later today, sorted by due time (and its "vencidos" sibling). */
export const slaLiveSuite: BenchSuite = {
  name: 'sla-live',
  seed,
  async loads(base, state) {
    const session = await sessionHeaders(base, BENCH_ADMIN.email, BENCH_ADMIN.password)
    const headers = { cookie: session.cookie }
    const n = Number(state.tickets ?? 0).toLocaleString('en-US')
    return [
      // Baseline: the same list page without SLA filter or sort (what the SLA part adds is the difference).
      { name: `GET /api/v1/tickets (${n}) ×1, baseline`, path: '/api/v1/tickets', headers, connections: 1 },
      // One client: the latency an agent sees. Eight: the same list under concurrent load.
      { name: `GET /api/v1/tickets?sla=due_today (${n}) ×1`, path: '/api/v1/tickets?sla=due_today', headers, connections: 1, target: 'p95 ≤ 20 ms at 1,000,000' },
      { name: `GET /api/v1/tickets?sla=due_today (${n}) ×8`, path: '/api/v1/tickets?sla=due_today', headers, connections: 8 },
      { name: `GET /api/v1/tickets?sla=breached (${n})`, path: '/api/v1/tickets?sla=breached', headers, connections: 8 },
    ]
  },
}
