import { DateTime } from 'luxon'
import { WEEKDAYS, type CalendarSpec } from '../../../../../common/src/sla/sla.types'

/**
 * Test oracle, written independently of the interval table: is the wall-clock minute at instant
 * `t` inside one of the calendar's intervals on a non-holiday date?
 */
export function openByWallClock(cal: CalendarSpec, t: number): boolean {
  const local = DateTime.fromMillis(t, { zone: cal.timezone })
  if ((cal.holidays ?? []).includes(local.toISODate() ?? '')) return false
  const minute = local.hour * 60 + local.minute
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))
  return (cal.hours[WEEKDAYS[local.weekday - 1]] ?? []).some(([a, b]) => minute >= toMinutes(a) && minute < toMinutes(b))
}

/** Business minutes in [a, b) counted one real minute at a time with the oracle (a, b whole minutes). */
export function bruteForceMinutes(cal: CalendarSpec, a: number, b: number): number {
  let count = 0
  for (let t = a; t < b; t += 60_000) if (openByWallClock(cal, t)) count++
  return count
}
