import type { ColumnType, Generated } from 'kysely'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
type Json<T = unknown> = ColumnType<T, T | string, T | string>

export type Role = 'customer' | 'agent' | 'supervisor' | 'admin'

export interface UsersTable {
  id: Generated<string>
  email: string | null
  name: string
  phone: string | null
  role: Role
  password_hash: string | null
  locale: Generated<string>
  timezone: Generated<string>
  active: Generated<boolean>
  organization_id: string | null
  /** Contacts: their usual site of the organization (accounts migration 0010). */
  site_id: ColumnType<string | null, string | null | undefined, string | null>
  /** A customer who may see every ticket of their organization (when the organization shares tickets). */
  org_manager: Generated<boolean>
  /** Agents only: 'all' tickets, only their teams' tickets, or only tickets assigned to them. */
  ticket_scope: Generated<'all' | 'teams' | 'assigned'>
  notification_prefs: Generated<Json<Record<string, boolean>>>
  email_failing: Generated<boolean>
  created_at: CreatedAt
  updated_at: Timestamp
  last_login_at: NullableTimestamp
  password_changed_at: NullableTimestamp
}

export interface TeamsTable {
  id: Generated<string>
  name: string
  level: Generated<number>
  lead_user_id: string | null
  created_at: CreatedAt
}

export interface TeamMembersTable {
  team_id: string
  user_id: string
}

export interface OrganizationsTable {
  id: Generated<string>
  name: string
  domains: Generated<string[]>
  tier: Generated<'standard' | 'vip'>
  shares_tickets: Generated<boolean>
  notes: string | null
  created_at: CreatedAt
}

export interface SitesTable {
  id: Generated<string>
  organization_id: string
  code: string
  name: string
  address: string | null
}

export interface SessionsTable {
  id: string // sha256 of the cookie value
  user_id: string
  csrf_token: string
  created_at: CreatedAt
  expires_at: Date
  last_seen_at: Timestamp
  ip: string | null
  user_agent: string | null
}

export interface ApiTokensTable {
  id: Generated<string>
  user_id: string
  name: string
  token_hash: string
  prefix: string
  scopes: string[]
  created_at: CreatedAt
  last_used_at: NullableTimestamp
  revoked_at: NullableTimestamp
}

export interface UserTokensTable {
  token_hash: string
  user_id: string | null
  purpose: 'reset' | 'invite' | 'setup'
  expires_at: Date
  used_at: NullableTimestamp
  created_at: CreatedAt
}

export interface LoginThrottleTable {
  key: string
  failures: number
  window_start: Date
  locked_until: Date | null
}

export interface AuditLogTable {
  id: Generated<number>
  at: CreatedAt
  actor_id: string | null
  action: string
  target_type: string | null
  target_id: string | null
  ip: string | null
  details: Json<Record<string, unknown>>
}

export interface IdempotencyKeysTable {
  user_id: string
  key: string
  method: string
  path: string
  status_code: number
  response: Json<unknown>
  created_at: CreatedAt
}

export interface SettingsTable {
  key: string
  value: Json<unknown>
  updated_at: Timestamp
}

export interface JobsTable {
  id: Generated<number>
  name: string
  payload: Json<Record<string, unknown>>
  run_at: Timestamp
  status: Generated<'queued' | 'running' | 'done' | 'dead'>
  attempts: Generated<number>
  max_attempts: Generated<number>
  last_error: string | null
  locked_until: NullableTimestamp
  locked_by: string | null
  unique_key: string | null
  created_at: CreatedAt
  finished_at: NullableTimestamp
}

export interface JobSchedulesTable {
  name: string
  job_name: string
  cron: string
  timezone: string
  payload: Json<Record<string, unknown>>
  next_run_at: Date
  enabled: Generated<boolean>
}

export interface EventsTable {
  id: Generated<number>
  type: string
  ticket_id: string | null
  actor_id: string | null
  payload: Json<Record<string, unknown>>
  created_at: CreatedAt
}

export interface PlatformTables {
  users: UsersTable
  teams: TeamsTable
  team_members: TeamMembersTable
  organizations: OrganizationsTable
  sites: SitesTable
  sessions: SessionsTable
  api_tokens: ApiTokensTable
  user_tokens: UserTokensTable
  login_throttle: LoginThrottleTable
  audit_log: AuditLogTable
  idempotency_keys: IdempotencyKeysTable
  settings: SettingsTable
  jobs: JobsTable
  job_schedules: JobSchedulesTable
  events: EventsTable
}
