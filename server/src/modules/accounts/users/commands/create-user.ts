import { sql } from 'kysely'
import type { Trx } from '../../../../platform/db/database'
import type { Role } from '../../../../platform/db/platform.tables'
import type { Actor } from '../../../../platform/auth/actor'
import { ValidationError } from '../../../../platform/http/errors'
import { recordAudit } from '../../../../platform/audit/audit'
import { MIN_PASSWORD_LENGTH } from '../../../auth/commands/password-links'
import { assertEmailFree, checkAccountShape, normalizeEmail, setUserTeams } from '../../account-rules'
import { inviteUser } from './invite-user'

export interface CreateUserInput {
  email: string
  name: string
  role: Role
  /** An already hashed initial password, or null when the user is invited. */
  passwordHash: string | null
  invite: boolean
  organizationId?: string | null
  siteId?: string | null
  orgManager?: boolean
  phone?: string | null
  locale?: string
  timezone?: string
  teamIds?: string[]
  ticketScope?: 'all' | 'teams' | 'assigned'
}

/** Checks the body's password-or-invitation rule before any hashing. */
export function checkPasswordOrInvite(password: string | undefined, invite: boolean | undefined) {
  if ((password === undefined) === (invite !== true)) throw new ValidationError('users.password_or_invite', {}, [{ field: 'password', rule: 'password_or_invite' }])
  if (password !== undefined && password.length < MIN_PASSWORD_LENGTH) throw new ValidationError('auth.weak_password', {}, [{ field: 'password', rule: 'minLength' }])
}

/**
 * Creates a user with an initial password or an emailed invitation (a single-use link to set the
 * password). Audits `user.created` and, when invited, `user.invited`. Returns the new id.
 */
export async function createUser(trx: Trx, actor: Actor, input: CreateUserInput, opts: { ip: string | null; publicUrl: string; now: Date }): Promise<string> {
  const email = normalizeEmail(input.email)
  const teamIds = [...new Set(input.teamIds ?? [])]
  await checkAccountShape(trx, { role: input.role, organizationId: input.organizationId ?? null, siteId: input.siteId ?? null, orgManager: input.orgManager ?? false, teamIds })
  await assertEmailFree(trx, email)
  const defaults = (await sql<{ key: string; value: unknown }>`select key, value from settings where key in ('users.defaultLocale', 'users.defaultTimezone')`.execute(trx)).rows
  const setting = (key: string) => defaults.find((d) => d.key === key)?.value as string | undefined
  const row = (await sql<{ id: string }>`
    insert into users (email, name, role, password_hash, organization_id, site_id, org_manager, phone, locale, timezone, ticket_scope, password_changed_at)
    values (${email}, ${input.name.trim()}, ${input.role}, ${input.passwordHash}, ${input.organizationId ?? null}, ${input.siteId ?? null},
            ${input.orgManager ?? false}, ${input.phone?.trim() ?? null}, ${input.locale ?? setting('users.defaultLocale') ?? 'es-MX'},
            ${input.timezone ?? setting('users.defaultTimezone') ?? 'America/Mexico_City'}, ${input.ticketScope ?? 'all'},
            ${input.passwordHash ? opts.now : null})
    returning id`.execute(trx)).rows[0]
  if (teamIds.length > 0) await setUserTeams(trx, row.id, teamIds)
  await recordAudit(trx, { actorId: actor.id, action: 'user.created', targetType: 'user', targetId: row.id, ip: opts.ip, details: { email, role: input.role, invited: input.invite } })
  if (input.invite) await inviteUser(trx, actor, row.id, opts)
  return row.id
}
