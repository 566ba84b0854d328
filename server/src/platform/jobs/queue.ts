import { sql } from 'kysely'
import { CronExpressionParser } from 'cron-parser'
import type { Executor } from '../db/database'
import { notify } from '../db/database'
import type { AppContext } from '../context'

/**
 * The durable job queue: rows in `jobs`, written in the caller's transaction (so a job exists iff
 * the change that needs it committed), claimed by workers with FOR UPDATE SKIP LOCKED.
 */
export interface JobRow {
  id: number
  name: string
  payload: Record<string, unknown>
  attempts: number
  max_attempts: number
  run_at: Date
}

export type JobHandler = (ctx: AppContext, payload: Record<string, unknown>, job: JobRow) => Promise<void>

const handlers = new Map<string, JobHandler>()

/** Registers what runs for a job name; modules call this at import time. */
export function defineJob(name: string, handler: JobHandler) {
  if (handlers.has(name)) throw new Error(`job ${name} defined twice`)
  handlers.set(name, handler)
}

export function jobHandler(name: string): JobHandler | undefined {
  return handlers.get(name)
}

export interface EnqueueOptions {
  runAt?: Date
  /** At most one queued/running job per key; a second enqueue with the key is ignored. */
  uniqueKey?: string
  maxAttempts?: number
}

/** Jobs without a time are due at once: stored with this run_at, independent of any clock. */
export const IMMEDIATELY = new Date(0)

/** Adds a job inside the current transaction; workers are woken after commit. */
export async function enqueueJob(db: Executor, name: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}) {
  const res = await sql<{ id: number }>`
    insert into jobs (name, payload, run_at, unique_key, max_attempts)
    values (${name}, ${JSON.stringify(payload)}::jsonb, ${opts.runAt ?? IMMEDIATELY}, ${opts.uniqueKey ?? null}, ${opts.maxAttempts ?? 8})
    on conflict (unique_key) where unique_key is not null and status in ('queued','running') do nothing
    returning id`.execute(db)
  if (res.rows[0]) await notify(db, 'atiende_jobs', String(res.rows[0].id))
  return res.rows[0]?.id ?? null
}

/** Moves a queued job with this key to a new time (e.g. an SLA due time that moved). */
export async function rescheduleJob(db: Executor, uniqueKey: string, runAt: Date) {
  await sql`update jobs set run_at = ${runAt} where unique_key = ${uniqueKey} and status = 'queued'`.execute(db)
}

export async function cancelJob(db: Executor, uniqueKey: string) {
  await sql`delete from jobs where unique_key = ${uniqueKey} and status = 'queued'`.execute(db)
}

/** Retry delay: 5 s, 20 s, 80 s … capped at one hour. */
export function backoffMs(attempts: number) {
  return Math.min(3_600_000, 5000 * 4 ** Math.max(0, attempts - 1))
}

/** Next time a cron expression fires after `after`, in a named time zone. */
export function nextCronRun(cron: string, timezone: string, after: Date): Date {
  return CronExpressionParser.parse(cron, { currentDate: after, tz: timezone }).next().toDate()
}

/** Declares (or updates) a recurring job; safe to call at every start from every instance. */
export async function upsertSchedule(db: Executor, s: { name: string; jobName: string; cron: string; timezone: string; payload?: Record<string, unknown> }, now: Date) {
  const next = nextCronRun(s.cron, s.timezone, now)
  await sql`
    insert into job_schedules (name, job_name, cron, timezone, payload, next_run_at)
    values (${s.name}, ${s.jobName}, ${s.cron}, ${s.timezone}, ${JSON.stringify(s.payload ?? {})}::jsonb, ${next})
    on conflict (name) do update set job_name = excluded.job_name, payload = excluded.payload,
      next_run_at = case when job_schedules.cron = excluded.cron and job_schedules.timezone = excluded.timezone
                         then job_schedules.next_run_at else excluded.next_run_at end,
      cron = excluded.cron, timezone = excluded.timezone`.execute(db)
}
