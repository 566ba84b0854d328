import type { Role } from '../db/platform.tables'
import { permissionRule, type Permission } from './permissions'

/** Who is making a request, as every policy sees them. */
export interface Actor {
  id: string
  role: Role
  name: string
  email: string | null
  locale: string
  timezone: string
  organizationId: string | null
  orgManager: boolean
  ticketScope: 'all' | 'teams' | 'assigned'
  teamIds: string[]
  via: 'session' | 'token' | 'system'
  sessionId?: string
  csrfToken?: string
  tokenId?: string
  /** Token scopes; undefined for sessions (a session carries the user's full role). */
  scopes?: string[]
}

export const isStaff = (a: Actor | null | undefined) => !!a && a.role !== 'customer'

/** The one answer to "may this actor use this permission at all". */
export function hasPermission(actor: Actor, permission: Permission): boolean {
  const rule = permissionRule(permission)
  if (!rule.roles.includes(actor.role)) return false
  if (actor.via === 'token') {
    const scopes = actor.scopes ?? []
    if (!scopes.includes(rule.scope) && !scopes.includes('admin')) return false
  }
  return true
}

/** The actor used by background jobs and the system itself. */
export function systemActor(): Actor {
  return {
    id: '00000000-0000-0000-0000-000000000000', role: 'admin', name: 'Atiende', email: null,
    locale: 'es-MX', timezone: 'America/Mexico_City', organizationId: null, orgManager: false,
    ticketScope: 'all', teamIds: [], via: 'system',
  }
}
