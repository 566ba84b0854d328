import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import { ValidationError } from '../../../platform/http/errors'
import type { Priority, StatusCode } from '../../../../../common/src/tickets/tickets.types'
import { isUuid } from '../../../platform/db/uuid'

// Reference checks shared by the commands: each returns the row or throws a 400 naming the field.

export interface StatusRow { id: string; key: string; category: StatusCode; label_es: string; label_en: string; active: boolean }
export interface TypeRow { id: string; code: string; name_es: string; name_en: string; requires_evidence: boolean; active: boolean }
export interface CategoryRow { id: string; name: string; path: string[]; default_team_id: string | null; default_priority: Priority | null; default_type_id: string | null; active: boolean }

/** A status by key (a code like `open` is the key of its default status) or id. */
export async function resolveStatus(db: Executor, keyOrId: string): Promise<StatusRow> {
  const byId = isUuid(keyOrId)
  const res = await sql<StatusRow>`select id, key, category, label_es, label_en, active from ticket_statuses
    where ${byId ? sql`id = ${keyOrId}::uuid` : sql`key = ${keyOrId}`}`.execute(db)
  const row = res.rows[0]
  if (!row || !row.active) throw new ValidationError('tickets.unknown_status', { status: keyOrId }, [{ field: 'status', rule: 'exists' }])
  return row
}

export async function statusById(db: Executor, id: string): Promise<StatusRow> {
  return (await sql<StatusRow>`select id, key, category, label_es, label_en, active from ticket_statuses where id = ${id}`.execute(db)).rows[0]
}

/** A ticket type by code or id (active ones only). */
export async function resolveType(db: Executor, codeOrId: string): Promise<TypeRow> {
  const byId = isUuid(codeOrId)
  const res = await sql<TypeRow>`select id, code, name_es, name_en, requires_evidence, active from ticket_types
    where ${byId ? sql`id = ${codeOrId}::uuid` : sql`code = ${codeOrId}`}`.execute(db)
  const row = res.rows[0]
  if (!row || !row.active) throw new ValidationError('tickets.unknown_type', { type: codeOrId }, [{ field: 'type', rule: 'exists' }])
  return row
}

/** SQL: a category `c` is usable when it and all its ancestors are active (a retired parent retires its subtree). */
export const categoryUsable = (alias: string) =>
  sql<boolean>`(${sql.ref(`${alias}.active`)} and not exists (select 1 from categories anc where anc.id = any(${sql.ref(`${alias}.path`)}) and not anc.active))`

/** A category new tickets may be filed in: it and all its ancestors active. */
export async function resolveCategory(db: Executor, id: string): Promise<CategoryRow> {
  const res = await sql<CategoryRow>`select c.id, c.name, c.path, c.default_team_id, c.default_priority, c.default_type_id, ${categoryUsable('c')} as active
    from categories c where c.id = ${isUuid(id) ? id : null}::uuid`.execute(db)
  const row = res.rows[0]
  if (!row || !row.active) throw new ValidationError('tickets.unknown_category', {}, [{ field: 'categoryId', rule: 'exists' }])
  return row
}

/** An active staff member (assignee, mention). */
export async function resolveStaff(db: Executor, id: string, field = 'assigneeId'): Promise<{ id: string; name: string }> {
  const res = await sql<{ id: string; name: string }>`select id, name from users where id = ${id} and active and role <> 'customer'`.execute(db)
  if (!res.rows[0]) throw new ValidationError('tickets.assignee_not_staff', {}, [{ field, rule: 'staff' }])
  return res.rows[0]
}

export async function resolveUser(db: Executor, id: string, field: string): Promise<{ id: string; name: string; role: string; organization_id: string | null; site_id: string | null }> {
  const res = await sql<{ id: string; name: string; role: string; organization_id: string | null; site_id: string | null }>`
    select id, name, role, organization_id, site_id from users where id = ${id} and active`.execute(db)
  if (!res.rows[0]) throw new ValidationError('tickets.unknown_user', { field }, [{ field, rule: 'exists' }])
  return res.rows[0]
}

export async function resolveTeam(db: Executor, id: string): Promise<{ id: string; name: string; level: number }> {
  const res = await sql<{ id: string; name: string; level: number }>`select id, name, level from teams where id = ${id}`.execute(db)
  if (!res.rows[0]) throw new ValidationError('tickets.unknown_team', {}, [{ field: 'teamId', rule: 'exists' }])
  return res.rows[0]
}

export async function checkOrganization(db: Executor, id: string) {
  const res = await sql`select 1 from organizations where id = ${id}`.execute(db)
  if (!res.rows[0]) throw new ValidationError('tickets.unknown_organization', {}, [{ field: 'organizationId', rule: 'exists' }])
}

/** A site must exist and, when the ticket has an organization, belong to it. */
export async function checkSite(db: Executor, id: string, organizationId: string | null) {
  const res = await sql`select 1 from sites where id = ${id} and (${organizationId}::uuid is null or organization_id = ${organizationId}::uuid)`.execute(db)
  if (!res.rows[0]) throw new ValidationError('tickets.unknown_site', {}, [{ field: 'siteId', rule: 'exists' }])
}

/** Tags: trimmed, lower-case, unique, in the given order. */
export function normaliseTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))]
}
