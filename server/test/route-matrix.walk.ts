import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Access, DeclaredRoute } from '../src/platform/auth/access'
import { ROLE_KEYS, type HttpAnswer, type MatrixFixtures, type ObjectCase, type RoleKey } from './route-matrix.fixtures'
import { expectedAccess, openApiPath, routeKey, type RouteOp } from './route-matrix.rules'

/** Walks routes × callers over HTTP and lists every answer that differs from the expectation. */

interface Schema { type?: string; format?: string; enum?: unknown[]; const?: unknown; anyOf?: Schema[]; additionalProperties?: unknown; properties?: Record<string, Schema> }
interface Parameter { in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema?: Schema }
interface Operation { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }
export interface OpenApiDoc { paths: Record<string, Record<string, Operation>> }

export interface DocumentedRoute extends RouteOp { operation: Operation }

/** The OpenAPI operations, each with the access its route declared. */
export function documentedRoutes(doc: OpenApiDoc, declared: DeclaredRoute[]): DocumentedRoute[] {
  const access = new Map(declared.map((d) => [`${d.method} ${openApiPath(d.url)}`, d.access]))
  const out: DocumentedRoute[] = []
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const [m, operation] of Object.entries(ops)) {
      const method = m.toUpperCase()
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue
      out.push({ method, path: p, access: access.get(`${method} ${p}`), operation })
    }
  }
  return out
}

const UNKNOWN_UUID = '00000000-0000-4000-8000-00000000dead'

function sample(schema: Schema | undefined): string {
  if (schema?.format === 'uuid') return UNKNOWN_UUID
  if (schema?.type === 'integer' || schema?.type === 'number') return '987654321'
  if (schema?.enum?.length) return String(schema.enum[0])
  if (schema?.const !== undefined) return String(schema.const)
  if (schema?.anyOf?.length) return sample(schema.anyOf[0])
  return 'matrix-unknown'
}

const UNSAFE_WITH_BODY = new Set(['POST', 'PUT', 'PATCH'])
const isIdParam = (p: Parameter) => p.schema?.format === 'uuid' || p.schema?.type === 'integer'
export const jsonBodySchema = (op: Operation) => op.requestBody?.content?.['application/json']?.schema

/** The route's URL with unknown ids in its path and sample values for required query parameters; `query` sets (or replaces) some. */
export function sampleUrl(route: DocumentedRoute, params: Record<string, string> = {}, query: Record<string, string> = {}): string {
  const url = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? sample(route.operation.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema)))
  const values = new Map((route.operation.parameters ?? []).filter((p) => p.in === 'query' && p.required).map((p) => [p.name, sample(p.schema)]))
  for (const [name, value] of Object.entries(query)) values.set(name, value)
  const pairs = [...values].map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
  return pairs.length ? `${url}?${pairs.join('&')}` : url
}

function describeAnswer(a: HttpAnswer) {
  return `${a.status} ${a.body.slice(0, 160)}`
}

function errorCode(a: HttpAnswer): string | undefined {
  try {
    return (a.json() as { error?: { code?: string } }).error?.code
  } catch {
    return undefined
  }
}

/** The gate's verdict must match: 401 'unauthenticated', 403 'forbidden', or through it. */
function judgeGate(expected: 'allowed' | 401 | 403, a: HttpAnswer): string | null {
  if (expected === 401) return a.status === 401 && errorCode(a) === 'unauthenticated' ? null : `expected 401 unauthenticated, got ${describeAnswer(a)}`
  if (expected === 403) return a.status === 403 && errorCode(a) === 'forbidden' ? null : `expected 403 forbidden, got ${describeAnswer(a)}`
  if (a.status === 401 || a.status === 403) return `expected to be let in, got ${describeAnswer(a)}`
  if (a.status >= 500) return `server error ${describeAnswer(a)}`
  if (a.status === 404 && errorCode(a) === 'route_not_found') return `route not found ${describeAnswer(a)}`
  return null
}

/**
 * Every documented route × every caller, addressing unknown objects: the gate answers 401/403 as
 * the declared access says; callers let in on a route about an object (id parameters) get 404
 * (or 400 when the body is invalid) — an object that does not exist is never a 403.
 */
