import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import { normalizeDomains } from '../organizations/organizations.commands'
import type { ImportRow } from './import-rows'

/** A problem with one row; the import goes on with the next. */
export class RowError extends Error {
  constructor(readonly key: string, readonly params: Record<string, unknown> = {}) {
    super(key)
  }
}

export type RowOutcome = 'created' | 'updated' | 'unchanged'

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const PHONE = /^\+?[0-9][0-9 ()./-]{1,29}( ?(ext\.?|x) ?[0-9]{1,6})?$/
const DOMAIN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/
const YES = ['si', 'sí', 'yes', 'true', '1', 'x', 'vip']
const NO = ['no', 'false', '0', '', 'standard', 'estandar', 'estándar', 'normal']

function flag(value: string | boolean | undefined, field: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value
  const v = value.trim().toLowerCase()
  if (YES.includes(v)) return true
  if (NO.includes(v)) return false
  throw new RowError('imports.bad_value', { field, value })
}

/**
 * Applies one row: finds or creates the organization (by name), the site (by code within it) and
 * the contact (by email, else by phone within the organization), and fills in what the row adds.
 * Staff accounts are never touched by an import.
 */
export async function applyImportRow(trx: Trx, row: ImportRow, now: Date): Promise<RowOutcome> {
  const outcomes: RowOutcome[] = []
  let orgId: string | null = null
  let siteId: string | null = null
  if (row.organization) [orgId, outcomes[0]] = await upsertOrganization(trx, row)
  else if (row.organizationDomains || row.tier || row.sharesTickets !== undefined) throw new RowError('imports.needs_organization')
  if (row.siteCode || row.siteName || row.siteAddress) {
    if (!orgId) throw new RowError('imports.needs_organization')
    if (!row.siteCode) throw new RowError('imports.needs_site_code')
    ;[siteId, outcomes[1]] = await upsertSite(trx, orgId, row)
  }
  if (row.name || row.email || row.phone) outcomes[2] = await upsertContact(trx, row, orgId, siteId, now)
  if (outcomes.includes('created')) return 'created'
  return outcomes.includes('updated') ? 'updated' : 'unchanged'
}

async function upsertOrganization(trx: Trx, row: ImportRow): Promise<[string, RowOutcome]> {
  const name = row.organization!
  const vip = flag(row.tier, 'tier')
  const shares = flag(row.sharesTickets, 'sharesTickets')
  const domains = normalizeDomains((row.organizationDomains ?? '').split(/[\s,;]+/).filter(Boolean))
  const badDomain = domains.find((d) => !DOMAIN.test(d))
  if (badDomain) throw new RowError('imports.bad_value', { field: 'organizationDomains', value: badDomain })
  const clash = domains.length === 0 ? undefined : (await sql<{ domain: string; name: string }>`select d as domain, o.name from organizations o, unnest(o.domains) d
    where d = any(${domains}::text[]) and lower(o.name) <> lower(${name}) limit 1`.execute(trx)).rows[0]
  if (clash) throw new RowError('organizations.domain_taken', { domain: clash.domain, organization: clash.name })
  const existing = (await sql<{ id: string; domains: string[]; tier: string; shares_tickets: boolean }>`
    select id, domains, tier, shares_tickets from organizations where lower(name) = lower(${name})`.execute(trx)).rows[0]
  if (!existing) {
    const id = (await sql<{ id: string }>`insert into organizations (name, domains, tier, shares_tickets)
      values (${name}, ${domains}::text[], ${vip ? 'vip' : 'standard'}, ${shares ?? false}) returning id`.execute(trx)).rows[0].id
    return [id, 'created']
  }
  const merged = [...new Set([...existing.domains, ...domains])]
  const tier = vip === undefined ? existing.tier : vip ? 'vip' : 'standard'
  const sharesTickets = shares ?? existing.shares_tickets
  if (merged.length === existing.domains.length && tier === existing.tier && sharesTickets === existing.shares_tickets) return [existing.id, 'unchanged']
  await sql`update organizations set domains = ${merged}::text[], tier = ${tier}, shares_tickets = ${sharesTickets} where id = ${existing.id}`.execute(trx)
  return [existing.id, 'updated']
}

async function upsertSite(trx: Trx, orgId: string, row: ImportRow): Promise<[string, RowOutcome]> {
  const code = row.siteCode!
  if (code.length > 32) throw new RowError('imports.bad_value', { field: 'siteCode', value: code })
  const existing = (await sql<{ id: string; name: string; address: string | null }>`
    select id, name, address from sites where organization_id = ${orgId} and lower(code) = lower(${code})`.execute(trx)).rows[0]
  if (!existing) {
    const id = (await sql<{ id: string }>`insert into sites (organization_id, code, name, address)
      values (${orgId}, ${code}, ${row.siteName ?? code}, ${row.siteAddress ?? null}) returning id`.execute(trx)).rows[0].id
    return [id, 'created']
  }
  const name = row.siteName ?? existing.name
  const address = row.siteAddress ?? existing.address
  if (name === existing.name && address === existing.address) return [existing.id, 'unchanged']
  await sql`update sites set name = ${name}, address = ${address} where id = ${existing.id}`.execute(trx)
  return [existing.id, 'updated']
}

interface ContactRow { id: string; role: string; name: string; phone: string | null; organization_id: string | null; site_id: string | null }

async function upsertContact(trx: Trx, row: ImportRow, orgId: string | null, siteId: string | null, now: Date): Promise<RowOutcome> {
  const email = row.email?.toLowerCase() ?? null
  const phone = row.phone ?? null
  if (email && !EMAIL.test(email)) throw new RowError('imports.bad_value', { field: 'email', value: row.email })
  if (phone && !PHONE.test(phone)) throw new RowError('imports.bad_value', { field: 'phone', value: phone })
  if (!email && !phone) throw new RowError('contacts.email_or_phone')
  const locale = row.locale ? (row.locale.toLowerCase().startsWith('en') ? 'en' : 'es-MX') : null
  const existing = email
    ? (await sql<ContactRow>`select id, role, name, phone, organization_id, site_id from users where lower(email) = ${email}`.execute(trx)).rows[0]
    : (await sql<ContactRow>`select id, role, name, phone, organization_id, site_id from users
        where role = 'customer' and phone = ${phone} and organization_id is not distinct from ${orgId}::uuid order by created_at limit 1`.execute(trx)).rows[0]
  if (!existing) {
    if (!row.name) throw new RowError('imports.needs_name')
    await sql`insert into users (email, name, role, phone, organization_id, site_id, locale)
      values (${email}, ${row.name}, 'customer', ${phone}, ${orgId}, ${siteId}, ${locale ?? 'es-MX'})`.execute(trx)
    return 'created'
  }
  if (existing.role !== 'customer') throw new RowError('imports.email_is_staff', { email })
  const next = {
    name: row.name ?? existing.name,
    phone: phone ?? existing.phone,
    organization_id: orgId ?? existing.organization_id,
    site_id: siteId ?? (orgId && orgId !== existing.organization_id ? null : existing.site_id),
  }
  if (next.name === existing.name && next.phone === existing.phone && next.organization_id === existing.organization_id && next.site_id === existing.site_id && !locale) return 'unchanged'
  await sql`update users set name = ${next.name}, phone = ${next.phone}, organization_id = ${next.organization_id}, site_id = ${next.site_id},
      locale = coalesce(${locale}, locale), org_manager = case when organization_id is distinct from ${next.organization_id}::uuid then false else org_manager end,
      updated_at = ${now}
    where id = ${existing.id}`.execute(trx)
  return 'updated'
}
