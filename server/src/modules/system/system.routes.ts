import { sql } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { migrationsPending } from '../../platform/db/migrate'
import { ErrorBody } from '../../platform/http/schemas'

/** Health, readiness and the OpenAPI document. */
export const systemRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', {
    config: { access: 'public' },
    schema: { tags: ['system'], summary: 'Proceso activo', response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }))

  app.get('/readyz', {
    config: { access: 'public' },
    schema: {
      tags: ['system'], summary: 'Base de datos accesible y migraciones aplicadas',
      response: { 200: Type.Object({ status: Type.Literal('ready'), engine: Type.String() }), 503: ErrorBody },
    },
  }, async (request, reply) => {
    try {
      await sql`select 1`.execute(app.ctx.db)
      const pending = await migrationsPending(app.ctx.db)
      if (pending > 0) throw new Error(`${pending} migrations pending`)
      return { status: 'ready' as const, engine: app.ctx.database.engine }
    } catch (err) {
      request.log.warn({ err }, 'not ready')
      const message = request.lang === 'en' ? 'Database unreachable or migrations pending.' : 'Base de datos no disponible o migraciones pendientes.'
      return reply.status(503).send({ error: { code: 'not_ready', message, details: null } })
    }
  })

  app.get('/api/v1/openapi.json', {
    config: { access: 'public' },
    schema: { hide: true },
  }, async () => app.swagger())
}