export async function walkAccess(f: MatrixFixtures, routes: DocumentedRoute[], callers: readonly RoleKey[] = ROLE_KEYS): Promise<string[]> {
  const failures: string[] = []
  for (const route of routes) {
    if (!route.access) continue
    const pathParams = (route.operation.parameters ?? []).filter((p) => p.in === 'path')
    const aboutObject = pathParams.length > 0 && pathParams.every(isIdParam)
    const json = jsonBodySchema(route.operation)
    const hasRequiredQuery = (route.operation.parameters ?? []).some((p) => p.in === 'query' && p.required)
    for (const caller of callers) {
      const expected = expectedAccess(route.access as Access, caller)
      const answer = await f.call(caller, { method: route.method, path: sampleUrl(route), body: json ? {} : undefined })
      let problem = judgeGate(expected, answer)
      if (!problem && expected === 'allowed' && aboutObject) {
        // Reading or deleting an unknown object is a 404. A write may fail on its body first
        // (400, 415 …), but it must never succeed.
        if (UNSAFE_WITH_BODY.has(route.method)) {
          if (answer.status < 400) problem = `a write to an unknown object succeeded: ${describeAnswer(answer)}`
        } else {
          const okStatuses = hasRequiredQuery ? [400, 404] : [404]
          if (!okStatuses.includes(answer.status)) problem = `an unknown object should answer ${okStatuses.join(' or ')}, got ${describeAnswer(answer)}`
        }
      }
      if (problem) failures.push(`${routeKey(route)} as ${caller} (${String(route.access)}): ${problem}`)
    }
  }
  return failures
}

/** Object-level cases: visible → 2xx, let in but not visible → 404, not let in → 401/403. */
export async function walkObjectCases(f: MatrixFixtures, routes: DocumentedRoute[], cases: ObjectCase[]): Promise<string[]> {
  const failures: string[] = []
  for (const c of cases) {
    const route = routes.find((r) => routeKey(r) === c.route)
    if (!route || !route.access) { failures.push(`${c.route} (${c.name}): no such documented route`); continue }
    for (const caller of ROLE_KEYS) {
      const { params, body } = await c.setup(f)
      const answer = await f.call(caller, { method: route.method, path: sampleUrl(route, params), body: body ?? (jsonBodySchema(route.operation) ? {} : undefined) })
      const gate = expectedAccess(route.access as Access, caller)
      let problem = judgeGate(gate, answer)
      if (!problem && gate === 'allowed') {
        if (c.visibleTo.includes(caller)) {
          const ok = c.okStatus ? answer.status === c.okStatus : answer.status >= 200 && answer.status < 300
          if (!ok) problem = `expected ${c.okStatus ?? '2xx'} (visible), got ${describeAnswer(answer)}`
        } else if (answer.status !== 404) problem = `expected 404 (not visible to this caller), got ${describeAnswer(answer)}`
      }
      if (problem) failures.push(`${c.route} [${c.name}] as ${caller}: ${problem}`)
    }
  }
  return failures
}

const modulesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/modules')

/**
 * Every module's object cases, from files named `*.matrix.ts` under server/src/modules, plus the
 * ticket cases the matrix keeps itself (route-matrix.tickets.ts).
 */
