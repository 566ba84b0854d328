import { sql } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { recordAudit } from '../../../platform/audit/audit'
import { ConflictError, NotFoundError } from '../../../platform/http/errors'
import { usersOfDefaults } from '../tickets.extensions'
import { inTransaction, type Trx } from '../../../platform/db/database'
import { IdParams, Ok, StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import { Nullable } from '../tickets.schemas'
import { isCustomerRequest, refuseRetiringDefault, rethrowInUse, rethrowUnique } from './config-helpers'

type Row = { id: string; code: string; name_es: string; name_en: string; description: string | null; position: number; active: boolean; requires_evidence: boolean }
const TicketType = Type.Object({
  id: Uuid, code: Type.String(), name: Type.String(), nameEs: Type.String(), nameEn: Type.String(), description: Nullable(Type.String()),
  position: Type.Integer(), active: Type.Boolean(), requiresEvidence: Type.Boolean(),
})
const Fields = {
  nameEs: Type.String({ minLength: 1, maxLength: 100 }),
  nameEn: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  active: Type.Optional(Type.Boolean()),
  requiresEvidence: Type.Optional(Type.Boolean()),
}
const CreateBody = StrictObject({ code: Type.String({ pattern: '^[a-z][a-z0-9_]{0,49}$' }), ...Fields })
const UpdateBody = StrictObject({ ...Fields, nameEs: Type.Optional(Fields.nameEs), nameEn: Type.Optional(Fields.nameEn) })
type Body = { code?: string; nameEs?: string; nameEn?: string; description?: string | null; position?: number; active?: boolean; requiresEvidence?: boolean }

const present = (r: Row, lang: 'es' | 'en') => ({
  id: r.id, code: r.code, name: lang === 'en' ? r.name_en : r.name_es, nameEs: r.name_es, nameEn: r.name_en, description: r.description,
  position: r.position, active: r.active, requiresEvidence: r.requires_evidence,
})

/**
 * 409 naming what still names the type: a mailbox filing its tickets with it (deleting would reset
 * the mailbox silently) or a custom field limited to it (the field would keep an id nothing has, and
 * dropping the id could turn a field of this type into one of every type). Deactivating stays possible.
 */
async function refuseDeletingReferenced(trx: Trx, id: string) {
  const defaults = await usersOfDefaults(trx, { typeId: id })
  if (defaults.length) {
    throw new ConflictError('type_in_use', 'tickets.config.type_default_of', { namesEs: defaults.map((d) => d.es).join(', '), namesEn: defaults.map((d) => d.en).join(', ') })
  }
  const fields = (await sql<{ key: string }>`select key from custom_fields where ${id}::uuid = any(type_ids) order by position, key`.execute(trx)).rows
  if (fields.length) throw new ConflictError('type_in_use', 'tickets.config.type_used_by_fields', { names: fields.map((f) => `«${f.key}»`).join(', ') })
}

/** Ticket types: everyone reads the active ones (staff all); admins create, change and delete unused ones. */

/** Two types with the same name cannot be told apart in a form or filter: 409 naming it (case and outer spaces ignored, per language). */
async function refuseTakenName(trx: Trx, nameEs: string | undefined, nameEn: string | undefined, except: string) {
  const es = nameEs?.trim().toLowerCase() || null
  const en = nameEn?.trim().toLowerCase() || null
  if (!es && !en) return
  const taken = (await sql<{ name: string }>`select case when lower(trim(name_es)) = ${es} then name_es else name_en end as name from ticket_types
    where (lower(trim(name_es)) = ${es} or lower(trim(name_en)) = ${en}) and id <> ${except}::uuid limit 1`.execute(trx)).rows[0]
  if (taken) throw new ConflictError('type_name_taken', 'tickets.config.type_name_taken', { name: taken.name })
}

export const ticketTypesRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  app.get('/api/v1/ticket-types', {
    config: { access: 'tickets.config.read' },
    schema: { tags: ['tickets-admin'], summary: 'Tipos de ticket', response: { 200: Type.Object({ items: Type.Array(TicketType) }), ...errorResponses } },
  }, async (request) => {
    const rows = (await sql<Row>`select * from ticket_types ${isCustomerRequest(request) ? sql`where active` : sql``} order by position, code`.execute(ctx.db)).rows
    return { items: rows.map((r) => present(r, request.lang)) }
  })

  app.post('/api/v1/ticket-types', {
    config: { access: 'tickets.config.manage' },
    schema: { tags: ['tickets-admin'], summary: 'Crear un tipo de ticket', body: CreateBody, response: { 201: TicketType, ...errorResponses } },
  }, async (request, reply) => {
    const actor = requireActor(request)
    const b = request.body as Required<Pick<Body, 'code' | 'nameEs' | 'nameEn'>> & Body
    const row = await inTransaction(ctx.db, async (trx) => {
      const r = (await sql<Row>`insert into ticket_types (code, name_es, name_en, description, position, active, requires_evidence)
        values (${b.code}, ${b.nameEs}, ${b.nameEn}, ${b.description ?? null}, ${b.position ?? 0}, ${b.active ?? true}, ${b.requiresEvidence ?? false})
        returning *`.execute(trx).catch((e) => rethrowUnique(e, 'code_taken', 'tickets.config.code_taken', { code: b.code }))).rows[0]
      await refuseTakenName(trx, b.nameEs, b.nameEn, r.id)
      await recordAudit(trx, { actorId: actor.id, action: 'tickets.type_created', targetType: 'ticket_type', targetId: r.id, details: { code: b.code } })
      return r
    })
    return reply.status(201).send(present(row, request.lang))
  })

  app.patch('/api/v1/ticket-types/:id', {
    config: { access: 'tickets.config.manage' },
    schema: { tags: ['tickets-admin'], summary: 'Cambiar un tipo de ticket', params: IdParams, body: UpdateBody, response: { 200: TicketType, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    const b = request.body as Body
    const row = await inTransaction(ctx.db, async (trx) => {
      if (b.active === false) await refuseRetiringDefault(trx, { typeId: id })
      await refuseTakenName(trx, b.nameEs, b.nameEn, id)
      const r = (await sql<Row>`update ticket_types set name_es = coalesce(${b.nameEs ?? null}, name_es), name_en = coalesce(${b.nameEn ?? null}, name_en),
        description = ${b.description === undefined ? sql`description` : sql`${b.description}`}, position = coalesce(${b.position ?? null}, position),
        active = coalesce(${b.active ?? null}, active), requires_evidence = coalesce(${b.requiresEvidence ?? null}, requires_evidence)
        where id = ${id} returning *`.execute(trx)).rows[0]
      if (!r) throw new NotFoundError()
      await recordAudit(trx, { actorId: actor.id, action: 'tickets.type_updated', targetType: 'ticket_type', targetId: id, details: { ...b } })
      return r
    })
    return present(row, request.lang)
  })

  app.delete('/api/v1/ticket-types/:id', {
    config: { access: 'tickets.config.manage' },
    schema: { tags: ['tickets-admin'], summary: 'Eliminar un tipo de ticket sin uso', params: IdParams, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    await inTransaction(ctx.db, async (trx) => {
      await refuseRetiringDefault(trx, { typeId: id })
      await refuseDeletingReferenced(trx, id)
      const r = await sql`delete from ticket_types where id = ${id} returning id`.execute(trx).catch(rethrowInUse)
      if (!r.rows.length) throw new NotFoundError()
      await recordAudit(trx, { actorId: actor.id, action: 'tickets.type_deleted', targetType: 'ticket_type', targetId: id })
    })
    return { ok: true }
  })
}
