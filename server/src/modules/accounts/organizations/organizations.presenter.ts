import { sql, type RawBuilder } from 'kysely'
import { Type } from 'typebox'
import type { Executor } from '../../../platform/db/database'
import { NotFoundError } from '../../../platform/http/errors'
import { Uuid } from '../../../platform/http/schemas'
import { decodeCursor, pageOf } from '../../../platform/http/cursor'
import { Nullable, Timestamp, iso } from '../accounts.schemas'

export const Tier = Type.Union([Type.Literal('standard'), Type.Literal('vip')])

/** A customer company: its email domains, tier, whether its contacts share tickets, and counts. */
export const Organization = Type.Object({
  id: Uuid,
  name: Type.String(),
  domains: Type.Array(Type.String()),
  tier: Tier,
  sharesTickets: Type.Boolean(),
  notes: Nullable(Type.String()),
  siteCount: Type.Integer(),
  contactCount: Type.Integer(),
  createdAt: Timestamp,
})

interface OrgRow {
  id: string; name: string; domains: string[]; tier: 'standard' | 'vip'; shares_tickets: boolean; notes: string | null
  created_at: Date; site_count: number; contact_count: number; sort_key: string
}

const select = sql`select o.id, o.name, o.domains, o.tier, o.shares_tickets, o.notes, o.created_at, lower(o.name) as sort_key,
  (select count(*)::int from sites s where s.organization_id = o.id) as site_count,
  (select count(*)::int from users u where u.organization_id = o.id and u.role = 'customer') as contact_count
  from organizations o`

const present = (r: OrgRow) => ({
  id: r.id, name: r.name, domains: r.domains, tier: r.tier, sharesTickets: r.shares_tickets, notes: r.notes,
  siteCount: r.site_count, contactCount: r.contact_count, createdAt: iso(r.created_at)!,
})

export async function findOrganization(db: Executor, id: string) {
  const row = (await sql<OrgRow>`${select} where o.id = ${id}`.execute(db)).rows[0]
  if (!row) throw new NotFoundError('organizations.not_found')
  return present(row)
}

export interface OrganizationFilters { q?: string; tier?: 'standard' | 'vip'; domain?: string; cursor?: string; limit?: number }

/** Organizations by name; `q` matches the name (accents ignored) or a domain. */
export async function listOrganizations(db: Executor, f: OrganizationFilters) {
  const limit = f.limit ?? 50
  const after = decodeCursor(f.cursor, ['text', 'uuid'])
  const where: RawBuilder<unknown>[] = [sql`true`]
  if (f.q?.trim()) {
    const like = `%${f.q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    where.push(sql`(unaccent(lower(o.name)) like unaccent(${like}) or exists (select 1 from unnest(o.domains) d where d like ${like}))`)
  }
  if (f.tier) where.push(sql`o.tier = ${f.tier}`)
  if (f.domain) where.push(sql`${f.domain.toLowerCase()} = any(o.domains)`)
  if (after) where.push(sql`(lower(o.name), o.id) > (${after[0]}, ${after[1]}::uuid)`)
  const rows = (await sql<OrgRow>`${select} where ${sql.join(where, sql` and `)} order by lower(o.name), o.id limit ${limit + 1}`.execute(db)).rows
  const page = pageOf(rows, limit, (r) => [r.sort_key, r.id])
  return { items: page.items.map(present), nextCursor: page.nextCursor }
}
