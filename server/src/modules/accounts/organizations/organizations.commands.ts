import { sql } from 'kysely'
import type { Executor, Trx } from '../../../platform/db/database'
import type { Actor } from '../../../platform/auth/actor'
import { ConflictError, NotFoundError } from '../../../platform/http/errors'
import { recordAudit } from '../../../platform/audit/audit'
import { isForeignKeyViolation, isUniqueViolation } from '../account-rules'

export interface OrganizationInput { name?: string; domains?: string[]; tier?: 'standard' | 'vip'; sharesTickets?: boolean; notes?: string | null }
interface Ctx { actor: Actor; ip: string | null }

export const normalizeDomains = (domains: string[]) => [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/^@/, '')))]

/** 409 when a domain already belongs to another organization (a domain routes mail to one company). */
export async function assertDomainsFree(db: Executor, domains: string[], exceptId: string | null) {
  if (domains.length === 0) return
  const clash = (await sql<{ name: string; domain: string }>`select o.name, d as domain from organizations o, unnest(o.domains) d
    where d = any(${domains}::text[]) and (${exceptId}::uuid is null or o.id <> ${exceptId}::uuid) limit 1`.execute(db)).rows[0]
  if (clash) throw new ConflictError('domain_taken', 'organizations.domain_taken', { domain: clash.domain, organization: clash.name })
}

async function nameIsUnique<T>(fn: () => Promise<T>, name: string | undefined): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('organization_name_taken', 'organizations.name_taken', { name })
    throw err
  }
}

/** Creates an organization. Audits `organization.created`. */
export async function createOrganization(trx: Trx, c: Ctx, input: OrganizationInput & { name: string }): Promise<string> {
  const domains = normalizeDomains(input.domains ?? [])
  await assertDomainsFree(trx, domains, null)
  const id = await nameIsUnique(async () => (await sql<{ id: string }>`
    insert into organizations (name, domains, tier, shares_tickets, notes)
    values (${input.name.trim()}, ${domains}::text[], ${input.tier ?? 'standard'}, ${input.sharesTickets ?? false}, ${input.notes ?? null})
    returning id`.execute(trx)).rows[0].id, input.name)
  await recordAudit(trx, { actorId: c.actor.id, action: 'organization.created', targetType: 'organization', targetId: id, ip: c.ip, details: { name: input.name } })
  return id
}

/**
 * Changes an organization. Turning ticket sharing on or off changes what its contacts may see,
 * so every change is audited as `organization.updated` with the fields and the sharing values.
 */
export async function updateOrganization(trx: Trx, c: Ctx, id: string, input: OrganizationInput) {
  const before = (await sql<{ shares_tickets: boolean; tier: string }>`select shares_tickets, tier from organizations where id = ${id} for update`.execute(trx)).rows[0]
  if (!before) throw new NotFoundError('organizations.not_found')
  const domains = input.domains ? normalizeDomains(input.domains) : null
  if (domains) await assertDomainsFree(trx, domains, id)
  await nameIsUnique(() => sql`update organizations set name = coalesce(${input.name?.trim() ?? null}, name),
      domains = coalesce(${domains}::text[], domains), tier = coalesce(${input.tier ?? null}, tier),
      shares_tickets = coalesce(${input.sharesTickets ?? null}, shares_tickets),
      notes = ${input.notes === undefined ? sql`notes` : input.notes}
    where id = ${id}`.execute(trx), input.name)
  const details: Record<string, unknown> = { fields: Object.keys(input).sort() }
  if (input.sharesTickets !== undefined && input.sharesTickets !== before.shares_tickets) details.sharesTickets = { from: before.shares_tickets, to: input.sharesTickets }
  if (input.tier !== undefined && input.tier !== before.tier) details.tier = { from: before.tier, to: input.tier }
  await recordAudit(trx, { actorId: c.actor.id, action: 'organization.updated', targetType: 'organization', targetId: id, ip: c.ip, details })
}

/** Deletes an organization without contacts or tickets (else 409); its sites go with it. Audits `organization.deleted`. */
export async function deleteOrganization(trx: Trx, c: Ctx, id: string) {
  const row = (await sql<{ name: string }>`select name from organizations where id = ${id} for update`.execute(trx)).rows[0]
  if (!row) throw new NotFoundError('organizations.not_found')
  const contacts = (await sql<{ n: number }>`select count(*)::int as n from users where organization_id = ${id}`.execute(trx)).rows[0].n
  if (contacts > 0) throw new ConflictError('organization_in_use', 'organizations.has_contacts', { name: row.name, count: contacts })
  try {
    await sql`savepoint delete_org`.execute(trx)
    await sql`delete from organizations where id = ${id}`.execute(trx)
    await sql`release savepoint delete_org`.execute(trx)
  } catch (err) {
    if (!isForeignKeyViolation(err)) throw err
    await sql`rollback to savepoint delete_org`.execute(trx)
    throw new ConflictError('organization_in_use', 'organizations.in_use', { name: row.name })
  }
  await recordAudit(trx, { actorId: c.actor.id, action: 'organization.deleted', targetType: 'organization', targetId: id, ip: c.ip, details: { name: row.name } })
}
