import type { Role } from '../db/platform.tables'

/**
 * What a route may require. Each permission names the roles that hold it and the API-token scope
 * a token must carry to use it. Object-level rules (which tickets) live in each module's
 * `*.policy.ts`; this table answers only "may this kind of actor call this at all".
 */
export interface PermissionRule {
  roles: readonly Role[]
  scope: string
}

const STAFF = ['agent', 'supervisor', 'admin'] as const
const EVERYONE = ['customer', 'agent', 'supervisor', 'admin'] as const

const rules: Record<string, PermissionRule> = {
  'profile.read': { roles: EVERYONE, scope: 'profile' },
  'profile.update': { roles: EVERYONE, scope: 'profile' },
  'users.read': { roles: STAFF, scope: 'users:read' },
  'users.manage': { roles: ['admin'], scope: 'admin' },
  'contacts.manage': { roles: STAFF, scope: 'users:write' },
  'teams.read': { roles: STAFF, scope: 'users:read' },
  'teams.manage': { roles: ['admin'], scope: 'admin' },
  'organizations.read': { roles: STAFF, scope: 'users:read' },
  'organizations.manage': { roles: ['admin', 'supervisor'], scope: 'admin' },
  'api_tokens.manage': { roles: STAFF, scope: 'admin' },
  'audit.read': { roles: ['admin'], scope: 'admin' },
  'jobs.manage': { roles: ['admin'], scope: 'admin' },
  'settings.manage': { roles: ['admin'], scope: 'admin' },
  'events.subscribe': { roles: EVERYONE, scope: 'tickets:read' },
  'tickets.presence': { roles: STAFF, scope: 'tickets:read' },
}

export type Permission = string

/** Modules declare their own permissions at import time (e.g. tickets.read). */
export function registerPermissions(more: Record<string, PermissionRule>) {
  for (const [name, rule] of Object.entries(more)) {
    if (rules[name]) throw new Error(`permission ${name} is already defined`)
    rules[name] = rule
  }
}

export function permissionRule(name: Permission): PermissionRule {
  const rule = rules[name]
  if (!rule) throw new Error(`unknown permission ${name}`)
  return rule
}

export function allPermissions(): Record<string, PermissionRule> {
  return { ...rules }
}

/** Scopes an API token can be given. */
export const TOKEN_SCOPES = ['profile', 'tickets:read', 'tickets:write', 'users:read', 'users:write', 'admin'] as const
export type TokenScope = (typeof TOKEN_SCOPES)[number]

export { STAFF, EVERYONE }
