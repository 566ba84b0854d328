import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import { enqueueJob } from '../../../platform/jobs/queue'
import { ConflictError, NotFoundError } from '../../../platform/http/errors'
import type { CalendarSpec } from '../../../../../common/src/sla/sla.types'
import { validateCalendar } from '../calendar/validate-calendar'
import { isIsoDate, parseTimeOfDay } from '../calendar/time-of-day'
import { SlaInputError, slaIssue, type SlaIssue } from '../sla.errors'
import type { CalendarHoliday } from '../sla.tables'
import { findCalendar, statutoryHolidays, type CalendarRow } from '../storage/calendar-store'

export const RECOMPUTE_JOB = 'recomputeSla'

export interface CalendarInput {
  name?: string
  timezone?: string
  hours?: CalendarSpec['hours']
  holidays?: Array<{ date: string; name?: string | null }>
  statutory?: 'MX' | null
  removedHolidays?: string[]
  isDefault?: boolean
}

/**
 * Open tickets are recomputed after a calendar or policy change. At most one such job waits in
 * the queue; one that is already running does not count (it may have read the rules before this
 * change), so another is queued behind it. `categoryId`: only the tickets in that category or
 * below it (a category moved in the tree), unless a whole recomputation is waiting anyway.
 */
export async function queueRecompute(trx: Trx, scope: { categoryId?: string } = {}) {
  const payload = scope.categoryId ? { categoryId: scope.categoryId } : {}
  const waiting = (await sql<{ payload: Record<string, unknown> }>`select payload from jobs
    where name = ${RECOMPUTE_JOB} and status = 'queued' and (payload = '{}'::jsonb or payload = ${JSON.stringify(payload)}::jsonb) limit 1`.execute(trx)).rows
  if (waiting.length) return
  await enqueueJob(trx, RECOMPUTE_JOB, payload)
}

/** Validates zone, hours and dates with the field names of the request body (`hours.mon[1]` …). */
function checkCalendar(row: { timezone: string; hours: unknown; holidays: CalendarHoliday[] }) {
  const issues: SlaIssue[] = validateCalendar({ timezone: row.timezone, hours: row.hours, holidays: row.holidays.map((h) => h.date) }, 'x')
    .map((i) => ({ ...i, field: i.field.replace(/^x\./, '').replace(/^holidays\[(\d+)\]$/, 'holidays[$1].date') }))
  const seen = new Set<string>()
  row.holidays.forEach((h, i) => {
    if (seen.has(h.date)) issues.push(slaIssue(`holidays[${i}].date`, 'sla.duplicate_value', { value: h.date }))
    seen.add(h.date)
  })
  if (issues.length) throw new SlaInputError(issues)
}

/** Business minutes of a week (for the admin screen's summary). */
export function weeklyMinutes(hours: CalendarSpec['hours']): number {
  let total = 0
  for (const intervals of Object.values(hours)) {
    for (const [a, b] of intervals ?? []) total += (parseTimeOfDay(b, true) ?? 0) - (parseTimeOfDay(a, false) ?? 0)
  }
  return total
}

async function loadOrThrow(trx: Trx, id: string): Promise<CalendarRow> {
  const row = await findCalendar(trx, id)
  if (!row) throw new NotFoundError('sla.calendar_not_found')
  return row
}

async function nameTaken(trx: Trx, name: string, except: string | null) {
  const hit = (await sql`select 1 from sla_calendars where lower(name) = lower(${name}) and id is distinct from ${except}::uuid`.execute(trx)).rows.length
  if (hit) throw new ConflictError('name_taken', 'sla.name_taken', { name })
}

const holidaysOf = (list: CalendarInput['holidays']): CalendarHoliday[] =>
  (list ?? []).map((h) => ({ date: h.date, name: h.name?.trim() || null })).sort((a, b) => a.date.localeCompare(b.date))

/** Creates a calendar (validated like the simulator's); `isDefault` moves the default flag to it. */
export async function createCalendar(trx: Trx, input: Required<Pick<CalendarInput, 'name' | 'timezone' | 'hours'>> & CalendarInput, now: Date): Promise<string> {
  const holidays = holidaysOf(input.holidays)
  checkCalendar({ timezone: input.timezone, hours: input.hours, holidays })
  await nameTaken(trx, input.name.trim(), null)
  if (input.isDefault) await sql`update sla_calendars set is_default = false, updated_at = ${now} where is_default`.execute(trx)
  const row = (await sql<{ id: string }>`insert into sla_calendars (name, is_default, timezone, hours, holidays, statutory, removed_holidays, created_at, updated_at)
    values (${input.name.trim()}, ${input.isDefault ?? false}, ${input.timezone}, ${JSON.stringify(input.hours)}::jsonb, ${JSON.stringify(holidays)}::jsonb,
      ${input.statutory ?? null}, ${[...new Set(input.removedHolidays ?? [])].sort()}, ${now}, ${now}) returning id`.execute(trx)).rows[0]
  if (input.isDefault) await queueRecompute(trx)
  return row.id
}

