import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context'
import { AppError } from './errors'

const MAX_KEY = 200

/**
 * POST requests carrying an Idempotency-Key header: the first 2xx answer is stored per user and
 * key, and a repeat returns it again (with Idempotent-Replayed: true) instead of creating twice.
 */
export function installIdempotency(app: FastifyInstance, ctx: AppContext) {
  app.addHook('preHandler', async (request, reply) => {
    const key = request.headers['idempotency-key']
    if (request.method !== 'POST' || typeof key !== 'string' || !request.actor) return
    if (key.length > MAX_KEY) throw new AppError(400, 'validation_failed', 'error.idempotency_key', { max: MAX_KEY }, [{ field: 'Idempotency-Key', rule: 'maxLength' }])
    const res = await sql<{ path: string; status_code: number; response: unknown }>`
      select path, status_code, response from idempotency_keys where user_id = ${request.actor.id} and key = ${key}`.execute(ctx.db)
    const hit = res.rows[0]
    if (!hit) return
    if (hit.path !== request.url) throw new AppError(422, 'idempotency_conflict', 'error.idempotency_conflict')
    void reply.header('idempotent-replayed', 'true')
    return reply.status(hit.status_code).send(hit.response)
  })

  app.addHook('onSend', async (request, reply, payload) => {
    const key = request.headers['idempotency-key']
    if (request.method !== 'POST' || typeof key !== 'string' || !request.actor) return payload
    if (reply.getHeader('idempotent-replayed') || reply.statusCode >= 300 || typeof payload !== 'string') return payload
    let body: unknown
    try { body = JSON.parse(payload) } catch { return payload }
    await sql`insert into idempotency_keys (user_id, key, method, path, status_code, response)
      values (${request.actor.id}, ${key}, 'POST', ${request.url}, ${reply.statusCode}, ${JSON.stringify(body)}::jsonb)
      on conflict do nothing`.execute(ctx.db)
    return payload
  })
}
