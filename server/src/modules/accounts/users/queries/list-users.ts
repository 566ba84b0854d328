import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../../../../platform/db/database'
import { decodeCursor, pageOf } from '../../../../platform/http/cursor'
import { userColumns, type UserRow } from '../users.presenter'

export interface UserFilters {
  role?: string[]
  q?: string
  active?: boolean
  team?: string
  organization?: string
  site?: string
  cursor?: string
  limit?: number
}

/**
 * Text search over name, email and phone (accents and case ignored). Phones also match on their
 * digits alone, and a caller ID with a country code (+52 55 …) matches on its last ten digits.
 */
export function userSearch(q: string): RawBuilder<unknown> {
  const like = `%${q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const digits = q.replace(/\D/g, '')
  const phone = digits.length >= 4
    ? sql` or regexp_replace(coalesce(u.phone, ''), '[^0-9]', '', 'g') like ${`%${digits.length > 10 ? digits.slice(-10) : digits}%`}`
    : sql``
  return sql`(unaccent(lower(u.name)) like unaccent(${like}) or lower(u.email) like ${like} or u.phone like ${like}${phone})`
}

/** Users sorted by name, filtered, one keyset page at a time. */
export async function listUsers(db: Executor, f: UserFilters) {
  const limit = f.limit ?? 50
  const after = decodeCursor(f.cursor, ['text', 'uuid'])
  const where: RawBuilder<unknown>[] = [sql`true`]
  if (f.role?.length) where.push(sql`u.role = any(${f.role}::text[])`)
  if (f.q?.trim()) where.push(userSearch(f.q))
  if (f.active !== undefined) where.push(sql`u.active = ${f.active}`)
  if (f.team) where.push(sql`exists (select 1 from team_members tm where tm.user_id = u.id and tm.team_id = ${f.team})`)
  if (f.organization) where.push(sql`u.organization_id = ${f.organization}`)
  if (f.site) where.push(sql`u.site_id = ${f.site}`)
  if (after) where.push(sql`(lower(u.name), u.id) > (${after[0]}, ${after[1]}::uuid)`)
  const rows = (await sql<UserRow & { sort_key: string }>`select ${userColumns}, lower(u.name) as sort_key from users u where ${sql.join(where, sql` and `)}
    order by lower(u.name), u.id limit ${limit + 1}`.execute(db)).rows
  return pageOf(rows, limit, (r) => [r.sort_key, r.id])
}
