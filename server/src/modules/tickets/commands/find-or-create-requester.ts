import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import { ValidationError } from '../../../platform/http/errors'
import type { CommandContext } from '../history/append-history'

export interface RequesterInput { name: string; email?: string | null; phone?: string | null; organizationId?: string | null }

export interface Requester { id: string; organization_id: string | null; site_id: string | null; created: boolean }

/** Digits of a phone number, for matching "55 1234-5678" with "5512345678". */
export const phoneDigits = (phone: string) => phone.replace(/\D/g, '')

/**
 * The contact an agent files a ticket for on behalf of a caller: the existing user with that
 * email (else that phone — only a contact without an email when an email was given), or a new
 * customer created on the fly with name + email and/or phone, placed in the organization given or
 * the one whose email domain matches. `emailKnownUnused`
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
    // With an email nobody has, the phone finds only a contact without an email: a shared line
    // (a switchboard, a family phone) must not put a new caller's ticket under someone else.
    const row = (await sql<Row>`select id, organization_id, site_id from users
      where active and (phone = ${phone} or (${digits.length >= 7} and regexp_replace(phone, '\\D', '', 'g') = ${digits}))
        and (${email}::text is null or email is null)
      order by role = 'customer' desc, created_at limit 1`.execute(trx)).rows[0]
    if (row) return { ...row, created: false }
  }
  const [requester] = await createContacts(trx, ctx, [{ name: input.name, email, phone, organizationId: input.organizationId ?? null }])
  return requester
}

/** A contact to create: the caller knows its email (and phone) belongs to no one yet. */
export interface NewContact { name: string; email: string | null; phone: string | null; organizationId: string | null }

/**
 * New customers created on the fly (a caller's contact, the senders of new mail), in one
 * statement however many: each in the organization given or else the one whose email domain
 * matches, and each creation audited. Answers in the contacts' order. A contact whose email
 * another transaction has just given to a user (two first messages from one sender filed at
 * once) is not created twice: the insert waits for that transaction and skips the address, and
 * the user it made is answered instead (`created: false`).
 */
export async function createContacts(trx: Trx, ctx: CommandContext, contacts: readonly NewContact[]): Promise<Requester[]> {
  if (contacts.length === 0) return []
  const ids = contacts.map(() => randomUUID())
  const rows = (await sql<{ id: string; organization_id: string | null; site_id: string | null }>`
    with input as (
      select * from unnest(${ids}::uuid[], ${contacts.map((c) => c.email)}::text[], ${contacts.map((c) => c.name.trim())}::text[],
        ${contacts.map((c) => c.phone)}::text[], ${contacts.map((c) => c.organizationId)}::uuid[]) as i(id, email, name, phone, organization_id)
    ), created as (
      insert into users (id, email, name, phone, role, organization_id)
      select i.id, i.email, i.name, i.phone, 'customer', coalesce(i.organization_id, (select o.id from organizations o
        where i.email is not null and split_part(i.email, '@', 2) = any(o.domains) order by o.created_at limit 1))
      from input i
      on conflict ((lower(email))) where email is not null do nothing
      returning id, organization_id, site_id
    ), audited as (
      insert into audit_log (actor_id, action, target_type, target_id)
      select ${ctx.actor.via === 'system' ? null : ctx.actor.id}::uuid, 'contacts.created_from_ticket', 'user', id::text from created
    )
    select id, organization_id, site_id from created`.execute(trx)).rows
  const byId = new Map(rows.map((r) => [r.id, { ...r, created: true }]))
  const taken = contacts.filter((c, i) => !byId.has(ids[i]) && c.email).map((c) => c.email!.toLowerCase())
  const byEmail = new Map<string, Requester>()
  if (taken.length > 0) {
    const existing = (await sql<{ id: string; organization_id: string | null; site_id: string | null; email: string }>`
      select id, organization_id, site_id, lower(email) as email from users where lower(email) = any(${taken}::text[])`.execute(trx)).rows
    for (const { email, ...user } of existing) byEmail.set(email, { ...user, created: false })
  }
  return ids.map((id, i) => byId.get(id) ?? byEmail.get(contacts[i].email?.toLowerCase() ?? '')!)
}
