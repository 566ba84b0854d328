import { sql, type RawBuilder } from 'kysely'
import { Type } from 'typebox'
import type { Executor, Trx } from '../../../platform/db/database'
import { ConflictError, NotFoundError } from '../../../platform/http/errors'
import { Uuid } from '../../../platform/http/schemas'
import { decodeCursor, pageOf } from '../../../platform/http/cursor'
import { Nullable } from '../accounts.schemas'
import { isForeignKeyViolation, isUniqueViolation } from '../account-rules'

/** A site or location of an organization, e.g. a service station: its code and short name. */
export const Site = Type.Object({ id: Uuid, organizationId: Uuid, code: Type.String(), name: Type.String(), address: Nullable(Type.String()) })

export interface SiteInput { code?: string; name?: string; address?: string | null }
interface SiteRow { id: string; organization_id: string; code: string; name: string; address: string | null; sort_key: string }

const present = (r: SiteRow) => ({ id: r.id, organizationId: r.organization_id, code: r.code, name: r.name, address: r.address })

/** 404 unless the organization exists. */
export async function assertOrganization(db: Executor, orgId: string) {
  const row = await sql`select 1 from organizations where id = ${orgId}`.execute(db)
  if (row.rows.length === 0) throw new NotFoundError('organizations.not_found')
}

/** A site of this organization; a site of another organization is not found here. */
export async function findSite(db: Executor, orgId: string, siteId: string) {
  const row = (await sql<SiteRow>`select *, lower(code) as sort_key from sites where id = ${siteId} and organization_id = ${orgId}`.execute(db)).rows[0]
  if (!row) throw new NotFoundError('sites.not_found')
  return present(row)
}

/** Sites by code; `q` matches code or name. */
export async function listSites(db: Executor, orgId: string, f: { q?: string; cursor?: string; limit?: number }) {
  await assertOrganization(db, orgId)
  const limit = f.limit ?? 100
  const after = decodeCursor(f.cursor, ['text', 'uuid'])
  const where: RawBuilder<unknown>[] = [sql`organization_id = ${orgId}`]
  if (f.q?.trim()) {
    const like = `%${f.q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    where.push(sql`(lower(code) like ${like} or unaccent(lower(name)) like unaccent(${like}))`)
  }
  if (after) where.push(sql`(lower(code), id) > (${after[0]}, ${after[1]}::uuid)`)
  const rows = (await sql<SiteRow>`select *, lower(code) as sort_key from sites where ${sql.join(where, sql` and `)}
    order by lower(code), id limit ${limit + 1}`.execute(db)).rows
  const page = pageOf(rows, limit, (r) => [r.sort_key, r.id])
  return { items: page.items.map(present), nextCursor: page.nextCursor }
}

async function codeIsUnique<T>(fn: () => Promise<T>, code: string | undefined): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('site_code_taken', 'sites.code_taken', { code })
    throw err
  }
}

export async function createSite(trx: Trx, orgId: string, input: Required<Pick<SiteInput, 'code' | 'name'>> & SiteInput): Promise<string> {
  await assertOrganization(trx, orgId)
  return codeIsUnique(async () => (await sql<{ id: string }>`insert into sites (organization_id, code, name, address)
    values (${orgId}, ${input.code.trim()}, ${input.name.trim()}, ${input.address ?? null}) returning id`.execute(trx)).rows[0].id, input.code)
}

export async function updateSite(trx: Trx, orgId: string, siteId: string, input: SiteInput) {
  await findSite(trx, orgId, siteId)
  await codeIsUnique(() => sql`update sites set code = coalesce(${input.code?.trim() ?? null}, code), name = coalesce(${input.name?.trim() ?? null}, name),
    address = ${input.address === undefined ? sql`address` : input.address} where id = ${siteId}`.execute(trx), input.code)
}

/** Deletes a site; contacts keep their organization and lose the site. 409 while tickets point at it. */
export async function deleteSite(trx: Trx, orgId: string, siteId: string) {
  const site = await findSite(trx, orgId, siteId)
  try {
    await sql`savepoint delete_site`.execute(trx)
    await sql`delete from sites where id = ${siteId}`.execute(trx)
    await sql`release savepoint delete_site`.execute(trx)
  } catch (err) {
    if (!isForeignKeyViolation(err)) throw err
    await sql`rollback to savepoint delete_site`.execute(trx)
    throw new ConflictError('site_in_use', 'sites.in_use', { code: site.code })
  }
}
