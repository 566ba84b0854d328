import { sql } from 'kysely'
import { Type } from 'typebox'
import type { Executor } from '../../../platform/db/database'
import type { Role } from '../../../platform/db/platform.tables'
import { NotFoundError } from '../../../platform/http/errors'
import { Uuid } from '../../../platform/http/schemas'
import { Locale, Nullable, RoleSchema, TicketScope, Timestamp, iso } from '../accounts.schemas'

/** A user as administrators and agents see them. */
export const User = Type.Object({
  id: Uuid,
  email: Nullable(Type.String()),
  name: Type.String(),
  phone: Nullable(Type.String()),
  role: RoleSchema,
  active: Type.Boolean(),
  locale: Type.Union([Locale, Type.String()]),
  timezone: Type.String(),
  organizationId: Nullable(Uuid),
  siteId: Nullable(Uuid),
  orgManager: Type.Boolean(),
  ticketScope: TicketScope,
  teamIds: Type.Array(Uuid),
  /** False until an invited user sets a password. */
  hasPassword: Type.Boolean(),
  createdAt: Timestamp,
  lastLoginAt: Nullable(Timestamp),
})

export interface UserRow {
  id: string
  email: string | null
  name: string
  phone: string | null
  role: Role
  active: boolean
  locale: string
  timezone: string
  organization_id: string | null
  site_id: string | null
  org_manager: boolean
  ticket_scope: 'all' | 'teams' | 'assigned'
  team_ids: string[] | null
  has_password: boolean
  created_at: Date
  last_login_at: Date | null
}

/** The columns of UserRow, for `select ${userColumns} from users u …`. */
export const userColumns = sql`u.id, u.email, u.name, u.phone, u.role, u.active, u.locale, u.timezone, u.organization_id,
  u.site_id, u.org_manager, u.ticket_scope, u.password_hash is not null as has_password, u.created_at, u.last_login_at,
  (select coalesce(array_agg(tm.team_id::text order by tm.team_id), '{}') from team_members tm where tm.user_id = u.id) as team_ids`

export function presentUser(row: UserRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    phone: row.phone,
    role: row.role,
    active: row.active,
    locale: row.locale,
    timezone: row.timezone,
    organizationId: row.organization_id,
    siteId: row.site_id,
    orgManager: row.org_manager,
    ticketScope: row.ticket_scope,
    teamIds: row.team_ids ?? [],
    hasPassword: row.has_password,
    createdAt: iso(row.created_at)!,
    lastLoginAt: iso(row.last_login_at),
  }
}

/** Loads one user or answers 404. */
export async function findUser(db: Executor, id: string): Promise<UserRow> {
  const row = (await sql<UserRow>`select ${userColumns} from users u where u.id = ${id}`.execute(db)).rows[0]
  if (!row) throw new NotFoundError('users.not_found')
  return row
}