/** Changes a calendar; open tickets counting in it are recomputed afterwards. */
export async function updateCalendar(trx: Trx, id: string, input: CalendarInput, now: Date): Promise<void> {
  const row = await loadOrThrow(trx, id)
  const next = {
    name: input.name?.trim() ?? row.name,
    timezone: input.timezone ?? row.timezone,
    hours: input.hours ?? row.hours,
    holidays: input.holidays ? holidaysOf(input.holidays) : row.holidays,
    statutory: input.statutory !== undefined ? input.statutory : row.statutory,
    removed: input.removedHolidays ? [...new Set(input.removedHolidays)].sort() : row.removed_holidays,
  }
  checkCalendar(next)
  if (next.name.toLowerCase() !== row.name.toLowerCase()) await nameTaken(trx, next.name, id)
  if (input.isDefault && !row.is_default) await sql`update sla_calendars set is_default = false, updated_at = ${now} where is_default`.execute(trx)
  await sql`update sla_calendars set name = ${next.name}, timezone = ${next.timezone}, hours = ${JSON.stringify(next.hours)}::jsonb,
      holidays = ${JSON.stringify(next.holidays)}::jsonb, statutory = ${next.statutory}, removed_holidays = ${next.removed},
      is_default = ${input.isDefault ? true : row.is_default}, updated_at = ${now}
    where id = ${id}`.execute(trx)
  await queueRecompute(trx)
}

/** Deletes a calendar nobody uses; built-in and default calendars stay. */
export async function deleteCalendar(trx: Trx, id: string): Promise<CalendarRow> {
  const row = await loadOrThrow(trx, id)
  if (row.builtin) throw new ConflictError('calendar_builtin', 'sla.calendar_builtin', { name: row.name })
  if (row.is_default) throw new ConflictError('calendar_default', 'sla.calendar_default')
  const uses = (await sql<{ n: number }>`select (select count(*) from sla_policies where calendar_id = ${id})
    + (select count(*) from sla_cutoffs where calendar_id = ${id}) as n`.execute(trx)).rows[0].n
  if (Number(uses) > 0) throw new ConflictError('calendar_in_use', 'sla.calendar_in_use', { name: row.name, count: Number(uses) })
  await sql`delete from sla_calendars where id = ${id}`.execute(trx)
  await queueRecompute(trx)
  return row
}

/** Closes a date: a removed statutory day comes back, any other date becomes a custom holiday. */
export async function addHoliday(trx: Trx, id: string, input: { date: string; name?: string | null }, now: Date): Promise<void> {
  const row = await loadOrThrow(trx, id)
  if (!isIsoDate(input.date)) throw new SlaInputError([slaIssue('date', 'sla.date_invalid', { value: input.date })])
  const statutory = statutoryHolidays(row, Number(input.date.slice(0, 4))).includes(input.date)
  const removed = row.removed_holidays.filter((d) => d !== input.date)
  const holidays = statutory ? row.holidays.filter((h) => h.date !== input.date)
    : [...row.holidays.filter((h) => h.date !== input.date), { date: input.date, name: input.name?.trim() || null }].sort((a, b) => a.date.localeCompare(b.date))
  await sql`update sla_calendars set holidays = ${JSON.stringify(holidays)}::jsonb, removed_holidays = ${removed}, updated_at = ${now}
    where id = ${id}`.execute(trx)
  await queueRecompute(trx)
}

/** Opens a date again: a custom holiday is dropped, a statutory one is marked removed. 404 if not closed. */
export async function removeHoliday(trx: Trx, id: string, date: string, now: Date): Promise<void> {
  const row = await loadOrThrow(trx, id)
  const custom = row.holidays.some((h) => h.date === date)
  const statutory = statutoryHolidays(row, Number(date.slice(0, 4))).includes(date) && !row.removed_holidays.includes(date)
  if (!custom && !statutory) throw new NotFoundError('sla.holiday_not_found', { date })
  const holidays = row.holidays.filter((h) => h.date !== date)
  const removed = statutory ? [...row.removed_holidays, date].sort() : row.removed_holidays
  await sql`update sla_calendars set holidays = ${JSON.stringify(holidays)}::jsonb, removed_holidays = ${removed}, updated_at = ${now}
    where id = ${id}`.execute(trx)
  await queueRecompute(trx)
}
