import type { Access, DeclaredRoute } from '../src/platform/auth/access'
import { allPermissions, TOKEN_SCOPES } from '../src/platform/auth/permissions'
import { CALLERS, type RoleKey } from './route-matrix.fixtures'

/**
 * The rules every route declaration must follow, and the answer each caller should get from a
 * route's declared access. Pure: no app, no database. Adding a route that breaks a rule fails
 * the matrix test; when the route is right, extend the list below and say why in review.
 */

/** Routes anyone may call. A new public route is a security decision: add it here on purpose. */
export const PUBLIC_ROUTES = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /api/v1/openapi.json',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/password-reset',
  'POST /api/v1/auth/set-password',
  'POST /api/v1/auth/setup',
  'GET /*', // the web app's HTML shell (only when serving the built web app)
  // One-click links of the "resolved" email: a signed token naming ticket, user and action is the credential.
  'GET /api/v1/email/actions/{action}',
  'POST /api/v1/email/actions/{action}',
])

/** Routes any signed-in caller may use whatever their role or token scopes: only one's own session. */
export const AUTHENTICATED_ROUTES = new Set([
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/logout-all',
  'GET /api/v1/auth/session',
  'POST /api/v1/auth/password',
])

/** Registered routes deliberately left out of the OpenAPI document. */
export const HIDDEN_ROUTES = new Set(['GET /api/v1/openapi.json', 'GET /*'])

/** Writes that only need a read permission (e.g. a search sent as POST). */
export const WRITES_WITH_READ_PERMISSION = new Set<string>([])

export interface RouteOp {
  method: string
  /** As in the OpenAPI document: /api/v1/users/{id}. */
  path: string
  access: Access | undefined
}

export const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`
export const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}')
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** What a caller should get from the access gate: let through, 401, or 403. */
export function expectedAccess(access: Access, caller: RoleKey): 'allowed' | 401 | 403 {
  if (access === 'public') return 'allowed'
  const { role, scopes } = CALLERS[caller]
  if (!role) return 401
  if (access === 'authenticated') return 'allowed'
  const rule = allPermissions()[access]
  if (!rule || !rule.roles.includes(role)) return 403
  if (scopes && !scopes.includes(rule.scope) && !scopes.includes('admin')) return 403
  return 'allowed'
}

/** Every problem with the declarations of an app's routes; empty when all is well. */
export function checkDeclarations(documented: RouteOp[], declared: DeclaredRoute[]): string[] {
  const problems: string[] = []
  const permissions = allPermissions()
  const documentedKeys = new Set(documented.map(routeKey))
  for (const d of declared) {
    if (d.method === 'HEAD' || d.method === 'OPTIONS' || d.url.startsWith('/api/docs')) continue
    const key = `${d.method} ${openApiPath(d.url)}`
    if (!documentedKeys.has(key) && !HIDDEN_ROUTES.has(key)) problems.push(`${key}: registered but missing from the OpenAPI document (schema.hide?)`)
  }
  for (const r of documented) {
    const key = routeKey(r)
    const access = r.access
    if (!access) { problems.push(`${key}: declares no access`); continue }
    if (access === 'public' && !PUBLIC_ROUTES.has(key)) problems.push(`${key}: is public but not in PUBLIC_ROUTES`)
    if (access !== 'public' && PUBLIC_ROUTES.has(key)) problems.push(`${key}: is listed in PUBLIC_ROUTES but declares '${access}'`)
    if (access === 'authenticated' && !AUTHENTICATED_ROUTES.has(key)) problems.push(`${key}: needs only a session but is not in AUTHENTICATED_ROUTES; declare a permission`)
    if (access === 'public' || access === 'authenticated') continue
    const rule = permissions[access]
    if (!rule) { problems.push(`${key}: unknown permission '${access}'`); continue }
    if (!(TOKEN_SCOPES as readonly string[]).includes(rule.scope)) problems.push(`${key}: permission '${access}' has scope '${rule.scope}', not one of TOKEN_SCOPES`)
    if (UNSAFE.has(r.method) && access.endsWith('.read') && !WRITES_WITH_READ_PERMISSION.has(key)) problems.push(`${key}: a write guarded by the read permission '${access}'`)
    if (r.path.startsWith('/api/v1/admin/') && rule.roles.some((role) => role !== 'admin')) problems.push(`${key}: an /admin route open to ${rule.roles.join(', ')}`)
  }
  return problems
}
