import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import { ValidationError } from '../../../platform/http/errors'
import type { FieldDef } from '../custom-fields/custom-field-defs'
import { DEFAULT_SETTINGS, SETTINGS_KEY, type TicketSettings } from '../settings/ticket-settings'
import type { CategoryRow, TypeRow } from './lookups'

type UserRow = { id: string; name: string; role: string; organization_id: string | null; site_id: string | null }

/** Everything createTicket checks before it writes, read in one round trip. */
export interface CreateLookups {
  settings: TicketSettings
  category: CategoryRow | null
  /** Every ticket type (a handful): the ticket's is picked by code or id after the category is known. */
  types: TypeRow[]
  /** Active custom fields in form order; fieldsFor(typeId) keeps those of one type. */
  fields: FieldDef[]
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
 * Reads the settings, the category (given, or the default one), every type, the active custom
 * fields, the requester, the team (given, or the category's default) and the assignee in one
 * query: a ticket's creation otherwise spent six round trips on them. Malformed ids read as
 * missing, so the caller's checks answer with the same 400s as before.
 */
export async function loadCreateLookups(db: Executor, keys: CreateLookupKeys): Promise<CreateLookups> {
  const categoryExplicit = keys.categoryId !== undefined
  const teamExplicit = keys.teamId !== undefined
  const row = (await sql<{ settings: Partial<TicketSettings> | null; category: CategoryRow | null; types: TypeRow[]; fields: FieldDef[]; user: UserRow | null; team: CreateLookups['team']; assignee: CreateLookups['assignee'] }>`
    with s as (select value from settings where key = ${SETTINGS_KEY}),
    cat as (
      select id, name, path, default_team_id, default_priority, default_type_id, active from categories
      where id = ${categoryExplicit ? sql`${asUuid(keys.categoryId)}::uuid` : sql`(select case when s.value->>'defaultCategoryId' ~* '^[0-9a-f-]{36}$' then (s.value->>'defaultCategoryId')::uuid end from s)`}
    )
    select (select value from s) as settings,
      (select row_to_json(cat) from cat) as category,
      coalesce((select json_agg(json_build_object('id', id, 'code', code, 'name_es', name_es, 'name_en', name_en,
        'requires_evidence', requires_evidence, 'active', active)) from ticket_types), '[]') as types,
      coalesce((select json_agg(f order by f.position, f.key) from (select id, key, label_es, label_en, kind, options, type_ids, required,
        customer_visible, customer_editable, position, active from custom_fields where active) f), '[]') as fields,
      (select row_to_json(u) from (select id, name, role, organization_id, site_id from users where id = ${asUuid(keys.userId)}::uuid and active) u) as user,
      (select row_to_json(tm) from (select id, name, level from teams
        where id = ${teamExplicit ? sql`${asUuid(keys.teamId)}::uuid` : sql`(select default_team_id from cat where cat.active)`}) tm) as team,
      (select row_to_json(a) from (select id, name from users where id = ${asUuid(keys.assigneeId)}::uuid and active and role <> 'customer') a) as assignee`
    .execute(db)).rows[0]
  return {
    settings: { ...DEFAULT_SETTINGS, ...(row.settings ?? {}) },
    category: row.category,
    types: row.types,
    fields: row.fields,
    user: row.user,
    team: row.team,
    assignee: row.assignee,
  }
}

/** A type by code or id among the loaded ones (active only), else the same 400 as resolveType. */
export function pickType(types: TypeRow[], codeOrId: string): TypeRow {
  const byId = /^[0-9a-f-]{36}$/i.test(codeOrId)
  const row = types.find((t) => (byId ? t.id.toLowerCase() === codeOrId.toLowerCase() : t.code === codeOrId))
  if (!row || !row.active) throw new ValidationError('tickets.unknown_type', { type: codeOrId }, [{ field: 'type', rule: 'exists' }])
  return row
}

/** The active fields that apply to a type (fields with no types apply to all), in form order: fieldsForType's rule. */
export function fieldsFor(fields: FieldDef[], typeId: string): FieldDef[] {
  return fields.filter((f) => f.type_ids.length === 0 || f.type_ids.includes(typeId))
}
