import { sql, type RawBuilder } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import type { Executor } from '../../../platform/db/database'
import { ValidationError } from '../../../platform/http/errors'
import { DateTime, Page, StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import { PageQuery, decodeCursor, pageOf } from '../../../platform/http/cursor'

const Entry = Type.Object({
  id: Type.Integer(),
  at: DateTime,
  action: Type.String(),
  actor: Type.Union([Type.Object({ id: Uuid, name: Type.String(), email: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
})

const Query = StrictObject({
  action: Type.Optional(Type.String({ maxLength: 100, description: 'Exact action, or a prefix ending in * (e.g. auth.*)' })),
  actor: Type.Optional(Uuid),
  targetType: Type.Optional(Type.String({ maxLength: 50 })),
  target: Type.Optional(Type.String({ maxLength: 100 })),
  from: Type.Optional(DateTime),
  to: Type.Optional(DateTime),
  ...PageQuery,
})

interface Filters { action?: string; actor?: string; targetType?: string; target?: string; from?: string; to?: string; cursor?: string; limit?: number }
interface Row { id: number; at: Date; action: string; actor_id: string | null; actor_name: string | null; actor_email: string | null; target_type: string | null; target_id: string | null; ip: string | null; details: Record<string, unknown> }

/** Newest first; the cursor is the id of the last entry seen (ids only grow). */
async function listAudit(db: Executor, f: Filters) {
  if (f.from && f.to && new Date(f.from) > new Date(f.to)) throw new ValidationError('audit.bad_range', {}, [{ field: 'from', rule: 'range' }])
  const limit = f.limit ?? 50
  const after = decodeCursor(f.cursor, ['integer'])
  const where: RawBuilder<unknown>[] = [sql`true`]
  if (f.action?.endsWith('*')) where.push(sql`a.action like ${f.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`) + '%'}`)
  else if (f.action) where.push(sql`a.action = ${f.action}`)
  if (f.actor) where.push(sql`a.actor_id = ${f.actor}`)
  if (f.targetType) where.push(sql`a.target_type = ${f.targetType}`)
  if (f.target) where.push(sql`a.target_id = ${f.target}`)
  if (f.from) where.push(sql`a.at >= ${new Date(f.from)}`)
  if (f.to) where.push(sql`a.at < ${new Date(f.to)}`)
  if (after) where.push(sql`a.id < ${Number(after[0])}`)
  const rows = (await sql<Row>`select a.id, a.at, a.action, a.actor_id, u.name as actor_name, u.email as actor_email, a.target_type, a.target_id, a.ip, a.details
    from audit_log a left join users u on u.id = a.actor_id
    where ${sql.join(where, sql` and `)} order by a.id desc limit ${limit + 1}`.execute(db)).rows
  const page = pageOf(rows, limit, (r) => [r.id])
  return {
    items: page.items.map((r) => ({
      id: r.id, at: new Date(r.at).toISOString(), action: r.action,
      actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '', email: r.actor_email } : null,
      targetType: r.target_type, targetId: r.target_id, ip: r.ip, details: r.details,
    })),
    nextCursor: page.nextCursor,
  }
}

/** The append-only audit log, for administrators. */
export const auditLogRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/v1/audit-log', {
    config: { access: 'audit.read' },
    schema: { tags: ['admin'], summary: 'Registro de auditoría (filtros: action, actor, targetType, target, from, to)', querystring: Query, response: { 200: Page(Entry), ...errorResponses } },
  }, async (request) => listAudit(app.ctx.db, request.query as Filters))
}
