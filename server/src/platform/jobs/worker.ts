import { sql } from 'kysely'
import type { AppContext } from '../context'
import { inTransaction } from '../db/database'
import { backoffMs, enqueueJob, jobHandler, nextCronRun, type JobRow } from './queue'

const LEASE_SECONDS = 300

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

  constructor(private readonly ctx: AppContext, private readonly opts: { pollMs?: number; batch?: number } = {}) {}

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
      worked = await this.runOnce()
    } catch (err) {
      this.ctx.log?.error({ err }, 'job worker tick failed')
    } finally {
      this.running = false
      if (!this.stopped) this.schedule(worked > 0 ? 0 : (this.opts.pollMs ?? 1000))
    }
  }

  /** One pass: fire due schedules, recover expired leases, run a batch. Returns jobs run. */
  async runOnce(): Promise<number> {
    await this.fireSchedules()
    const jobs = await this.claim()
    for (const job of jobs) await this.run(job)
    return jobs.length
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

  private async claim(): Promise<JobRow[]> {
    const now = this.ctx.now()
    await sql`update jobs set status = 'queued', locked_by = null, locked_until = null
      where status = 'running' and locked_until < ${now}`.execute(this.ctx.db)
    const res = await sql<JobRow>`
      update jobs set status = 'running', attempts = attempts + 1, locked_by = ${this.ctx.instanceId},
        locked_until = ${new Date(now.getTime() + LEASE_SECONDS * 1000)}
      where id in (select id from jobs where status = 'queued' and run_at <= ${now}
                   order by run_at, id limit ${this.opts.batch ?? 10} for update skip locked)
      returning id, name, payload, attempts, max_attempts, run_at`.execute(this.ctx.db)
    return res.rows
  }

  private async run(job: JobRow) {
    const handler = jobHandler(job.name)
    try {
      if (!handler) throw new Error(`no handler for job ${job.name}`)
      await handler(this.ctx, job.payload, job)
      await sql`update jobs set status = 'done', finished_at = ${this.ctx.now()}, locked_until = null, last_error = null where id = ${job.id}`.execute(this.ctx.db)
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      const dead = job.attempts >= job.max_attempts
      const runAt = new Date(this.ctx.now().getTime() + backoffMs(job.attempts))
      await sql`update jobs set status = ${dead ? 'dead' : 'queued'}, last_error = ${message.slice(0, 2000)},
        locked_until = null, locked_by = null, run_at = ${runAt}, finished_at = ${dead ? this.ctx.now() : null}
        where id = ${job.id}`.execute(this.ctx.db)
      this.ctx.log?.warn({ job: job.name, id: job.id, attempts: job.attempts, err: message }, dead ? 'job dead' : 'job failed, will retry')
    }
  }
}
