import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database'
import type { Role } from '../../platform/db/platform.tables'
import { ConflictError, ValidationError } from '../../platform/http/errors'

/** The parts of an account that must agree with each other, as they will be after a write. */
export interface AccountShape {
  role: Role
  organizationId: string | null
  siteId: string | null
  orgManager: boolean
  teamIds: string[]
}

const invalid = (key: string, field: string, params: Record<string, unknown> = {}) =>
  new ValidationError(key, params, [{ field, rule: key }])

/**
 * Customers belong to an organization (and maybe a site of it) and to no team; staff belong to
 * teams and to no organization. Referenced organization, site and teams must exist.
 */
export async function checkAccountShape(db: Executor, shape: AccountShape): Promise<void> {
  const staff = shape.role !== 'customer'
  if (!staff && shape.teamIds.length > 0) throw invalid('users.teams_for_staff', 'teamIds')
  if (staff && (shape.organizationId || shape.siteId || shape.orgManager)) throw invalid('users.org_for_customers', 'organizationId')
  if (shape.orgManager && !shape.organizationId) throw invalid('users.org_manager_needs_org', 'orgManager')
  if (shape.siteId && !shape.organizationId) throw invalid('accounts.site_unknown', 'siteId')
  if (shape.organizationId) {
    const org = await sql`select 1 from organizations where id = ${shape.organizationId}`.execute(db)
    if (org.rows.length === 0) throw invalid('accounts.organization_unknown', 'organizationId')
  }
  if (shape.siteId) {
    const site = await sql`select 1 from sites where id = ${shape.siteId} and organization_id = ${shape.organizationId}`.execute(db)
    if (site.rows.length === 0) throw invalid('accounts.site_unknown', 'siteId')
  }
  if (shape.teamIds.length > 0) {
    const found = await sql<{ id: string }>`select id::text as id from teams where id = any(${shape.teamIds}::uuid[])`.execute(db)
    const missing = shape.teamIds.filter((id) => !found.rows.some((r) => r.id === id))
    if (missing.length > 0) throw invalid('accounts.team_unknown', 'teamIds', { ids: missing.join(', ') })
  }
}

/** Emails are compared and stored lower-case. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase()

/** 409 when another user already has this email. */
export async function assertEmailFree(db: Executor, email: string, exceptUserId: string | null = null) {
  const row = (await sql<{ id: string; role: Role }>`select id, role from users where lower(email) = ${normalizeEmail(email)}
    and (${exceptUserId}::uuid is null or id <> ${exceptUserId}::uuid)`.execute(db)).rows[0]
  if (row) throw new ConflictError('email_taken', 'users.email_taken', { email }, row.role === 'customer' ? { existingContactId: row.id } : null)
}

/** The site's organization, for a contact given a site but no organization. */
export async function organizationOfSite(db: Executor, siteId: string): Promise<string> {
  const row = (await sql<{ organization_id: string }>`select organization_id from sites where id = ${siteId}`.execute(db)).rows[0]
  if (!row) throw invalid('accounts.site_unknown', 'siteId')
  return row.organization_id
}

/** Replaces a user's team memberships; returns the teams added and removed. */
export async function setUserTeams(db: Executor, userId: string, teamIds: string[]) {
  const before = (await sql<{ team_id: string }>`select team_id::text as team_id from team_members where user_id = ${userId}`.execute(db)).rows.map((r) => r.team_id)
  await sql`delete from team_members where user_id = ${userId} and not (team_id = any(${teamIds}::uuid[]))`.execute(db)
  for (const teamId of teamIds) {
    await sql`insert into team_members (team_id, user_id) values (${teamId}, ${userId}) on conflict do nothing`.execute(db)
  }
  return { added: teamIds.filter((t) => !before.includes(t)), removed: before.filter((t) => !teamIds.includes(t)) }
}

/** True for a PostgreSQL unique violation (both engines report SQLSTATE 23505). */
export const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505'
/** True for a foreign-key violation (a row still referenced elsewhere). */
export const isForeignKeyViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23503'
