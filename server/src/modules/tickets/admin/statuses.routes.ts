import { sql } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction } from '../../../platform/db/database'
import { recordAudit } from '../../../platform/audit/audit'
import { ConflictError, NotFoundError } from '../../../platform/http/errors'
import { IdParams, Ok, StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import { STATUS_CODES, type StatusCode as Code } from '../../../../../common/src/tickets/tickets.types'
import { StatusCode } from '../tickets.schemas'
import { rethrowInUse, rethrowUnique } from './config-helpers'

type Row = { id: string; key: string; category: Code; label_es: string; label_en: string; position: number; active: boolean; is_default: boolean }
const Status = Type.Object({
  id: Uuid, key: Type.String(), status: StatusCode, label: Type.String(), labelEs: Type.String(), labelEn: Type.String(),
  position: Type.Integer(), active: Type.Boolean(), isDefault: Type.Boolean(), builtIn: Type.Boolean(),
})
const CreateBody = StrictObject({
  key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,49}$' }),
  status: StatusCode,
  labelEs: Type.String({ minLength: 1, maxLength: 100 }),
  labelEn: Type.String({ minLength: 1, maxLength: 100 }),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
})
const UpdateBody = StrictObject({
  labelEs: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  labelEn: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  active: Type.Optional(Type.Boolean()),
})

const builtIn = (r: Row) => (STATUS_CODES as readonly string[]).includes(r.key)
const present = (r: Row, lang: 'es' | 'en') => ({
  id: r.id, key: r.key, status: r.category, label: lang === 'en' ? r.label_en : r.label_es, labelEs: r.label_es, labelEn: r.label_en,
  position: r.position, active: r.active, isDefault: r.is_default, builtIn: builtIn(r),
})

/** Statuses: the 7 codes plus admins' custom statuses, each mapped to one code (like Zendesk's custom statuses). */
export const statusesRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  app.get('/api/v1/statuses', {
    config: { access: 'tickets.config.read' },
    schema: { tags: ['tickets-admin'], summary: 'Estatus (base y personalizados)', response: { 200: Type.Object({ items: Type.Array(Status) }), ...errorResponses } },
  }, async (request) => {
    const rows = (await sql<Row>`select * from ticket_statuses order by position, key`.execute(ctx.db)).rows
    return { items: rows.map((r) => present(r, request.lang)) }
  })

  app.post('/api/v1/statuses', {
    config: { access: 'tickets.config.manage' },
    schema: { tags: ['tickets-admin'], summary: 'Crear un estatus personalizado', body: CreateBody, response: { 201: Status, ...errorResponses } },
  }, async (request, reply) => {
    const actor = requireActor(request)
    const b = request.body as { key: string; status: Code; labelEs: string; labelEn: string; position?: number }
    const row = await inTransaction(ctx.db, async (trx) => {
      const r = (await sql<Row>`insert into ticket_statuses (key, category, label_es, label_en, position)
        values (${b.key}, ${b.status}, ${b.labelEs}, ${b.labelEn}, ${b.position ?? 100}) returning *`.execute(trx)
        .catch((e) => rethrowUnique(e, 'code_taken', 'tickets.config.code_taken', { code: b.key }))).rows[0]
      await recordAudit(trx, { actorId: actor.id, action: 'tickets.status_created', targetType: 'ticket_status', targetId: r.id, details: { key: b.key, status: b.status } })
      return r
    })
    return reply.status(201).send(present(row, request.lang))
  })

  app.patch('/api/v1/statuses/:id', {
    config: { access: 'tickets.config.manage' },
    schema: { tags: ['tickets-admin'], summary: 'Cambiar etiquetas, orden o actividad de un estatus', params: IdParams, body: UpdateBody, response: { 200: Status, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    const b = request.body as { labelEs?: string; labelEn?: string; position?: number; active?: boolean }
    const row = await inTransaction(ctx.db, async (trx) => {
      const cur = (await sql<Row>`select * from ticket_statuses where id = ${id} for update`.execute(trx)).rows[0]
      if (!cur) throw new NotFoundError()
      if (b.active === false && (builtIn(cur) || cur.is_default)) throw new ConflictError('builtin_status', 'tickets.config.builtin_status')
      const r = (await sql<Row>`update ticket_statuses set label_es = ${b.labelEs ?? cur.label_es}, label_en = ${b.labelEn ?? cur.label_en},
        position = ${b.position ?? cur.position}, active = ${b.active ?? cur.active} where id = ${id} returning *`.execute(trx)).rows[0]
      await recordAudit(trx, { actorId: actor.id, action: 'tickets.status_updated', targetType: 'ticket_status', targetId: id, details: { ...b } })
      return r
    })
    return present(row, request.lang)
  })

  app.delete('/api/v1/statuses/:id', {
    config: { access: 'tickets.config.manage' },
    schema: { tags: ['tickets-admin'], summary: 'Eliminar un estatus personalizado sin uso', params: IdParams, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    await inTransaction(ctx.db, async (trx) => {
      const cur = (await sql<Row>`select * from ticket_statuses where id = ${id} for update`.execute(trx)).rows[0]
      if (!cur) throw new NotFoundError()
      if (builtIn(cur) || cur.is_default) throw new ConflictError('builtin_status', 'tickets.config.builtin_status')
      await sql`delete from ticket_statuses where id = ${id}`.execute(trx).catch(rethrowInUse)
      await recordAudit(trx, { actorId: actor.id, action: 'tickets.status_deleted', targetType: 'ticket_status', targetId: id, details: { key: cur.key } })
    })
    return { ok: true }
  })
}
