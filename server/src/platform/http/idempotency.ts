import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context'
import { AppError } from './errors'

const MAX_KEY = 200

/** A reservation (status 0) older than this is taken to belong to a request that died with its process. */
const ABANDONED_SECONDS = 60

/**
 * POST requests carrying an Idempotency-Key header: the key is reserved per user before the
 * request runs, so the same key sent twice at once runs once (the other gets 409 and may retry);
 * the first 2xx answer is stored and a repeat returns it again (with Idempotent-Replayed: true)
 * instead of creating twice. Any other answer frees the key for a retry.
 */
export function installIdempotency(app: FastifyInstance, ctx: AppContext) {
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key']
    if (request.method !== 'POST' || typeof key !== 'string' || !request.actor) return
    if (key.length > MAX_KEY) throw new AppError(400, 'validation_failed', 'error.idempotency_key', { max: MAX_KEY }, [{ field: 'Idempotency-Key', rule: 'maxLength' }])
    const reserved = await sql<{ user_id: string }>`
      insert into idempotency_keys as k (user_id, key, method, path, status_code, response)
      values (${request.actor.id}, ${key}, 'POST', ${request.url}, 0, 'null'::jsonb)
      on conflict (user_id, key) do update set path = excluded.path, created_at = now()
        where k.status_code = 0 and k.created_at < now() - make_interval(secs => ${ABANDONED_SECONDS})
      returning user_id`.execute(ctx.db)
    if (reserved.rows.length) {
      request.idempotencyReserved = true
      return
    }
    const res = await sql<{ path: string; status_code: number; response: unknown }>`
      select path, status_code, response from idempotency_keys where user_id = ${request.actor.id} and key = ${key}`.execute(ctx.db)
    const hit = res.rows[0]
    if (!hit) throw new AppError(409, 'idempotency_in_progress', 'error.idempotency_in_progress')
    if (hit.path !== request.url) throw new AppError(422, 'idempotency_conflict', 'error.idempotency_conflict')
    if (hit.status_code === 0) throw new AppError(409, 'idempotency_in_progress', 'error.idempotency_in_progress')
    void reply.header('idempotent-replayed', 'true')
    return reply.status(hit.status_code).send(hit.response)
  })

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.headers['idempotency-key']
    if (!request.idempotencyReserved || typeof key !== 'string' || !request.actor) return payload
    request.idempotencyReserved = false
    let body: unknown
    try { body = reply.statusCode < 300 && typeof payload === 'string' ? JSON.parse(payload) : undefined } catch { body = undefined }
    if (body === undefined) {
      await sql`delete from idempotency_keys where user_id = ${request.actor.id} and key = ${key} and status_code = 0`.execute(ctx.db)
    } else {
      await sql`update idempotency_keys set status_code = ${reply.statusCode}, response = ${JSON.stringify(body)}::jsonb
        where user_id = ${request.actor.id} and key = ${key} and status_code = 0`.execute(ctx.db)
    }
    return payload
  })
}

declare module 'fastify' {
  interface FastifyRequest {
    /** This request holds its Idempotency-Key's reservation until its answer is stored. */
    idempotencyReserved?: boolean
  }
}
