import type { BenchSuite } from '../harness'
import { run as computeSla } from '../sla-compute'

/** SLA targets computed for many tickets in memory (the pure clock the live tickets use). */
export const slaSuite: BenchSuite = {
  name: 'sla',
  async loads() { return [] },
  async compute(_ctx, engine) {
    if (engine !== 'postgres' && process.env.BENCH_SLA_ON_PGLITE !== '1') return []
    const n = Number(process.env.BENCH_SLA_TICKETS ?? 1_000_000)
    const started = Date.now()
    const perSecond = await computeSla(n)
    return [{ name: `SLA targets for ${n} tickets × 10 events`, figures: { seconds: (Date.now() - started) / 1000, ticketsPerSecond: Math.round(perSecond) }, target: '≤ 5 s for 1,000,000' }]
  },
}
