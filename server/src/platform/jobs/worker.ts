import { sql } from 'kysely'
import type { AppContext } from '../context'
import { inTransaction } from '../db/database'
import { backoffMs, enqueueJob, jobBatchHandler, jobHandler, nextCronRun, type JobRow } from './queue'

const LEASE_SECONDS = 300
/** While a worker is busy, schedules and expired leases are looked at once a second, not before every batch. */
const HOUSEKEEPING_MS = 1000
/** Jobs done are marked in one statement per batch, or sooner when the batch has run this long (a crash re-runs at most this much work). */
const MARK_DONE_MS = 1000

/**
 * Claims due jobs and runs them. Several instances may run workers against one database: the
 * claim is one UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED), so each job goes to one
 * worker. A worker that dies leaves its lease to expire, and the job runs again.
 */
export class Worker {
  private timer: NodeJS.Timeout | null = null
  private running = false
  private stopped = true
  private wake: (() => Promise<void>) | null = null
  private current: Promise<void> | null = null
  private lastHousekeeping = 0

  /** `lanes`: batches claimed and run at once by one pass of the loop (default 1). */
  constructor(private readonly ctx: AppContext, private readonly opts: { pollMs?: number; batch?: number; lanes?: number } = {}) {}

  async start() {
    this.stopped = false
    this.wake = await this.ctx.database.listen('atiende_jobs', () => this.kick())
    this.schedule(10)
  }

  async stop() {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    if (this.wake) await this.wake()
    await this.current
  }

  private kick() {
    if (!this.stopped && !this.running) this.schedule(5)
  }

