import { sql, type Selectable } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import type { CalendarSpec, Weekday } from '../../../../../common/src/sla/sla.types'
import { compileCalendar } from '../calendar/business-time'
import type { CompiledCalendar } from '../calendar/compiled-calendar'
import { calendar24x7, mexicanStatutoryHolidays } from '../calendar/mexico-holidays'
import type { SlaCalendarsTable } from '../sla.tables'
import { isUuid } from '../../../platform/db/uuid'

export type CalendarRow = Selectable<SlaCalendarsTable>

/** Years for which statutory rest days are generated (the simulator accepts the same range). */
export const HOLIDAY_YEARS = { from: 1970, to: 2200 } as const

/** The statutory rest days a calendar generates in one year (none without `statutory`). */
export function statutoryHolidays(row: Pick<CalendarRow, 'statutory'>, year: number): string[] {
  return row.statutory === 'MX' ? mexicanStatutoryHolidays(year) : []
}

/**
 * The calendar the clock uses: its zone and hours, its own closed dates, and the statutory rest
 * days of every year in HOLIDAY_YEARS minus the ones the admin removed.
 */
export function calendarSpecOf(row: CalendarRow): CalendarSpec {
  const removed = new Set(row.removed_holidays)
  const dates = new Set(row.holidays.map((h) => h.date))
  if (row.statutory) {
    for (let y = HOLIDAY_YEARS.from; y <= HOLIDAY_YEARS.to; y++) {
      for (const d of statutoryHolidays(row, y)) if (!removed.has(d)) dates.add(d)
    }
  }
  return { timezone: row.timezone, hours: row.hours as Partial<Record<Weekday, [string, string][]>>, holidays: [...dates].sort() }
}

interface Cached { version: number; spec: CalendarSpec; compiled: CompiledCalendar }
const cache = new Map<string, Cached>()

/**
 * A stored calendar compiled for arithmetic, cached by id and `updated_at` (several instances may
 * edit calendars: every caller passes the version it read, so a stale entry is rebuilt).
 */
export function compiledCalendarOf(row: CalendarRow): { spec: CalendarSpec; compiled: CompiledCalendar } {
  const version = new Date(row.updated_at).getTime()
  const hit = cache.get(row.id)
  if (hit && hit.version === version) return hit
  const spec = calendarSpecOf(row)
  const entry = { version, spec, compiled: compileCalendar(spec) }
  cache.set(row.id, entry)
  return entry
}

/** Every stored calendar, default first, then by name. */
export async function listCalendars(db: Executor): Promise<CalendarRow[]> {
  return (await sql<CalendarRow>`select * from sla_calendars order by is_default desc, builtin nulls last, lower(name)`.execute(db)).rows
}

export async function findCalendar(db: Executor, id: string): Promise<CalendarRow | null> {
  if (!isUuid(id)) return null
  return (await sql<CalendarRow>`select * from sla_calendars where id = ${id}`.execute(db)).rows[0] ?? null
}

/** The calendar policies without one use (flag `is_default`; the seeded one unless changed). */
export async function defaultCalendarRow(db: Executor): Promise<CalendarRow> {
  const row = (await sql<CalendarRow>`select * from sla_calendars where is_default or builtin = 'default' order by is_default desc limit 1`.execute(db)).rows[0]
  if (!row) throw new Error('the default SLA calendar is missing (migration 0200)')
  return row
}

/** The seeded 24×7 calendar (a built-in one if it was never seeded). */
export async function calendar24x7Row(db: Executor): Promise<CalendarRow> {
  const row = (await sql<CalendarRow>`select * from sla_calendars where builtin = '24x7'`.execute(db)).rows[0]
  if (row) return row
  const spec = calendar24x7()
  return { id: '24x7', name: '24×7', builtin: '24x7', is_default: false, timezone: spec.timezone, hours: spec.hours as CalendarRow['hours'],
    holidays: [], statutory: null, removed_holidays: [], created_at: new Date(0), updated_at: new Date(0) }
}

/** Calendars by id, for callers that resolve many policies at once. */
export async function calendarsById(db: Executor): Promise<Map<string, CalendarRow>> {
  return new Map((await listCalendars(db)).map((r) => [r.id, r]))
}
