import { sql } from 'kysely'
import type { Trx } from '../../../../platform/db/database'
import type { Role } from '../../../../platform/db/platform.tables'
import type { Actor } from '../../../../platform/auth/actor'
import { ConflictError } from '../../../../platform/http/errors'
import { recordAudit } from '../../../../platform/audit/audit'
import { assertEmailFree, checkAccountShape, normalizeEmail, setUserTeams } from '../../account-rules'
import { findUser, type UserRow } from '../users.presenter'
import { notifyAccessChanged } from '../../../../platform/realtime/realtime'
import { recordEvent } from '../../../../platform/events/events'

export interface UpdateUserInput {
  name?: string
  email?: string | null
  role?: Role
  active?: boolean
  phone?: string | null
  locale?: string
  timezone?: string
  organizationId?: string | null
  siteId?: string | null
  orgManager?: boolean
  ticketScope?: 'all' | 'teams' | 'assigned'
  teamIds?: string[]
}

/**
 * Changes a user. A role change to staff drops the organization, to customer drops the teams
 * (unless the body sets them). The last active admin can be neither demoted nor deactivated.
 * Deactivation ends the user's sessions, revokes their API tokens and unused password links.
 * A staff member who is deactivated or made a customer records `user.left_staff`: the tickets
 * module then unassigns their tickets in progress.
 * Audits `user.role_changed`, `user.deactivated`, `user.reactivated`, `user.email_changed`,
 * `user.teams_changed` and `user.updated` (other fields).
 */
export async function updateUser(trx: Trx, actor: Actor, userId: string, input: UpdateUserInput, opts: { ip: string | null; now: Date }): Promise<void> {
  const before = await findUserForUpdate(trx, userId)
  const role = input.role ?? before.role
  const active = input.active ?? before.active
  const becomesStaff = role !== 'customer' && before.role === 'customer'
  const becomesCustomer = role === 'customer' && before.role !== 'customer'
  const organizationId = input.organizationId !== undefined ? input.organizationId : becomesStaff ? null : before.organization_id
  const orgChanged = organizationId !== before.organization_id
  const shape = {
    role,
    organizationId,
    siteId: input.siteId !== undefined ? input.siteId : orgChanged ? null : before.site_id,
    orgManager: input.orgManager ?? (orgChanged && !organizationId ? false : before.org_manager),
    teamIds: input.teamIds ? [...new Set(input.teamIds)] : becomesCustomer ? [] : before.team_ids ?? [],
  }
  await checkAccountShape(trx, shape)
  if (before.role === 'admin' && before.active && (role !== 'admin' || !active)) await assertAnotherAdmin(trx, userId)
  const email = input.email === undefined ? before.email : input.email === null ? null : normalizeEmail(input.email)
  if (email && email !== before.email) await assertEmailFree(trx, email, userId)

  await sql`update users set
      name = ${input.name?.trim() ?? before.name}, email = ${email}, role = ${role}, active = ${active},
      phone = ${input.phone !== undefined ? input.phone?.trim() ?? null : before.phone},
      locale = ${input.locale ?? before.locale}, timezone = ${input.timezone ?? before.timezone},
      organization_id = ${shape.organizationId}, site_id = ${shape.siteId}, org_manager = ${shape.orgManager},
      ticket_scope = ${input.ticketScope ?? before.ticket_scope}, updated_at = ${opts.now}
    where id = ${userId}`.execute(trx)
  const teams = await setUserTeams(trx, userId, shape.teamIds)

  const audit = (action: string, details: Record<string, unknown>) =>
    recordAudit(trx, { actorId: actor.id, action, targetType: 'user', targetId: userId, ip: opts.ip, details })
  if (role !== before.role) await audit('user.role_changed', { from: before.role, to: role })
  if (before.active && !active) await audit('user.deactivated', await endAccess(trx, userId, opts.now))
  if (!before.active && active) await audit('user.reactivated', {})
  if (email !== before.email) await audit('user.email_changed', { from: before.email, to: email })
  if (teams.added.length + teams.removed.length > 0) await audit('user.teams_changed', teams)
  const other = Object.keys(input).filter((k) => !['role', 'active', 'email', 'teamIds'].includes(k))
  if (other.length > 0) await audit('user.updated', { fields: other.sort() })
  // A staff member who leaves (deactivated or made a customer): their tickets in progress go back
  // to their teams' queues (the tickets module's job, after commit).
  if (before.role !== 'customer' && before.active && (!active || role === 'customer')) {
    await recordEvent(trx, { type: 'user.left_staff', actorId: actor.id, payload: { userId } })
  }
  // Open event streams re-read who this user is now (role, teams, scope, organization) or close.
  await notifyAccessChanged(trx)
}

/**
 * Locks the user's row. Changes to an admin first take one transaction-wide lock, so two
 * concurrent demotions of the last two admins run one after the other and the second one sees
 * the first (and is refused).
 */
async function findUserForUpdate(trx: Trx, userId: string): Promise<UserRow> {
  const peek = await findUser(trx, userId)
  if (peek.role === 'admin') await sql`select pg_advisory_xact_lock(hashtext('atiende.admins'))`.execute(trx)
  await sql`select 1 from users where id = ${userId} for update`.execute(trx)
  return findUser(trx, userId)
}

async function assertAnotherAdmin(trx: Trx, userId: string) {
  const others = await sql<{ n: number }>`select count(*)::int as n from users where role = 'admin' and active and id <> ${userId}`.execute(trx)
  if (others.rows[0].n === 0) throw new ConflictError('last_admin', 'users.last_admin')
}

/** Ends every way in: sessions, API tokens, unused password links. */
async function endAccess(trx: Trx, userId: string, now: Date) {
  const sessions = await sql`delete from sessions where user_id = ${userId}`.execute(trx)
  const tokens = await sql`update api_tokens set revoked_at = ${now} where user_id = ${userId} and revoked_at is null`.execute(trx)
  await sql`update user_tokens set used_at = ${now} where user_id = ${userId} and used_at is null`.execute(trx)
  return { sessionsEnded: Number(sessions.numAffectedRows ?? 0), tokensRevoked: Number(tokens.numAffectedRows ?? 0) }
}