  private schedule(ms: number) {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => { this.current = this.loop() }, ms)
  }

  private async loop() {
    if (this.running || this.stopped) return
    this.running = true
    let worked = 0
    try {
      if (Date.now() - this.lastHousekeeping >= HOUSEKEEPING_MS) {
        this.lastHousekeeping = Date.now()
        await this.housekeeping()
      }
      // Lanes claim separate batches (SKIP LOCKED), so one lane's statements run while another's wait.
      const lanes = Array.from({ length: this.opts.lanes ?? 1 }, () => this.runOnce({ housekeeping: false }))
      worked = (await Promise.all(lanes)).reduce((a, b) => a + b, 0)
    } catch (err) {
      this.ctx.log?.error({ err }, 'job worker tick failed')
    } finally {
      this.running = false
      if (!this.stopped) this.schedule(worked > 0 ? 0 : (this.opts.pollMs ?? 1000))
    }
  }

  /**
   * One pass: fire due schedules and recover expired leases (unless `housekeeping` is false), then
   * run a batch of due jobs. Returns jobs run.
   */
  async runOnce(opts: { housekeeping?: boolean } = {}): Promise<number> {
    if (opts.housekeeping ?? true) await this.housekeeping()
    const jobs = await this.claim()
    const done: number[] = []
    let since = performance.now()
    for (const group of byName(jobs)) {
      const outcomes = await this.runGroup(group)
      group.forEach((job, i) => { if (outcomes[i]) done.push(job.id) })
      if (done.length && performance.now() - since >= MARK_DONE_MS) {
        await this.markDone(done.splice(0))
        since = performance.now()
      }
    }
    await this.markDone(done)
    return jobs.length
  }

  /** Runs jobs of one name: together when the job has a batch handler, else one by one. True for each job done. */
  private async runGroup(jobs: JobRow[]): Promise<boolean[]> {
    const batch = jobs.length > 1 ? jobBatchHandler(jobs[0].name) : undefined
    if (batch) {
      let answers: Array<true | Error> | null = null
      try {
        answers = await batch(this.ctx, jobs)
      } catch (err) {
        this.ctx.log?.warn({ job: jobs[0].name, jobs: jobs.length, err: err instanceof Error ? err.message : String(err) }, 'job batch failed; running its jobs one by one')
      }
      if (answers && answers.length === jobs.length) {
        const outcomes: boolean[] = []
        for (const [i, answer] of answers.entries()) outcomes.push(answer === true ? true : await this.failed(jobs[i], answer))
        return outcomes
      }
    }
    const outcomes: boolean[] = []
    for (const job of jobs) outcomes.push(await this.run(job))
    return outcomes
  }

  /** Fires due schedules and puts jobs whose lease expired (their worker died) back in the queue. */
  private async housekeeping() {
    await this.fireSchedules()
    await this.recoverExpiredLeases()
  }

  private async fireSchedules() {
    const now = this.ctx.now()
    await inTransaction(this.ctx.db, async (trx) => {
      const due = await sql<{ name: string; job_name: string; cron: string; timezone: string; payload: Record<string, unknown>; next_run_at: Date }>`
        select * from job_schedules where enabled and next_run_at <= ${now} for update skip locked`.execute(trx)
      for (const s of due.rows) {
        await enqueueJob(trx, s.job_name, { ...s.payload, scheduledFor: new Date(s.next_run_at).toISOString() },
          { uniqueKey: `schedule:${s.name}:${new Date(s.next_run_at).toISOString()}` })
        const next = nextCronRun(s.cron, s.timezone, now)
        await sql`update job_schedules set next_run_at = ${next} where name = ${s.name}`.execute(trx)
      }
    })
  }

  private async recoverExpiredLeases() {
    await sql`update jobs set status = 'queued', locked_by = null, locked_until = null
      where status = 'running' and locked_until < ${this.ctx.now()}`.execute(this.ctx.db)
  }

  private async claim(): Promise<JobRow[]> {
    const now = this.ctx.now()
    const res = await sql<JobRow>`
      update jobs set status = 'running', attempts = attempts + 1, locked_by = ${this.ctx.instanceId},
        locked_until = ${new Date(now.getTime() + LEASE_SECONDS * 1000)}
      where id in (select id from jobs where status = 'queued' and run_at <= ${now}
                   order by run_at, id limit ${this.opts.batch ?? 25} for update skip locked)
      returning id, name, payload, attempts, max_attempts, run_at`.execute(this.ctx.db)
    return res.rows
  }

  private async markDone(ids: number[]) {
    if (!ids.length) return
    await sql`update jobs set status = 'done', finished_at = ${this.ctx.now()}, locked_until = null, last_error = null
      where id = any(${ids}::bigint[]) and locked_by = ${this.ctx.instanceId}`.execute(this.ctx.db)
  }

  /** Runs one job; true when it succeeded (to be marked done), false when it was rescheduled or buried. */
  private async run(job: JobRow): Promise<boolean> {
    const handler = jobHandler(job.name)
    try {
      if (!handler) throw new Error(`no handler for job ${job.name}`)
      await handler(this.ctx, job.payload, job)
      return true
    } catch (err) {
      return this.failed(job, err)
    }
  }

  /** Reschedules a failed job with backoff, or buries it after its last attempt. Always false (not done). */
  private async failed(job: JobRow, err: unknown): Promise<false> {
    const message = err instanceof Error ? err.message : String(err)
    const dead = job.attempts >= job.max_attempts
    const runAt = new Date(this.ctx.now().getTime() + backoffMs(job.attempts))
    await sql`update jobs set status = ${dead ? 'dead' : 'queued'}, last_error = ${message.slice(0, 2000)},
      locked_until = null, locked_by = null, run_at = ${runAt}, finished_at = ${dead ? this.ctx.now() : null}
      where id = ${job.id}`.execute(this.ctx.db)
    this.ctx.log?.warn({ job: job.name, id: job.id, attempts: job.attempts, err: message }, dead ? 'job dead' : 'job failed, will retry')
    return false
  }
}

/** A claimed batch in queue order (run_at, id), grouped by job name in the order each name first appears. */
function byName(jobs: readonly JobRow[]): JobRow[][] {
  const groups = new Map<string, JobRow[]>()
  const ordered = [...jobs].sort((a, b) => new Date(a.run_at).getTime() - new Date(b.run_at).getTime() || Number(a.id) - Number(b.id))
  for (const job of ordered) {
    const group = groups.get(job.name) ?? []
    group.push(job)
    groups.set(job.name, group)
  }
  return [...groups.values()]
}
