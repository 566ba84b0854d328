import { sql, type Selectable } from 'kysely'
import type { Executor, Trx } from '../../../platform/db/database'
import { NotFoundError } from '../../../platform/http/errors'
import { nextCronRun, upsertSchedule } from '../../../platform/jobs/queue'
import type { Weekday } from '../../../../../common/src/sla/sla.types'
import { SlaInputError, slaIssue, type SlaIssue } from '../sla.errors'
import type { SlaCutoffsTable } from '../sla.tables'
import { defaultCalendarRow, findCalendar } from '../storage/calendar-store'
import { checkTemplate } from './cutoff-template'

export type CutoffRow = Selectable<SlaCutoffsTable>
export const CUTOFF_JOB = 'runSlaCutoff'
/**
 * The job that mails one assignee the digest of one cut-off run (handled by the email module).
 * Payload: CutoffDigestPayload; unique key cutoffDigestKey(), so each (cut-off occurrence, assignee)
 * is mailed once.
 */
export const CUTOFF_DIGEST_JOB = 'sendSlaCutoffDigest'

/** What the digest job needs: the run, the recipient, and the matched tickets in due order. */
export interface CutoffDigestPayload {
  cutoffId: string
  cutoffName: string
  /** Local time of the run in the calendar's zone, "13:00". */
  cutoffTime: string
  timezone: string
  scheduledFor: string
  assigneeId: string
  ticketIds: string[]
}

/** Unique key of one digest in the job queue: one per cut-off occurrence and assignee. */
export function cutoffDigestKey(cutoffId: string, scheduledFor: Date, assigneeId: string): string {
  return `sla-cutoff-digest:${cutoffId}:${scheduledFor.toISOString()}:${assigneeId}`
}

export interface CutoffInput {
  name?: string
  calendarId?: string | null
  days?: Weekday[]
  times?: string[]
  filter?: Record<string, unknown>
  action?: 'public_update' | 'internal_note' | 'none'
  templateEs?: string
  templateEn?: string
  remindAssignee?: boolean
  active?: boolean
}

const CRON_DAY: Record<Weekday, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }

/** cron expression of one cut-off time on its days, e.g. "0 13 * * 1,2,3,4,5,6". */
export function cutoffCron(days: readonly string[], time: string): string {
  const [hh, mm] = time.split(':').map(Number)
  const dows = [...new Set(days.map((d) => CRON_DAY[d as Weekday]))].sort((a, b) => a - b)
  return `${mm} ${hh} * * ${dows.join(',')}`
}

const scheduleName = (id: string, time: string) => `sla-cutoff:${id}:${time.replace(':', '')}`

/** The time zone a cut-off runs in: its calendar's, else the default calendar's. */
export async function cutoffZone(db: Executor, row: Pick<CutoffRow, 'calendar_id'>): Promise<string> {
  const cal = row.calendar_id ? await findCalendar(db, row.calendar_id) : null
  return (cal ?? await defaultCalendarRow(db)).timezone
}

/** The next instant the cut-off runs after `now`, or null when inactive. */
export function nextCutoffAt(row: Pick<CutoffRow, 'days' | 'times' | 'active'>, zone: string, now: Date): Date | null {
  if (!row.active) return null
  return row.times.map((t) => nextCronRun(cutoffCron(row.days, t), zone, now)).sort((a, b) => a.getTime() - b.getTime())[0] ?? null
}

/**
 * Declares one cron schedule per cut-off time in the calendar's zone (upsertSchedule), and drops
 * the schedules of times no longer listed (or all of them when the cut-off is inactive or gone).
 */
export async function syncCutoffSchedules(trx: Trx, row: CutoffRow | null, id: string, now: Date) {
  const keep = row && row.active ? row.times.map((t) => scheduleName(id, t)) : []
  await sql`delete from job_schedules where name like ${`sla-cutoff:${id}:%`} and not (name = any(${keep}::text[]))`.execute(trx)
  if (!row || !row.active) return
  const zone = await cutoffZone(trx, row)
  for (const time of row.times) {
    await upsertSchedule(trx, { name: scheduleName(id, time), jobName: CUTOFF_JOB, cron: cutoffCron(row.days, time), timezone: zone, payload: { cutoffId: id, time } }, now)
  }
}

