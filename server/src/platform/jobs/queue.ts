import { sql } from 'kysely'
import { CronExpressionParser } from 'cron-parser'
import type { Executor } from '../db/database'
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

/**
 * Runs several due jobs of one name at once (sharing statements and a transaction); answers each
 * job, in order, with true (done) or its own Error (retried with backoff). When it throws, the
 * worker runs each job alone with the single handler, so one bad job does not hold back the rest.
 */
export type JobBatchHandler = (ctx: AppContext, jobs: readonly JobRow[]) => Promise<Array<true | Error>>

const handlers = new Map<string, { one: JobHandler; batch?: JobBatchHandler }>()

/** Registers what runs for a job name; modules call this at import time. `batch`: see JobBatchHandler. */
export function defineJob(name: string, handler: JobHandler, opts: { batch?: JobBatchHandler } = {}) {
  if (handlers.has(name)) throw new Error(`job ${name} defined twice`)
  handlers.set(name, { one: handler, batch: opts.batch })
}

export function jobHandler(name: string): JobHandler | undefined {
  return handlers.get(name)?.one
}

export function jobBatchHandler(name: string): JobBatchHandler | undefined {
  return handlers.get(name)?.batch
}

export interface EnqueueOptions {
  runAt?: Date
  /** At most one queued/running job per key; a second enqueue with the key is ignored. */
  uniqueKey?: string
  maxAttempts?: number
}

/** Jobs without a time are due at once: stored with this run_at, independent of any clock. */
export const IMMEDIATELY = new Date(0)

/** One job for enqueueJobs. */
export interface NewJob { name: string; payload: Record<string, unknown>; opts?: EnqueueOptions }

/**
 * The NOTIFY that wakes idle workers after commit, as a select-list expression: only when a job
 * is due already (workers poll every second, so later jobs need no wake-up). One payload for all,
 * so PostgreSQL folds a transaction's wake-ups into one notification.
 */
const wakeWorkers = (dueNow: boolean) => (dueNow ? sql`pg_notify('atiende_jobs', 'due')` : sql`null`)

/**
 * Jobs to add as parts of a statement: `insert` is an INSERT … RETURNING id (skipping a job whose
 * unique key is queued or running already) to use as a CTE; `wake(cte)` is the select-list
 * expression that wakes the workers after commit when one of the added jobs is due at once.
 */
export function jobsInsert(jobs: readonly NewJob[], now = new Date()) {
  // Arrays, not a VALUES row per job: the statement's text and its 5 parameters do not grow with the batch.
  const column = <T>(pick: (j: NewJob) => T) => jobs.map(pick)
  const dueNow = jobs.some((j) => !j.opts?.runAt || j.opts.runAt.getTime() <= now.getTime() + 1000)
  return {
    insert: sql`insert into jobs (name, payload, run_at, unique_key, max_attempts)
      select * from unnest(${column((j) => j.name)}::text[], ${column((j) => JSON.stringify(j.payload))}::jsonb[],
        ${column((j) => (j.opts?.runAt ?? IMMEDIATELY).toISOString())}::timestamptz[], ${column((j) => j.opts?.uniqueKey ?? null)}::text[],
        ${column((j) => j.opts?.maxAttempts ?? 8)}::int[])
      on conflict (unique_key) where unique_key is not null and status in ('queued','running') do nothing
      returning id`,
    wake: (cte: string) => (dueNow ? sql`(select ${wakeWorkers(true)} from ${sql.table(cte)} limit 1)` : sql`null`),
  }
}

/** Adds a job inside the current transaction; workers are woken after commit. One statement. */
export async function enqueueJob(db: Executor, name: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}) {
  return (await enqueueJobs(db, [{ name, payload, opts }]))[0] ?? null
}

/**
 * Adds several jobs in one statement (insert and wake-up together); a job whose unique key is
 * queued or running already is skipped. Returns the ids of the jobs added.
 */
export async function enqueueJobs(db: Executor, jobs: readonly NewJob[], now = new Date()): Promise<number[]> {
  if (!jobs.length) return []
  const { insert, wake } = jobsInsert(jobs, now)
  const res = await sql<{ id: number }>`with added as (${insert}) select id, ${wake('added')} as woke from added`.execute(db)
  return res.rows.map((r) => r.id)
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
