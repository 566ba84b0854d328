import type { SlaStatus, SlaTargets } from '../common/src/sla/sla.types'
import { compileCalendar } from '../server/src/modules/sla/calendar/business-time'
import { defaultCalendar } from '../server/src/modules/sla/calendar/mexico-holidays'
import type { SlaEvent } from '../server/src/modules/sla/clock/clock.types'
import { computeSla } from '../server/src/modules/sla/clock/compute-sla'
import { MVNO_PRESET } from '../server/src/modules/sla/presets/mvno'

interface BenchTicket {
  targets: SlaTargets
  resolutionStart: 'created' | 'info_complete'
  events: SlaEvent[]
}

const POOL = 50_000
const MINUTE = 60_000

/** Deterministic pseudo-random numbers (mulberry32), so every run computes the same tickets. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A ticket life of 10 events: replies, waits for information, third parties, resolution, reopening. */
function buildPool(size: number): BenchTicket[] {
  const rnd = random(20260302)
  const start = Date.UTC(2025, 0, 1)
  const span = 2 * 365 * 24 * 60 * MINUTE
  const steps: [SlaEvent['type'], SlaStatus | undefined][] = [
    ['agent_reply', undefined], ['status', 'pending'], ['customer_reply', undefined], ['status', 'open'],
    ['agent_reply', undefined], ['status', 'on_hold'], ['customer_reply', undefined], ['status', 'resolved'], ['status', 'open'],
  ]
  return Array.from({ length: size }, () => {
    let at = start + Math.floor(rnd() * span)
    const events: SlaEvent[] = [{ at, type: 'created' }]
    for (const [type, status] of steps) {
      at += Math.floor(5 + rnd() * 900) * MINUTE
      events.push(status ? { at, type, status } : { at, type })
    }
    const row = MVNO_PRESET.rows[Math.floor(rnd() * MVNO_PRESET.rows.length)]
    return {
      targets: { firstResponseMinutes: row.firstResponseMinutes, nextResponseMinutes: 120, resolutionMinutes: row.resolutionMinutes },
      resolutionStart: rnd() < 0.5 ? 'created' : 'info_complete',
      events,
    }
  })
}

/**
 * Computes the SLA targets (first response, next response, resolution) of `tickets` tickets with
 * 10 events each, in memory, on the default calendar, and returns tickets per second. The tickets
 * come from a pool of 50,000 distinct generated lives (spread over 2025–2026), reused in turn.
 */
export async function run(tickets = 1_000_000): Promise<number> {
  const pool = buildPool(Math.min(POOL, tickets))
  const calendar = compileCalendar(defaultCalendar([2024, 2025, 2026, 2027, 2028]))
  const now = Date.UTC(2027, 0, 1)
  let breached = 0
  const started = performance.now()
  for (let i = 0; i < tickets; i++) {
    const t = pool[i % pool.length]
    const r = computeSla({ calendar, targets: t.targets, resolutionStart: t.resolutionStart, events: t.events, now })
    if (r.resolution?.state === 'breached') breached++
  }
  const seconds = (performance.now() - started) / 1000
  if (breached < 0) throw new Error('unreachable')
  return Math.round(tickets / seconds)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1_000_000)
  const started = performance.now()
  const perSecond = await run(n)
  console.log(`sla-compute: ${n} tickets × 10 events, ${perSecond} tickets/s, ${((performance.now() - started) / 1000).toFixed(2)} s total`)
}
