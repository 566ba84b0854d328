import type { CalendarSpec, Weekday } from '../../../../../common/src/sla/sla.types'

export const DEFAULT_TIMEZONE = 'America/Mexico_City'

/**
 * Mexico's statutory rest days (Ley Federal del Trabajo, art. 74) of one year, "YYYY-MM-DD":
 * 1 Jan; first Monday of Feb; third Monday of Mar; 1 May; 16 Sep; third Monday of Nov; 25 Dec;
 * and the change of federal government every six years — 1 Oct since 2024 (2024, 2030, …),
 * 1 Dec in the earlier cycle years (…, 2012, 2018).
 */
export function mexicanStatutoryHolidays(year: number): string[] {
  const days = [
    date(year, 1, 1),
    nthMonday(year, 2, 1),
    nthMonday(year, 3, 3),
    date(year, 5, 1),
    date(year, 9, 16),
    nthMonday(year, 11, 3),
    date(year, 12, 25),
  ]
  if (year >= 2024 && (year - 2024) % 6 === 0) days.push(date(year, 10, 1))
  if (year < 2024 && year >= 1934 && (year - 2018) % 6 === 0) days.push(date(year, 12, 1))
  return days.sort()
}

/**
 * The default business calendar: Monday–Friday 09:00–17:00 America/Mexico_City with the statutory
 * rest days of the given years.
 */
export function defaultCalendar(years: Iterable<number>): CalendarSpec {
  const weekday: [string, string][] = [['09:00', '17:00']]
  const holidays = [...new Set(years)].sort((a, b) => a - b).flatMap(mexicanStatutoryHolidays)
  return {
    timezone: DEFAULT_TIMEZONE,
    hours: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday },
    holidays,
  }
}

/** A calendar that never closes (24×7); the zone only decides how instants are displayed. */
export function calendar24x7(timezone = DEFAULT_TIMEZONE): CalendarSpec {
  const all: [string, string][] = [['00:00', '24:00']]
  const days: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
  return { timezone, hours: Object.fromEntries(days.map((d) => [d, all])), holidays: [] }
}

// Plain UTC date arithmetic (no zone is involved in a calendar date): calendars generate these
// for two centuries of years, so this runs thousands of times when one is compiled.
const pad = (n: number, width = 2) => String(n).padStart(width, '0')

function date(year: number, month: number, day: number): string {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

/** The n-th Monday (1-based) of a month. */
function nthMonday(year: number, month: number, n: number): string {
  const weekday = new Date(Date.UTC(year, month - 1, 1)).getUTCDay() // 0 = Sunday
  const firstMonday = 1 + ((8 - weekday) % 7)
  return date(year, month, firstMonday + (n - 1) * 7)
}
