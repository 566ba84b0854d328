import { DateTime } from 'luxon'
import { WEEKDAYS, type CalendarSpec } from '../../../../../common/src/sla/sla.types'
import { parseTimeOfDay } from './time-of-day'

/** Working intervals of one weekday in minutes after local midnight (1440 = end of day). */
export type WeekTemplate = [number, number][][]

/** Turns a (valid) calendar's `hours` into minute spans per ISO weekday index 0 (Mon) … 6 (Sun). */
export function weekTemplate(spec: CalendarSpec): WeekTemplate {
  return WEEKDAYS.map((day) =>
    (spec.hours[day] ?? [])
      .map(([a, b]): [number, number] => [parseTimeOfDay(a, false) ?? 0, parseTimeOfDay(b, true) ?? 0])
      .sort((x, y) => x[0] - y[0]),
  )
}

/** True when the calendar never closes: every day 00:00–24:00 and no holidays (a 24×7 calendar). */
export function isAlwaysOpen(template: WeekTemplate, holidays: ReadonlySet<string>): boolean {
  return holidays.size === 0 && template.every((day) => day.length === 1 && day[0][0] === 0 && day[0][1] === 1440)
}

/**
 * Real-time intervals [start, end) in epoch ms for the local days [from, to) of `zone` (both
 * local midnights). Wall times become instants through Luxon, so DST follows the zone database:
 * a 09:00–17:00 day is 8 real hours, a 00:00–24:00 day is 23 or 25 on switch days, a boundary in a
 * skipped hour moves forward and one in a repeated hour takes its later occurrence.
 * Speed: Luxon is asked for each week's midnights; when both carry the same UTC offset the week
 * has no switch and its wall times are that offset away; weeks with a switch ask Luxon per boundary.
 * Touching intervals are merged (09:00–14:00 + 14:00–18:00, or across midnight).
 */
export function buildIntervals(
  template: WeekTemplate,
  holidays: ReadonlySet<string>,
  zone: string,
  from: DateTime,
  to: DateTime,
): { starts: number[]; ends: number[] } {
  const starts: number[] = []
  const ends: number[] = []
  const push = (start: number, end: number) => {
    const last = ends.length - 1
    if (last >= 0 && start <= ends[last]) {
      if (end > ends[last]) ends[last] = end
    } else if (end > start) {
      starts.push(start)
      ends.push(end)
    }
  }
  const civilFrom = Date.UTC(from.year, from.month - 1, from.day)
  const totalDays = Math.round((Date.UTC(to.year, to.month - 1, to.day) - civilFrom) / DAY)
  const localDay = (k: number): DateTime => {
    const civil = new Date(civilFrom + k * DAY)
    return DateTime.fromObject({ year: civil.getUTCFullYear(), month: civil.getUTCMonth() + 1, day: civil.getUTCDate() }, { zone })
  }
  const atMidnight = (d: DateTime) => d.hour === 0 && d.minute === 0
  let weekStart = localDay(0)
  for (let first = 0; first < totalDays; first += 7) {
    const weekEnd = localDay(first + 7)
    // Same offset at both midnights (and both exist): no switch this week.
    const steady = weekStart.offset === weekEnd.offset && atMidnight(weekStart) && atMidnight(weekEnd)
    const weekStartMs = weekStart.toMillis()
    for (let k = first; k < Math.min(first + 7, totalDays); k++) {
      const spans = template[(from.weekday - 1 + k) % 7]
      if (spans.length === 0) continue
      if (holidays.size && holidays.has(new Date(civilFrom + k * DAY).toISOString().slice(0, 10))) continue
      if (steady) {
        const midnight = weekStartMs + (k - first) * DAY
        for (const [a, b] of spans) push(midnight + a * MINUTE, midnight + b * MINUTE)
      } else {
        const day = localDay(k)
        for (const [a, b] of spans) push(localInstant(day, a, zone), localInstant(day, b, zone))
      }
    }
    weekStart = weekEnd
  }
  return { starts, ends }
}

const MINUTE = 60_000
const DAY = 86_400_000

/** Instant of `minutes` after local midnight of `day` (1440 = next local midnight). */
function localInstant(day: DateTime, minutes: number, zone: string): number {
  if (minutes === 1440) return day.plus({ days: 1 }).startOf('day').toMillis()
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone },
  ).toMillis()
}
