import { sql, type RawBuilder } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction, notify, type Executor } from '../../../platform/db/database'
import { ConflictError, NotFoundError } from '../../../platform/http/errors'
import { DateTime, Page, PositiveBigint, StrictObject, errorResponses } from '../../../platform/http/schemas'
import { PageQuery, decodeCursor, pageOf } from '../../../platform/http/cursor'
import { recordAudit } from '../../../platform/audit/audit'
import { isUniqueViolation } from '../../accounts/account-rules'

const Status = Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('dead'), Type.Literal('done')])
const Nullable = <T extends ReturnType<typeof Type.String>>(s: T) => Type.Union([s, Type.Null()])
/** A job as admins see it; the payload stays hidden (it may carry links or message text). */
const Job = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  status: Status,
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  runAt: DateTime,
  lastError: Nullable(Type.String()),
  createdAt: DateTime,
  finishedAt: Nullable(DateTime),
})
const Query = StrictObject({ status: Type.Optional(Status), name: Type.Optional(Type.String({ maxLength: 100 })), ...PageQuery })
const JobParams = Type.Object({ id: PositiveBigint }, { additionalProperties: false })

interface Row { id: number; name: string; status: 'queued' | 'running' | 'dead' | 'done'; attempts: number; max_attempts: number; run_at: Date; last_error: string | null; created_at: Date; finished_at: Date | null }
const present = (r: Row) => ({
  id: r.id, name: r.name, status: r.status, attempts: r.attempts, maxAttempts: r.max_attempts, runAt: new Date(r.run_at).toISOString(),
  lastError: r.last_error, createdAt: new Date(r.created_at).toISOString(), finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
})
const columns = sql`id, name, status, attempts, max_attempts, run_at, last_error, created_at, finished_at`

async function listJobs(db: Executor, f: { status?: string; name?: string; cursor?: string; limit?: number }) {
  const limit = f.limit ?? 50
  const after = decodeCursor(f.cursor, ['integer'])
  const where: RawBuilder<unknown>[] = [f.status ? sql`status = ${f.status}` : sql`status <> 'done'`]
  if (f.name) where.push(sql`name = ${f.name}`)
  if (after) where.push(sql`id < ${Number(after[0])}`)
  const rows = (await sql<Row>`select ${columns} from jobs where ${sql.join(where, sql` and `)} order by id desc limit ${limit + 1}`.execute(db)).rows
  const page = pageOf(rows, limit, (r) => [r.id])
  return { items: page.items.map(present), nextCursor: page.nextCursor }
}

/** The job queue for administrators: what is waiting, running or dead, and a retry for dead jobs. */
export const jobsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx

  app.get('/api/v1/admin/jobs', {
    config: { access: 'jobs.manage' },
    schema: { tags: ['admin'], summary: 'Trabajos en cola (status: dead, queued, running, done; sin status: todos menos done)', querystring: Query, response: { 200: Page(Job), ...errorResponses } },
  }, async (request) => listJobs(ctx.db, request.query as { status?: string; name?: string; cursor?: string; limit?: number }))

  app.post('/api/v1/admin/jobs/:id/retry', {
    config: { access: 'jobs.manage' },
    schema: { tags: ['admin'], summary: 'Reintentar un trabajo muerto (vuelve a la cola con intentos en cero)', params: JobParams, response: { 200: Job, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: number }
    const row = await inTransaction(ctx.db, async (trx) => {
      const job = (await sql<Row>`select ${columns} from jobs where id = ${id} for update`.execute(trx)).rows[0]
      if (!job) throw new NotFoundError('jobs.not_found')
      if (job.status !== 'dead') throw new ConflictError('job_not_dead', 'jobs.not_dead', { status: job.status })
      try {
        await sql`savepoint retry_job`.execute(trx)
        await sql`update jobs set status = 'queued', attempts = 0, run_at = ${ctx.now()}, finished_at = null, locked_until = null, locked_by = null
          where id = ${id}`.execute(trx)
      } catch (err) {
        if (!isUniqueViolation(err)) throw err
        await sql`rollback to savepoint retry_job`.execute(trx)
        throw new ConflictError('job_duplicate', 'jobs.duplicate')
      }
      await recordAudit(trx, { actorId: actor.id, action: 'job.retried', targetType: 'job', targetId: String(id), ip: request.ip, details: { name: job.name, lastError: job.last_error } })
      await notify(trx, 'atiende_jobs', String(id))
      return (await sql<Row>`select ${columns} from jobs where id = ${id}`.execute(trx)).rows[0]
    })
    return present(row)
  })
}
