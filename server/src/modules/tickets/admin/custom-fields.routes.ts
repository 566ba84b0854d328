import { sql } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction, type Trx } from '../../../platform/db/database'
import { recordAudit } from '../../../platform/audit/audit'
import { ConflictError, NotFoundError, ValidationError } from '../../../platform/http/errors'
import { IdParams, Ok, StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import { CUSTOM_FIELD_KINDS, type CustomFieldKind } from '../../../../../common/src/tickets/tickets.types'
import type { CustomFieldOption } from '../tickets.tables'
import { Nullable } from '../tickets.schemas'
import { isCustomerRequest, rethrowUnique } from './config-helpers'

type Row = {
  id: string; key: string; label_es: string; label_en: string; description: string | null; kind: CustomFieldKind; options: CustomFieldOption[]
  type_ids: string[]; required: boolean; customer_visible: boolean; customer_editable: boolean; position: number; active: boolean
}
const Option = StrictObject({ value: Type.String({ minLength: 1, maxLength: 200 }), labelEs: Type.String({ minLength: 1, maxLength: 200 }), labelEn: Type.String({ minLength: 1, maxLength: 200 }) })
const Field = Type.Object({
  id: Uuid, key: Type.String(), label: Type.String(), labelEs: Type.String(), labelEn: Type.String(), description: Nullable(Type.String()),
  kind: Type.Enum([...CUSTOM_FIELD_KINDS]), options: Type.Array(Type.Object({ value: Type.String(), labelEs: Type.String(), labelEn: Type.String() })),
  typeIds: Type.Array(Uuid), required: Type.Boolean(), customerVisible: Type.Boolean(), customerEditable: Type.Boolean(),
  position: Type.Integer(), active: Type.Boolean(),
})
const Fields = {
  labelEs: Type.String({ minLength: 1, maxLength: 120 }),
  labelEn: Type.String({ minLength: 1, maxLength: 120 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  kind: Type.Enum([...CUSTOM_FIELD_KINDS]),
  options: Type.Optional(Type.Array(Option, { maxItems: 500 })),
  typeIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  required: Type.Optional(Type.Boolean()),
  customerVisible: Type.Optional(Type.Boolean()),
  customerEditable: Type.Optional(Type.Boolean()),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  active: Type.Optional(Type.Boolean()),
}
const CreateBody = StrictObject({ key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,49}$' }), ...Fields })
const UpdateBody = StrictObject({ ...Fields, labelEs: Type.Optional(Fields.labelEs), labelEn: Type.Optional(Fields.labelEn), kind: Type.Optional(Fields.kind) })
type Body = {
  key?: string; labelEs?: string; labelEn?: string; description?: string | null; kind?: CustomFieldKind; options?: CustomFieldOption[]; typeIds?: string[]
  required?: boolean; customerVisible?: boolean; customerEditable?: boolean; position?: number; active?: boolean
}

const present = (r: Row, lang: 'es' | 'en') => ({
  id: r.id, key: r.key, label: lang === 'en' ? r.label_en : r.label_es, labelEs: r.label_es, labelEn: r.label_en, description: r.description,
  kind: r.kind, options: r.options, typeIds: r.type_ids, required: r.required, customerVisible: r.customer_visible,
  customerEditable: r.customer_editable, position: r.position, active: r.active,
})

async function checkDefinition(trx: Trx, kind: CustomFieldKind, options: CustomFieldOption[], typeIds: string[]) {
  if ((kind === 'select' || kind === 'multi_select') && options.length === 0) {
    throw new ValidationError('tickets.config.options_required', {}, [{ field: 'options', rule: 'minItems' }])
  }
  // One stored value, one meaning: two options with the same value would show two labels for it.
  const twice = options.findIndex((o, i) => options.findIndex((p) => p.value.trim() === o.value.trim()) !== i)
  if (twice >= 0) {
    throw new ValidationError('tickets.config.option_repeated', { value: options[twice].value }, [{ field: `options.${twice}.value`, rule: 'unique' }])
  }
  if (typeIds.length) {
    const n = (await sql<{ n: number }>`select count(*)::int as n from ticket_types where id = any(${typeIds}::uuid[])`.execute(trx)).rows[0].n
    if (n !== new Set(typeIds).size) throw new ValidationError('tickets.unknown_type', { type: typeIds.join(', ') }, [{ field: 'typeIds', rule: 'exists' }])
  }
}

const inUse = async (trx: Trx, key: string) =>
  (await sql`select 1 from tickets where custom_fields ? ${key} limit 1`.execute(trx)).rows.length > 0

/**
 * Takes the filters on a deleted field out of the saved views (`cf=key:value`): the list refuses an
 * unknown field, so each of those views would fail on every use, and an admin cannot edit others'
 * personal views. A view keeps its other filters. Returns the ids of the views changed.
 */
async function dropFieldFromViews(trx: Trx, key: string): Promise<string[]> {
  const views = (await sql<{ id: string; filters: { cf?: string[] | string } }>`select id, filters from ticket_views where filters ? 'cf' for update`.execute(trx)).rows
  const changed: string[] = []
  for (const v of views) {
    const cf = Array.isArray(v.filters.cf) ? v.filters.cf : [v.filters.cf ?? '']
    const kept = cf.filter((f) => f.trim().slice(0, f.trim().indexOf(':')) !== key)
    if (kept.length === cf.length) continue
    const filters: Record<string, unknown> = { ...v.filters }
    if (kept.length) filters.cf = kept
    else delete filters.cf
    await sql`update ticket_views set filters = ${JSON.stringify(filters)}::jsonb where id = ${v.id}`.execute(trx)
    changed.push(v.id)
  }
  return changed
}

/** Custom fields per ticket type: everyone reads the ones they may see; admins define them. */
export const customFieldsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  app.get('/api/v1/custom-fields', {
    config: { access: 'tickets.config.read' },
    schema: {
      tags: ['tickets-admin'], summary: 'Campos personalizados (por tipo de ticket con ?typeId=)',
      querystring: StrictObject({ typeId: Type.Optional(Uuid) }), response: { 200: Type.Object({ items: Type.Array(Field) }), ...errorResponses },
    },
  }, async (request) => {
    const { typeId } = request.query as { typeId?: string }
    const customer = isCustomerRequest(request)
    const rows = (await sql<Row>`select * from custom_fields where true
      ${customer ? sql`and active and customer_visible` : sql``}
      ${typeId ? sql`and (cardinality(type_ids) = 0 or ${typeId}::uuid = any(type_ids))` : sql``}
      order by position, key`.execute(ctx.db)).rows
    return { items: rows.map((r) => present(r, request.lang)) }
  })

  app.post('/api/v1/custom-fields', {
    config: { access: 'tickets.config.manage' },
    schema: { tags: ['tickets-admin'], summary: 'Crear un campo personalizado', body: CreateBody, response: { 201: Field, ...errorResponses } },
  }, async (request, reply) => {
    const actor = requireActor(request)
    const b = request.body as Required<Pick<Body, 'key' | 'labelEs' | 'labelEn' | 'kind'>> & Body
    const row = await inTransaction(ctx.db, async (trx) => {
      await checkDefinition(trx, b.kind, b.options ?? [], b.typeIds ?? [])
      const visible = (b.customerVisible ?? false) || (b.customerEditable ?? false)
      const r = (await sql<Row>`insert into custom_fields (key, label_es, label_en, description, kind, options, type_ids, required, customer_visible,
          customer_editable, position, active)
        values (${b.key}, ${b.labelEs}, ${b.labelEn}, ${b.description ?? null}, ${b.kind}, ${JSON.stringify(b.options ?? [])}::jsonb,
          ${b.typeIds ?? []}::uuid[], ${b.required ?? false}, ${visible}, ${b.customerEditable ?? false}, ${b.position ?? 0}, ${b.active ?? true})
        returning *`.execute(trx).catch((e) => rethrowUnique(e, 'code_taken', 'tickets.config.code_taken', { code: b.key }))).rows[0]
      await recordAudit(trx, { actorId: actor.id, action: 'tickets.custom_field_created', targetType: 'custom_field', targetId: r.id, details: { key: b.key } })
      return r
    })
    return reply.status(201).send(present(row, request.lang))
  })

  app.patch('/api/v1/custom-fields/:id', {
    config: { access: 'tickets.config.manage' },
    schema: { tags: ['tickets-admin'], summary: 'Cambiar un campo personalizado', params: IdParams, body: UpdateBody, response: { 200: Field, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    const b = request.body as Body
    const row = await inTransaction(ctx.db, async (trx) => {
      const cur = (await sql<Row>`select * from custom_fields where id = ${id} for update`.execute(trx)).rows[0]
      if (!cur) throw new NotFoundError()
      const kind = b.kind ?? cur.kind
      if (kind !== cur.kind && await inUse(trx, cur.key)) throw new ConflictError('kind_locked', 'tickets.config.kind_locked')
      const options = b.options ?? cur.options
      const typeIds = b.typeIds ?? cur.type_ids
      // Only ids the field did not have are checked: one left by a type deleted before deletes were
      // refused for it must not keep the field from being edited (it matches no ticket).
      await checkDefinition(trx, kind, options, typeIds.filter((t) => !cur.type_ids.includes(t)))
      const editable = b.customerEditable ?? cur.customer_editable
      const visible = (b.customerVisible ?? cur.customer_visible) || editable
      const r = (await sql<Row>`update custom_fields set label_es = ${b.labelEs ?? cur.label_es}, label_en = ${b.labelEn ?? cur.label_en},
        description = ${b.description === undefined ? cur.description : b.description}, kind = ${kind}, options = ${JSON.stringify(options)}::jsonb,
        type_ids = ${typeIds}::uuid[], required = ${b.required ?? cur.required}, customer_visible = ${visible}, customer_editable = ${editable},
        position = ${b.position ?? cur.position}, active = ${b.active ?? cur.active} where id = ${id} returning *`.execute(trx)).rows[0]
      await recordAudit(trx, { actorId: actor.id, action: 'tickets.custom_field_updated', targetType: 'custom_field', targetId: id, details: { ...b } })
      return r
    })
    return present(row, request.lang)
  })

  app.delete('/api/v1/custom-fields/:id', {
    config: { access: 'tickets.config.manage' },
    schema: { tags: ['tickets-admin'], summary: 'Eliminar un campo sin valores (si no, desactívelo)', params: IdParams, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    await inTransaction(ctx.db, async (trx) => {
      const cur = (await sql<Row>`select * from custom_fields where id = ${id} for update`.execute(trx)).rows[0]
      if (!cur) throw new NotFoundError()
      if (await inUse(trx, cur.key)) throw new ConflictError('in_use', 'tickets.config.in_use')
      await sql`delete from custom_fields where id = ${id}`.execute(trx)
      const views = await dropFieldFromViews(trx, cur.key)
      await recordAudit(trx, { actorId: actor.id, action: 'tickets.custom_field_deleted', targetType: 'custom_field', targetId: id, details: { key: cur.key, views } })
    })
    return { ok: true }
  })
}