async function check(trx: Trx, c: Required<Pick<CutoffInput, 'times' | 'days' | 'action'>> & CutoffInput) {
  const issues: SlaIssue[] = []
  if (c.calendarId && !(await findCalendar(trx, c.calendarId))) issues.push(slaIssue('calendarId', 'sla.calendar_not_found', { value: c.calendarId }))
  const seen = new Set<string>()
  c.times.forEach((t, i) => { if (seen.has(t)) issues.push(slaIssue(`times[${i}]`, 'sla.duplicate_value', { value: t })); seen.add(t) })
  if (c.action !== 'none' && !(c.templateEs ?? '').trim()) issues.push(slaIssue('templateEs', 'sla.template_required'))
  issues.push(...checkTemplate(c.templateEs ?? '', 'templateEs'), ...checkTemplate(c.templateEn ?? '', 'templateEn'))
  const categories = (c.filter?.categoryId as string[] | undefined) ?? []
  if (categories.length) {
    const found = new Set((await sql<{ id: string }>`select id from categories where id = any(${categories}::uuid[])`.execute(trx)).rows.map((r) => r.id))
    categories.forEach((id, i) => { if (!found.has(id)) issues.push(slaIssue(`filter.categoryId[${i}]`, 'sla.category_not_found', { value: id })) })
  }
  if (issues.length) throw new SlaInputError(issues)
}

export async function findCutoff(db: Executor, id: string): Promise<CutoffRow | null> {
  return (await sql<CutoffRow>`select * from sla_cutoffs where id = ${id}`.execute(db)).rows[0] ?? null
}

/** Creates a cut-off and its schedules. */
export async function createCutoff(trx: Trx, input: CutoffInput & { name: string; days: Weekday[]; times: string[] }, now: Date): Promise<string> {
  const c = { ...input, action: input.action ?? 'public_update' as const }
  await check(trx, c)
  const row = (await sql<CutoffRow>`insert into sla_cutoffs (name, calendar_id, days, times, filter, action, template_es, template_en, remind_assignee, active, created_at, updated_at)
    values (${c.name.trim()}, ${c.calendarId ?? null}, ${[...new Set(c.days)]}, ${[...c.times].sort()}, ${JSON.stringify(c.filter ?? {})}::jsonb, ${c.action},
      ${c.templateEs ?? ''}, ${c.templateEn ?? ''}, ${c.remindAssignee ?? false}, ${c.active ?? true}, ${now}, ${now}) returning *`.execute(trx)).rows[0]
  await syncCutoffSchedules(trx, row, row.id, now)
  return row.id
}

/** Changes a cut-off; its schedules follow. */
export async function updateCutoff(trx: Trx, id: string, input: CutoffInput, now: Date): Promise<void> {
  const row = await findCutoff(trx, id)
  if (!row) throw new NotFoundError('sla.cutoff_not_found')
  const c = {
    name: input.name ?? row.name, calendarId: input.calendarId !== undefined ? input.calendarId : row.calendar_id,
    days: input.days ?? row.days as Weekday[], times: input.times ?? row.times, filter: input.filter ?? row.filter, action: input.action ?? row.action,
    templateEs: input.templateEs ?? row.template_es, templateEn: input.templateEn ?? row.template_en,
    remindAssignee: input.remindAssignee ?? row.remind_assignee, active: input.active ?? row.active,
  }
  await check(trx, c)
  const next = (await sql<CutoffRow>`update sla_cutoffs set name = ${c.name.trim()}, calendar_id = ${c.calendarId}, days = ${[...new Set(c.days)]},
      times = ${[...c.times].sort()}, filter = ${JSON.stringify(c.filter)}::jsonb, action = ${c.action}, template_es = ${c.templateEs},
      template_en = ${c.templateEn}, remind_assignee = ${c.remindAssignee}, active = ${c.active}, updated_at = ${now}
    where id = ${id} returning *`.execute(trx)).rows[0]
  await syncCutoffSchedules(trx, next, id, now)
}

export async function deleteCutoff(trx: Trx, id: string, now: Date): Promise<CutoffRow> {
  const row = await findCutoff(trx, id)
  if (!row) throw new NotFoundError('sla.cutoff_not_found')
  await sql`delete from sla_cutoffs where id = ${id}`.execute(trx)
  await syncCutoffSchedules(trx, null, id, now)
  return row
}
