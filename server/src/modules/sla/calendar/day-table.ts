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
 * Real-time intervals [start, end) in epoch ms for the local days [from, to) of `zone`. Local wall
 * times go through Luxon, so DST is handled by the zone database: a 09:00–17:00 day is 8 real hours,
 * a 00:00–24:00 day is 23 or 25 on switch days, and a start inside a skipped hour moves forward.
 * Touching intervals are merged, and so are spans a DST quirk made overlap.
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
  for (let day = from; day < to; day = day.plus({ days: 1 })) {
    const spans = template[day.weekday - 1]
    if (spans.length === 0 || holidays.has(day.toISODate() ?? '')) continue
    for (const [a, b] of spans) {
      const start = localInstant(day, a, zone)
      const end = localInstant(day, b, zone)
      const last = ends.length - 1
      if (last >= 0 && start <= ends[last]) {
        if (end > ends[last]) ends[last] = end
        continue
      }
      if (end <= start) continue
      starts.push(start)
      ends.push(end)
    }
  }
  return { starts, ends }
}

/** Instant of `minutes` after local midnight of `day` (1440 = next local midnight). */
function localInstant(day: DateTime, minutes: number, zone: string): number {
  if (minutes === 1440) return day.plus({ days: 1 }).startOf('day').toMillis()
  return DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 },
    { zone },
  ).toMillis()
}
