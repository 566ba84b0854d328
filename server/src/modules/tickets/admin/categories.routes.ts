import { sql } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction, type Trx } from '../../../platform/db/database'
import { recordAudit } from '../../../platform/audit/audit'
import { ConflictError, NotFoundError, ValidationError } from '../../../platform/http/errors'
import { IdParams, Ok, StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import type { Priority as PriorityCode } from '../../../../../common/src/tickets/tickets.types'
import { Nullable, Priority } from '../tickets.schemas'
import { usersOfCategory, usersOfDefaults } from '../tickets.extensions'
import { categoryUsable } from '../commands/lookups'
import { categoryMoved } from '../tickets.extensions'
import { isCustomerRequest, refuseRetiringDefault, rethrowInUse, rethrowUnique } from './config-helpers'

type Row = {
  id: string; parent_id: string | null; name: string; description: string | null; path: string[]; depth: number; position: number; active: boolean
  default_team_id: string | null; default_priority: PriorityCode | null; default_type_id: string | null; full_name: string
}
const Category = Type.Object({
  id: Uuid, parentId: Nullable(Uuid), name: Type.String(), fullName: Type.String(), description: Nullable(Type.String()), path: Type.Array(Uuid),
  depth: Type.Integer(), position: Type.Integer(), active: Type.Boolean(), defaultTeamId: Nullable(Uuid), defaultPriority: Nullable(Priority),
  defaultTypeId: Nullable(Uuid),
})
const Fields = {
  name: Type.String({ minLength: 1, maxLength: 120 }),
  parentId: Type.Optional(Nullable(Uuid)),
  description: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  active: Type.Optional(Type.Boolean()),
  defaultTeamId: Type.Optional(Nullable(Uuid)),
  defaultPriority: Type.Optional(Nullable(Priority)),
  defaultTypeId: Type.Optional(Nullable(Uuid)),
}
type Body = {
  name?: string; parentId?: string | null; description?: string | null; position?: number; active?: boolean
  defaultTeamId?: string | null; defaultPriority?: PriorityCode | null; defaultTypeId?: string | null
}

const select = sql`select c.*, (select string_agg(p.name, ' › ' order by p.depth) from categories p where p.id = any(c.path)) as full_name from categories c`

const present = (r: Row) => ({
  id: r.id, parentId: r.parent_id, name: r.name, fullName: r.full_name, description: r.description, path: r.path, depth: r.depth,
  position: r.position, active: r.active, defaultTeamId: r.default_team_id, defaultPriority: r.default_priority, defaultTypeId: r.default_type_id,
})

async function loadRow(trx: Trx, id: string): Promise<Row> {
  const r = (await sql<Row>`${select} where c.id = ${id}`.execute(trx)).rows[0]
  if (!r) throw new NotFoundError()
  return r
}

/** Recomputes path and depth of a category and its whole subtree after it moved (parents first). */
async function rebuildPaths(trx: Trx, id: string) {
  await sql`with recursive tree as (
      select c.id, coalesce(p.path, '{}') || c.id as path, coalesce(p.depth + 1, 0) as depth
      from categories c left join categories p on p.id = c.parent_id where c.id = ${id}
      union all
      select c.id, tree.path || c.id, tree.depth + 1 from categories c join tree on c.parent_id = tree.id
    )
    update categories set path = tree.path, depth = tree.depth from tree where categories.id = tree.id`.execute(trx)
}

async function checkRefs(trx: Trx, b: Body) {
  if (b.defaultTeamId && !(await sql`select 1 from teams where id = ${b.defaultTeamId}`.execute(trx)).rows.length) {
    throw new ValidationError('tickets.unknown_team', {}, [{ field: 'defaultTeamId', rule: 'exists' }])
  }
  if (b.defaultTypeId && !(await sql`select 1 from ticket_types where id = ${b.defaultTypeId} and active`.execute(trx)).rows.length) {
    throw new ValidationError('tickets.unknown_type', { type: b.defaultTypeId }, [{ field: 'defaultTypeId', rule: 'exists' }])
  }
  if (b.parentId && !(await sql`select 1 from categories where id = ${b.parentId}`.execute(trx)).rows.length) {
    throw new ValidationError('tickets.unknown_category', {}, [{ field: 'parentId', rule: 'exists' }])
  }
}

/** Hierarchical categories (e.g. Administración › Cobranza) with default team, priority and type. */
export const categoriesRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  app.get('/api/v1/categories', {
    config: { access: 'tickets.config.read' },
    schema: { tags: ['tickets-admin'], summary: 'Categorías (árbol, en orden)', response: { 200: Type.Object({ items: Type.Array(Category) }), ...errorResponses } },
  }, async (request) => {
    // Customers get the usable ones: active, under active parents only (a retired parent retires its subtree).
    const rows = (await sql<Row>`${select} ${isCustomerRequest(request) ? sql`where ${categoryUsable('c')}` : sql``} order by c.path`.execute(ctx.db)).rows
    return { items: rows.map(present) }
  })

  app.post('/api/v1/categories', {
    config: { access: 'tickets.config.manage' },
    schema: { tags: ['tickets-admin'], summary: 'Crear una categoría', body: StrictObject(Fields), response: { 201: Category, ...errorResponses } },
  }, async (request, reply) => {
    const actor = requireActor(request)
    const b = request.body as Body & { name: string }
    const row = await inTransaction(ctx.db, async (trx) => {
      await checkRefs(trx, b)
      const id = (await sql<{ id: string }>`insert into categories (parent_id, name, description, position, active, default_team_id, default_priority, default_type_id)
        values (${b.parentId ?? null}, ${b.name.trim()}, ${b.description ?? null}, ${b.position ?? 0}, ${b.active ?? true}, ${b.defaultTeamId ?? null},
                ${b.defaultPriority ?? null}, ${b.defaultTypeId ?? null}) returning id`.execute(trx)
        .catch((e) => rethrowUnique(e, 'name_taken', 'tickets.config.name_taken', { name: b.name }))).rows[0].id
      await rebuildPaths(trx, id)
      await recordAudit(trx, { actorId: actor.id, action: 'tickets.category_created', targetType: 'category', targetId: id, details: { name: b.name } })
      return loadRow(trx, id)
    })
    return reply.status(201).send(present(row))
  })

  app.patch('/api/v1/categories/:id', {
    config: { access: 'tickets.config.manage' },
    schema: { tags: ['tickets-admin'], summary: 'Cambiar o mover una categoría', params: IdParams, body: StrictObject({ ...Fields, name: Type.Optional(Fields.name) }), response: { 200: Category, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    const b = request.body as Body
    const row = await inTransaction(ctx.db, async (trx) => {
      const current = await loadRow(trx, id)
      await checkRefs(trx, b)
      if (b.active === false) await refuseRetiringDefault(trx, { categoryId: id })
      if (b.parentId) {
        const parent = await loadRow(trx, b.parentId)
        if (parent.path.includes(id)) throw new ConflictError('category_cycle', 'tickets.config.category_cycle')
      }
      const keep = <T>(v: T | undefined, column: string) => (v === undefined ? sql.ref(column) : sql`${v}`)
      await sql`update categories set name = ${b.name?.trim() ?? current.name}, parent_id = ${keep(b.parentId, 'parent_id')},
        description = ${keep(b.description, 'description')}, position = ${b.position ?? current.position}, active = ${b.active ?? current.active},
        default_team_id = ${keep(b.defaultTeamId, 'default_team_id')}, default_priority = ${keep(b.defaultPriority, 'default_priority')},
        default_type_id = ${keep(b.defaultTypeId, 'default_type_id')} where id = ${id}`.execute(trx)
        .catch((e) => rethrowUnique(e, 'name_taken', 'tickets.config.name_taken', { name: b.name }))
      if (b.parentId !== undefined && b.parentId !== current.parent_id) {
        await rebuildPaths(trx, id)
        // Its tickets now sit under other ancestors: SLA policies matching by category re-match them.
        await categoryMoved(trx, { categoryId: id, now: ctx.now() })
      }
      await recordAudit(trx, { actorId: actor.id, action: 'tickets.category_updated', targetType: 'category', targetId: id, details: { ...b } })
      return loadRow(trx, id)
    })
    return present(row)
  })

  app.delete('/api/v1/categories/:id', {
    config: { access: 'tickets.config.manage' },
    schema: { tags: ['tickets-admin'], summary: 'Eliminar una categoría sin uso ni subcategorías', params: IdParams, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    await inTransaction(ctx.db, async (trx) => {
      await refuseRetiringDefault(trx, { categoryId: id })
      // An SLA policy matching it would silently match nothing (and could not be saved again).
      const users = await usersOfCategory(trx, id)
      if (users.length) throw new ConflictError('category_in_use', 'tickets.config.category_used_by', { names: users.join(', ') })
      // A mailbox filing its tickets in it would be reset silently (on delete set null).
      const defaults = await usersOfDefaults(trx, { categoryId: id })
      if (defaults.length) {
        throw new ConflictError('category_in_use', 'tickets.config.category_default_of',
          { namesEs: defaults.map((d) => d.es).join(', '), namesEn: defaults.map((d) => d.en).join(', ') })
      }
      const r = await sql`delete from categories where id = ${id} returning id`.execute(trx).catch(rethrowInUse)
      if (!r.rows.length) throw new NotFoundError()
      await recordAudit(trx, { actorId: actor.id, action: 'tickets.category_deleted', targetType: 'category', targetId: id })
    })
    return { ok: true }
  })
}
