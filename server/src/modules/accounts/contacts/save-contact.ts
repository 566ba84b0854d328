import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import { NotFoundError, ValidationError } from '../../../platform/http/errors'
import { assertEmailFree, checkAccountShape, normalizeEmail, organizationOfSite } from '../account-rules'

export interface ContactInput {
  name?: string
  email?: string | null
  phone?: string | null
  organizationId?: string | null
  siteId?: string | null
  locale?: string
}

/**
 * Creates a contact (role customer, no password: they sign in after an invitation or a reset).
 * A contact needs an email or a phone; a site implies its organization.
 */
export async function createContact(trx: Trx, input: ContactInput & { name: string }): Promise<string> {
  const email = input.email ? normalizeEmail(input.email) : null
  const phone = input.phone?.trim() || null
  if (!email && !phone) throw new ValidationError('contacts.email_or_phone', {}, [{ field: 'email', rule: 'email_or_phone' }])
  const organizationId = input.organizationId ?? (input.siteId ? await organizationOfSite(trx, input.siteId) : null)
  await checkAccountShape(trx, { role: 'customer', organizationId, siteId: input.siteId ?? null, orgManager: false, teamIds: [] })
  if (email) await assertEmailFree(trx, email)
  const defaults = (await sql<{ value: unknown }>`select value from settings where key = 'users.defaultLocale'`.execute(trx)).rows[0]
  const row = (await sql<{ id: string }>`insert into users (email, name, role, phone, organization_id, site_id, locale)
    values (${email}, ${input.name.trim()}, 'customer', ${phone}, ${organizationId}, ${input.siteId ?? null},
            ${input.locale ?? (typeof defaults?.value === 'string' ? defaults.value : 'es-MX')})
    returning id`.execute(trx)).rows[0]
  return row.id
}

/** Changes a contact's details; only users with role customer are contacts (else 404). */
export async function updateContact(trx: Trx, id: string, input: ContactInput, now: Date): Promise<void> {
  const before = (await sql<{ email: string | null; phone: string | null; organization_id: string | null; site_id: string | null }>`
    select email, phone, organization_id, site_id from users where id = ${id} and role = 'customer' for update`.execute(trx)).rows[0]
  if (!before) throw new NotFoundError('contacts.not_found')
  const email = input.email === undefined ? before.email : input.email ? normalizeEmail(input.email) : null
  const phone = input.phone === undefined ? before.phone : input.phone?.trim() || null
  if (!email && !phone) throw new ValidationError('contacts.email_or_phone', {}, [{ field: 'email', rule: 'email_or_phone' }])
  let organizationId = input.organizationId !== undefined ? input.organizationId : before.organization_id
  if (input.organizationId === undefined && input.siteId) organizationId = await organizationOfSite(trx, input.siteId)
  const siteId = input.siteId !== undefined ? input.siteId : organizationId === before.organization_id ? before.site_id : null
  await checkAccountShape(trx, { role: 'customer', organizationId, siteId, orgManager: false, teamIds: [] })
  if (email && email !== before.email) await assertEmailFree(trx, email, id)
  await sql`update users set name = coalesce(${input.name?.trim() ?? null}, name), email = ${email}, phone = ${phone},
      organization_id = ${organizationId}, site_id = ${siteId}, locale = coalesce(${input.locale ?? null}, locale),
      org_manager = case when organization_id is distinct from ${organizationId}::uuid then false else org_manager end,
      updated_at = ${now}
    where id = ${id}`.execute(trx)
}
