import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import { ValidationError } from '../../../platform/http/errors'
import { recordAudit } from '../../../platform/audit/audit'
import type { CommandContext } from '../history/append-history'

export interface RequesterInput { name: string; email?: string | null; phone?: string | null; organizationId?: string | null }

export interface Requester { id: string; organization_id: string | null; site_id: string | null; created: boolean }

/** Digits of a phone number, for matching "55 1234-5678" with "5512345678". */
export const phoneDigits = (phone: string) => phone.replace(/\D/g, '')

/**
 * The contact an agent files a ticket for on behalf of a caller: the existing user with that
 * email (else that phone), or a new customer created on the fly with name + email and/or phone,
 * placed in the organization given or the one whose email domain matches. `emailKnownUnused`
 * skips the email lookup when the caller has just looked that address up and found no user.
 */
export async function findOrCreateRequester(trx: Trx, ctx: CommandContext, input: RequesterInput,
  opts: { emailKnownUnused?: boolean } = {}): Promise<Requester> {
  const email = input.email?.trim().toLowerCase() || null
  const phone = input.phone?.trim() || null
  if (!email && !phone) throw new ValidationError('tickets.requester_contact_required', {}, [{ field: 'requester', rule: 'contact' }])
  type Row = { id: string; organization_id: string | null; site_id: string | null }
  // emailKnownUnused: the caller looked the address up in this transaction and found no user.
  if (email && !opts.emailKnownUnused) {
    const row = (await sql<Row>`select id, organization_id, site_id from users where lower(email) = ${email}`.execute(trx)).rows[0]
    if (row) return { ...row, created: false }
  }
  if (phone) {
    const digits = phoneDigits(phone)
    const row = (await sql<Row>`select id, organization_id, site_id from users
      where active and (phone = ${phone} or (${digits.length >= 7} and regexp_replace(phone, '\\D', '', 'g') = ${digits}))
      order by role = 'customer' desc, created_at limit 1`.execute(trx)).rows[0]
    if (row) return { ...row, created: false }
  }
  let organizationId = input.organizationId ?? null
  if (!organizationId && email) {
    const domain = email.split('@')[1] ?? ''
    organizationId = (await sql<{ id: string }>`select id from organizations where ${domain} = any(domains) order by created_at limit 1`.execute(trx)).rows[0]?.id ?? null
  }
  const row = (await sql<Row>`insert into users (email, name, phone, role, organization_id)
    values (${email}, ${input.name.trim()}, ${phone}, 'customer', ${organizationId}) returning id, organization_id, site_id`.execute(trx)).rows[0]
  await recordAudit(trx, { actorId: ctx.actor.via === 'system' ? null : ctx.actor.id, action: 'contacts.created_from_ticket', targetType: 'user', targetId: row.id })
  return { ...row, created: true }
}
