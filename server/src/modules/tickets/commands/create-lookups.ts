import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import { arrayParam } from '../../../platform/db/plan-cache'
import { ValidationError } from '../../../platform/http/errors'
import type { FieldDef } from '../custom-fields/custom-field-defs'
import { DEFAULT_SETTINGS, SETTINGS_KEY, type TicketSettings } from '../settings/ticket-settings'
import type { CategoryRow, TypeRow } from './lookups'
import { isUuid } from '../../../platform/db/uuid'

type UserRow = { id: string; name: string; role: string; organization_id: string | null; site_id: string | null }

/** What createTickets checks before it writes: shared by a batch, and per ticket. */
export interface CreateLookups {
  settings: TicketSettings
  /** Every ticket type (a handful): the ticket's is picked by code or id after the category is known. */
  types: TypeRow[]
  /** Active custom fields in form order; fieldsFor(typeId) keeps those of one type. */
  fields: FieldDef[]
  /** One per key, in the keys' order. */
  each: TicketLookups[]
}

export interface TicketLookups {
  category: CategoryRow | null
  /** The requester named by id (or the actor), when active. */
  user: UserRow | null
  /** The explicit or category-default team, when it exists. */
  team: { id: string; name: string; level: number } | null
  /** The assignee, when an active staff member. */
  assignee: { id: string; name: string } | null
}

export interface CreateLookupKeys {
  /** undefined: the settings' default category. */
  categoryId: string | null | undefined
  userId: string | null
  /** undefined: the category's default team; null: none. */
  teamId: string | null | undefined
  assigneeId: string | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const asUuid = (v: string | null | undefined) => (v && UUID.test(v) ? v : null)

/**
 * Reads the settings, every type and the active custom fields once, and per ticket the category
 * (given, or the default one), the requester, the team (given, or the category's default) and the
 * assignee — all in one query, however many tickets: a ticket's creation otherwise spent six round
 * trips on them. A category is `active` only when it and all its ancestors are (a retired parent
 * retires its subtree). Malformed ids read as missing, so the caller's checks answer with the same 400s.
 */
export async function loadCreateLookups(db: Executor, keys: readonly CreateLookupKeys[]): Promise<CreateLookups> {
  const column = <T>(pick: (k: CreateLookupKeys) => T) => keys.map(pick)
  const row = (await sql<{ settings: Partial<TicketSettings> | null; types: TypeRow[]; fields: FieldDef[]; each: TicketLookups[] }>`
    with s as (select value from settings where key = ${SETTINGS_KEY}),
    k as (
      select * from unnest(${arrayParam(column((k) => asUuid(k.categoryId)), 'uuid')}, ${arrayParam(column((k) => k.categoryId !== undefined), 'bool')},
        ${arrayParam(column((k) => asUuid(k.userId)), 'uuid')}, ${arrayParam(column((k) => asUuid(k.teamId)), 'uuid')},
        ${arrayParam(column((k) => k.teamId !== undefined), 'bool')}, ${arrayParam(column((k) => asUuid(k.assigneeId)), 'uuid')})
        with ordinality as k(category_id, category_explicit, user_id, team_id, team_explicit, assignee_id, n))
    select (select value from s) as settings,
      coalesce((select json_agg(json_build_object('id', id, 'code', code, 'name_es', name_es, 'name_en', name_en,
        'requires_evidence', requires_evidence, 'active', active)) from ticket_types), '[]') as types,
      coalesce((select json_agg(f order by f.position, f.key) from (select id, key, label_es, label_en, kind, options, type_ids, required,
        customer_visible, customer_editable, position, active from custom_fields where active) f), '[]') as fields,
      (select json_agg(json_build_object(
          'category', (select row_to_json(c) from (select cat.id, cat.name, cat.path, cat.default_team_id, cat.default_priority, cat.default_type_id, cat.usable as active) c where cat.id is not null),
          'user', (select row_to_json(u) from (select id, name, role, organization_id, site_id from users where id = k.user_id and active) u),
          'team', (select row_to_json(tm) from (select id, name, level from teams
            where id = case when k.team_explicit then k.team_id when cat.usable then cat.default_team_id end) tm),
          'assignee', (select row_to_json(a) from (select id, name from users where id = k.assignee_id and active and role <> 'customer') a))
        order by k.n)
       from k left join lateral (select c.*, c.active and not exists (select 1 from categories a where a.id = any(c.path) and not a.active) as usable
         from categories c where c.id = case when k.category_explicit then k.category_id
         else (select case when s.value->>'defaultCategoryId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (s.value->>'defaultCategoryId')::uuid end from s) end) cat on true) as each`
    .execute(db)).rows[0]
  return { settings: { ...DEFAULT_SETTINGS, ...(row.settings ?? {}) }, types: row.types, fields: row.fields, each: row.each ?? [] }
}

/** A type by code or id among the loaded ones (active only), else the same 400 as resolveType. */
export function pickType(types: TypeRow[], codeOrId: string): TypeRow {
  const byId = isUuid(codeOrId)
  const row = types.find((t) => (byId ? t.id.toLowerCase() === codeOrId.toLowerCase() : t.code === codeOrId))
  if (!row || !row.active) throw new ValidationError('tickets.unknown_type', { type: codeOrId }, [{ field: 'type', rule: 'exists' }])
  return row
}

/** The id of the active type `codeOrId` names, or undefined (none given, unknown or retired). */
export function activeTypeId(types: TypeRow[], codeOrId: string | null | undefined): string | undefined {
  if (!codeOrId) return undefined
  const byId = isUuid(codeOrId)
  return types.find((t) => t.active && (byId ? t.id.toLowerCase() === codeOrId.toLowerCase() : t.code === codeOrId))?.id
}

/** The active fields that apply to a type (fields with no types apply to all), in form order: fieldsForType's rule. */
export function fieldsFor(fields: FieldDef[], typeId: string): FieldDef[] {
  return fields.filter((f) => f.type_ids.length === 0 || f.type_ids.includes(typeId))
}
