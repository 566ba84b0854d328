import { DateTime } from 'luxon'
import type { SlaTargets } from '../../../../../common/src/sla/sla.types'
import { defaultCalendar } from '../calendar/mexico-holidays'
import type { SlaClockInput, SlaEvent, SlaTargetResult } from '../clock/clock.types'
import { computeSla } from '../clock/compute-sla'

const ZONE = 'America/Mexico_City'
/** Default calendar of 2026: Mon–Fri 09:00–17:00 Mexico City; Monday 16 March is a holiday. */
export const MX_2026 = defaultCalendar([2026])

/** "2026-03-02 09:00" (Mexico City wall time) → Date. */
export const mx = (local: string): Date => DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm:ss', { zone: ZONE }).isValid
  ? DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm:ss', { zone: ZONE }).toJSDate()
  : DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm', { zone: ZONE }).toJSDate()

const local = (ms: number | null) => (ms === null ? null : DateTime.fromMillis(ms, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm'))

/**
 * A target with its instants as Mexico City wall times, for readable assertions (without the
 * raw `elapsedMs` / `counting` that live tickets store; their tests check those).
 */
export function readable(t: SlaTargetResult | null) {
  if (!t) return null
  const { elapsedMs: _elapsedMs, counting: _counting, ...rest } = t
  return { ...rest, dueAt: local(t.dueAt), warningAt: local(t.warningAt), metAt: local(t.metAt), breachedAt: local(t.breachedAt) }
}

/** Shorthand event: ev('2026-03-02 09:00', 'created'), ev(…, 'status', { status: 'open' }). */
export const ev = (at: string, type: SlaEvent['type'], extra: Partial<SlaEvent> = {}): SlaEvent => ({ at: mx(at), type, ...extra })

/** Runs the clock on the 2026 default calendar; returns the three targets as readable objects. */
export function clock(targets: SlaTargets, events: SlaEvent[], now: string, options: Partial<SlaClockInput> = {}) {
  const result = computeSla({ calendar: MX_2026, targets, events, now: mx(now), ...options })
  return {
    first: readable(result.firstResponse),
    next: result.nextResponse ? { ...readable(result.nextResponse), cycle: result.nextResponse.cycle } : null,
    resolution: readable(result.resolution),
  }
}