export async function loadObjectCases(): Promise<ObjectCase[]> {
  const files = (fs.readdirSync(modulesDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.matrix.ts')).sort()
    .map((f) => path.join(modulesDir, f))
  files.push(path.join(path.dirname(fileURLToPath(import.meta.url)), 'route-matrix.tickets.ts'))
  const cases: ObjectCase[] = []
  for (const file of files) {
    const mod = (await import(pathToFileURL(file).href)) as { objectCases?: ObjectCase[] }
    if (!Array.isArray(mod.objectCases)) throw new Error(`${file} must export objectCases: ObjectCase[]`)
    cases.push(...mod.objectCases)
  }
  return cases
}

/**
 * Body hygiene on every route that takes JSON: the schema rejects unknown fields (and names the
 * field, in Spanish by default), and malformed JSON is a 400 with a clear message.
 */
export async function walkBodies(f: MatrixFixtures, routes: DocumentedRoute[]): Promise<string[]> {
  const failures: string[] = []
  const order: RoleKey[] = ['admin', 'supervisor', 'agent', 'customer', 'anonymous']
  for (const route of routes) {
    const schema = jsonBodySchema(route.operation)
    if (!schema || !route.access) continue
    const caller = order.find((c) => expectedAccess(route.access as Access, c) === 'allowed')
    if (!caller) continue
    const key = routeKey(route)
    if (schema.type !== 'object' || schema.additionalProperties !== false) failures.push(`${key}: body schema is not a strict object (additionalProperties: false)`)
    const unknown = await f.call(caller, { method: route.method, path: sampleUrl(route), body: { zzMatrixUnknown: 1 } })
    const details = unknown.status === 400 ? ((unknown.json() as { error: { details?: Array<{ field: string; rule: string }> } }).error.details ?? []) : []
    if (!details.some((d) => d.rule === 'additionalProperties' && d.field === 'zzMatrixUnknown') || !unknown.body.includes('campo desconocido «zzMatrixUnknown»')) {
      failures.push(`${key}: an unknown field should be a 400 naming it, got ${describeAnswer(unknown)}`)
    }
    const malformed = await f.call(caller, { method: route.method, path: sampleUrl(route), rawBody: '{"nombre": ' })
    if (malformed.status !== 400 || errorCode(malformed) !== 'malformed_json') failures.push(`${key}: malformed JSON should be 400 malformed_json, got ${describeAnswer(malformed)}`)
  }
  return failures
}

/** Who to try a route as: the first caller its access lets in (admin first), and a customer too when let in (the portal's paths differ). */
function allowedCallers(route: DocumentedRoute): RoleKey[] {
  if (!route.access) return []
  const allowed = (c: RoleKey) => expectedAccess(route.access as Access, c) === 'allowed'
  const first = (['admin', 'supervisor', 'agent', 'customer', 'anonymous'] as const).find(allowed)
  if (!first) return []
  return first !== 'customer' && allowed('customer') ? [first, 'customer'] : [first]
}

const isPlainString = (s: Schema | undefined): boolean =>
  !!s && ((s.type === 'string' && s.enum === undefined && s.const === undefined) || (s.anyOf ?? []).some(isPlainString))
const isInteger = (s: Schema | undefined): boolean => !!s && (s.type === 'integer' || (s.anyOf ?? []).some(isInteger))
const TAMPERED_CURSOR = Buffer.from(JSON.stringify(['notadate', 1.5])).toString('base64url')

/**
 * Hostile input on every route, as a caller let in: a number beyond a bigint in an integer path
 * parameter, the NUL character (which PostgreSQL cannot store) in each string of the query and
 * of the body, a number beyond a bigint in each integer field, and a tampered page cursor. Each
 * must be a 4xx — never a server error — and a NUL in a body or query string, or a tampered
 * cursor, is refused by name (a route about an unknown object may answer 404 first).
 */
export async function walkHostileInput(f: MatrixFixtures, routes: DocumentedRoute[]): Promise<string[]> {
  const failures: string[] = []
  const named = (a: HttpAnswer, field: string, rule: string) => {
    if (a.status !== 400) return false
    const details = (a.json() as { error: { details?: Array<{ field: string; rule: string }> } }).error.details ?? []
    return details.some((d) => d.field === field && d.rule === rule)
  }
  for (const route of routes) {
    if (/\/(logout|logout-all)$/.test(route.path)) continue
    for (const caller of allowedCallers(route)) {
      const key = `${routeKey(route)} as ${caller}`
      const json = jsonBodySchema(route.operation)
      const params = route.operation.parameters ?? []
      const aboutObject = params.some((p) => p.in === 'path' && isIdParam(p))
      const attempt = async (what: string, path: string, body: unknown, expectNamed?: { field: string; rule: string }) => {
        const a = await f.call(caller, { method: route.method, path, body: body ?? (json ? {} : undefined) })
        if (a.status >= 500) failures.push(`${key} ${what}: server error ${describeAnswer(a)}`)
        else if (a.status < 400) failures.push(`${key} ${what}: accepted (${a.status})`)
        else if (expectNamed && !(aboutObject && a.status === 404) && !named(a, expectNamed.field, expectNamed.rule)) {
          failures.push(`${key} ${what}: expected 400 naming ${expectNamed.field} (${expectNamed.rule}), got ${describeAnswer(a)}`)
        }
      }
      for (const p of params.filter((x) => x.in === 'path' && isInteger(x.schema))) {
        await attempt(`path ${p.name} beyond a bigint`, sampleUrl(route, { [p.name]: '99999999999999999999' }), undefined)
      }
      const base = sampleUrl(route)
      for (const p of params.filter((x) => x.in === 'query')) {
        const url = (value: string) => sampleUrl(route, {}, { [p.name]: value })
        if (p.name === 'cursor') await attempt('tampered cursor', url(TAMPERED_CURSOR), undefined, { field: 'cursor', rule: 'cursor' })
        else if (isPlainString(p.schema)) await attempt(`query ${p.name} with U+0000`, url('a\u0000b'), undefined, { field: p.name, rule: 'storableText' })
        else if (isInteger(p.schema)) await attempt(`query ${p.name} beyond a bigint`, url('99999999999999999999'), undefined)
      }
      if (!json || !UNSAFE_WITH_BODY.has(route.method)) continue
      for (const [name, prop] of Object.entries(json.properties ?? {})) {
        if (isPlainString(prop)) await attempt(`body ${name} with U+0000`, base, { [name]: 'a\u0000b' }, { field: name, rule: 'storableText' })
        else if (isInteger(prop)) await attempt(`body ${name} beyond a bigint`, base, { [name]: 1e20 })
      }
    }
  }
  return failures
}

