import { sql, type RawBuilder } from 'kysely'
import { Type } from 'typebox'
import type { Executor } from '../../../platform/db/database'
import { NotFoundError } from '../../../platform/http/errors'
import { Uuid } from '../../../platform/http/schemas'
import { decodeCursor, pageOf } from '../../../platform/http/cursor'
import { Nullable, Timestamp, iso } from '../accounts.schemas'
import { userSearch } from '../users/queries/list-users'

/** A contact (a user with role customer) with their organization and site, as agents see them. */
export const Contact = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  organization: Nullable(Type.Object({ id: Uuid, name: Type.String(), tier: Type.String() })),
  site: Nullable(Type.Object({ id: Uuid, code: Type.String(), name: Type.String() })),
  locale: Type.String(),
  active: Type.Boolean(),
  orgManager: Type.Boolean(),
  createdAt: Timestamp,
})

interface ContactRow {
  id: string; name: string; email: string | null; phone: string | null; locale: string; active: boolean; org_manager: boolean
  created_at: Date; org_id: string | null; org_name: string | null; org_tier: string | null
  site_id: string | null; site_code: string | null; site_name: string | null; sort_key: string
}

const select = sql`select u.id, u.name, u.email, u.phone, u.locale, u.active, u.org_manager, u.created_at, lower(u.name) as sort_key,
    o.id as org_id, o.name as org_name, o.tier as org_tier, s.id as site_id, s.code as site_code, s.name as site_name
  from users u left join organizations o on o.id = u.organization_id left join sites s on s.id = u.site_id`

function present(r: ContactRow) {
  return {
    id: r.id, name: r.name, email: r.email, phone: r.phone, locale: r.locale, active: r.active, orgManager: r.org_manager,
    organization: r.org_id ? { id: r.org_id, name: r.org_name!, tier: r.org_tier! } : null,
    site: r.site_id ? { id: r.site_id, code: r.site_code!, name: r.site_name! } : null,
    createdAt: iso(r.created_at)!,
  }
}

/** One contact; a user who is not a customer is not a contact (404). */
export async function findContact(db: Executor, id: string) {
  const row = (await sql<ContactRow>`${select} where u.id = ${id} and u.role = 'customer'`.execute(db)).rows[0]
  if (!row) throw new NotFoundError('contacts.not_found')
  return present(row)
}

export interface ContactFilters { q?: string; organization?: string; site?: string; active?: boolean; cursor?: string; limit?: number }

/** Contacts by name; `q` matches name, email or phone. */
export async function listContacts(db: Executor, f: ContactFilters) {
  const limit = f.limit ?? 50
  const after = decodeCursor(f.cursor, ['text', 'uuid'])
  const where: RawBuilder<unknown>[] = [sql`u.role = 'customer'`]
  if (f.q?.trim()) where.push(userSearch(f.q))
  if (f.organization) where.push(sql`u.organization_id = ${f.organization}`)
  if (f.site) where.push(sql`u.site_id = ${f.site}`)
  if (f.active !== undefined) where.push(sql`u.active = ${f.active}`)
  if (after) where.push(sql`(lower(u.name), u.id) > (${after[0]}, ${after[1]}::uuid)`)
  const rows = (await sql<ContactRow>`${select} where ${sql.join(where, sql` and `)} order by lower(u.name), u.id limit ${limit + 1}`.execute(db)).rows
  const page = pageOf(rows, limit, (r) => [r.sort_key, r.id])
  return { items: page.items.map(present), nextCursor: page.nextCursor }
}
