import { IANAZone } from 'luxon'
import { WEEKDAYS, type Weekday } from '../../../../../common/src/sla/sla.types'
import { slaIssue, type SlaIssue } from '../sla.errors'
import { isIsoDate, parseTimeOfDay } from './time-of-day'

/**
 * Least working time a week. With less, a target of up to a year of minutes (the most a policy
 * takes) could fall centuries ahead, past what a calendar table is built for (`compiled-calendar.ts`).
 */
export const MIN_WEEKLY_MINUTES = 60

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Checks a calendar: a known IANA zone, weekday keys, well-formed non-inverted intervals that do
 * not overlap within a day, valid holiday dates, and some working time. Returns every problem
 * found, each naming its field under `prefix` (e.g. `calendar.hours.mon[0]`); [] when valid.
 */
export function validateCalendar(input: unknown, prefix = 'calendar'): SlaIssue[] {
  if (!isRecord(input)) return [slaIssue(prefix, 'sla.not_object')]
  const issues: SlaIssue[] = []
  for (const key of Object.keys(input)) {
    if (!['timezone', 'hours', 'holidays'].includes(key)) issues.push(slaIssue(`${prefix}.${key}`, 'sla.unknown_field'))
  }
  const zone = input.timezone
  if (zone === undefined) issues.push(slaIssue(`${prefix}.timezone`, 'sla.required'))
  else if (typeof zone !== 'string' || !IANAZone.isValidZone(zone)) {
    issues.push(slaIssue(`${prefix}.timezone`, 'sla.timezone_unknown', { value: String(zone) }))
  }
  const hours = input.hours
  if (!isRecord(hours)) {
    issues.push(slaIssue(`${prefix}.hours`, hours === undefined ? 'sla.required' : 'sla.not_object'))
  } else {
    let working = 0
    for (const [day, intervals] of Object.entries(hours)) {
      const field = `${prefix}.hours.${day}`
      if (!WEEKDAYS.includes(day as Weekday)) {
        issues.push(slaIssue(field, 'sla.weekday_unknown', { value: day }))
        continue
      }
      const before = issues.length
      const parsed = validateDay(intervals, field, issues)
      if (issues.length === before) working += parsed
    }
    if (issues.length === 0 && working === 0) issues.push(slaIssue(`${prefix}.hours`, 'sla.no_working_time'))
    else if (issues.length === 0 && working < MIN_WEEKLY_MINUTES) {
      issues.push(slaIssue(`${prefix}.hours`, 'sla.too_little_working_time', { minutes: String(MIN_WEEKLY_MINUTES) }))
    }
  }
  const holidays = input.holidays
  if (holidays !== undefined) {
    if (!Array.isArray(holidays)) issues.push(slaIssue(`${prefix}.holidays`, 'sla.date_invalid', { value: String(holidays) }))
    else holidays.forEach((date, i) => {
      if (!isIsoDate(date)) issues.push(slaIssue(`${prefix}.holidays[${i}]`, 'sla.date_invalid', { value: String(date) }))
    })
  }
  return issues
}

/** Validates one weekday's intervals; returns its working minutes. */
function validateDay(intervals: unknown, field: string, issues: SlaIssue[]): number {
  if (!Array.isArray(intervals)) {
    issues.push(slaIssue(field, 'sla.interval_shape'))
    return 0
  }
  const spans: { start: number; end: number; index: number }[] = []
  intervals.forEach((interval: unknown, index) => {
    const at = `${field}[${index}]`
    if (!Array.isArray(interval) || interval.length !== 2) return issues.push(slaIssue(at, 'sla.interval_shape'))
    const start = parseTimeOfDay(interval[0], false)
    const end = parseTimeOfDay(interval[1], true)
    if (start === null) issues.push(slaIssue(`${at}[0]`, 'sla.time_invalid', { value: String(interval[0]) }))
    if (end === null) issues.push(slaIssue(`${at}[1]`, 'sla.time_invalid', { value: String(interval[1]) }))
    if (start === null || end === null) return
    if (end <= start) return issues.push(slaIssue(at, 'sla.interval_inverted', { start: interval[0], end: interval[1] }))
    spans.push({ start, end, index })
  })
  // Touching intervals (09:00–14:00 and 14:00–18:00) are fine; any shared minute is an overlap.
  const sorted = [...spans].sort((a, b) => a.start - b.start)
  let reach = sorted[0]
  for (const span of sorted.slice(1)) {
    if (span.start < reach.end) {
      const [other, later] = [reach.index, span.index].sort((a, b) => a - b)
      issues.push(slaIssue(`${field}[${later}]`, 'sla.interval_overlap', { other: `${field}[${other}]` }))
    }
    if (span.end > reach.end) reach = span
  }
  return spans.reduce((sum, s) => sum + s.end - s.start, 0)
}
