import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import type { TestEnv } from './harness'
import { createOrganization, createTeam, createUser } from './harness'
import { randomSecret, sha256 } from '../src/platform/auth/secrets'
import type { Role } from '../src/platform/db/platform.tables'

/**
 * The cast of the route × role matrix: who calls, and the objects they own. Modules describe
 * object-level expectations for their `{id}` routes in `<module>.matrix.ts` files exporting
 * `objectCases: ObjectCase[]`; the matrix test finds them by file name.
 */
export const ROLE_KEYS = ['anonymous', 'customer', 'otherCustomer', 'agent', 'otherAgent', 'supervisor', 'admin', 'token'] as const
export type RoleKey = (typeof ROLE_KEYS)[number]
export type UserKey = Exclude<RoleKey, 'anonymous' | 'token'>

/** The matrix's API token: the agent's, with a few scopes (so some of the agent's routes are out of its reach). */
export const TOKEN_OWNER: UserKey = 'agent'
export const TOKEN_SCOPES_IN_MATRIX = ['profile', 'tickets:read', 'users:read']

/** How each caller looks to the permission table: role, and scopes when calling with a token. */
export const CALLERS: Record<RoleKey, { role: Role | null; scopes?: string[] }> = {
  anonymous: { role: null },
  customer: { role: 'customer' },
  otherCustomer: { role: 'customer' },
  agent: { role: 'agent' },
  otherAgent: { role: 'agent' },
  supervisor: { role: 'supervisor' },
  admin: { role: 'admin' },
  token: { role: 'agent', scopes: TOKEN_SCOPES_IN_MATRIX },
}

export interface HttpAnswer { status: number; body: string; json(): unknown }
export interface CallOptions { method: string; path: string; body?: unknown; rawBody?: string | Buffer; contentType?: string; headers?: Record<string, string> }

export interface MatrixFixtures {
  env: TestEnv
  /** customer and agent belong to orgA/teamA; otherCustomer and otherAgent to orgB/teamB. */
  orgA: string
  orgB: string
  siteA: string
  siteB: string
  teamA: string
  teamB: string
  users: Record<UserKey, { id: string; email: string }>
  /** Calls the running server over HTTP as one of the cast. */
  call(role: RoleKey, opts: CallOptions): Promise<HttpAnswer>
}

/**
 * An object-level expectation for a route with path parameters. `setup` runs once per caller
 * and creates the object that caller will address. Callers the route's access lets in get a
 * 2xx (`okStatus` when given) if listed in `visibleTo`, and 404 otherwise — never 403.
 */
export interface ObjectCase {
  /** 'METHOD /path/{param}' exactly as in the OpenAPI document. */
  route: string
  name: string
  setup(f: MatrixFixtures): Promise<{ params: Record<string, string>; body?: unknown }>
  visibleTo: RoleKey[]
  okStatus?: number
}

/** Creates the cast: two organizations with a site each, two teams, a user per role, and the token. */
export async function buildFixtures(env: TestEnv): Promise<MatrixFixtures> {
  const db = env.ctx.db
  const orgA = await createOrganization(env.ctx, 'Matriz Org A', { sharesTickets: true })
  const orgB = await createOrganization(env.ctx, 'Matriz Org B', { sharesTickets: true })
  const site = async (org: string, code: string) =>
    (await sql<{ id: string }>`insert into sites (organization_id, code, name) values (${org}, ${code}, ${code}) returning id`.execute(db)).rows[0].id
  const siteA = await site(orgA, 'MA-1')
  const siteB = await site(orgB, 'MB-1')
  const teamA = await createTeam(env.ctx, 'Matriz Equipo A', 1)
  const teamB = await createTeam(env.ctx, 'Matriz Equipo B', 2)
  const users = {
    customer: await createUser(env.ctx, { role: 'customer', organizationId: orgA }),
    otherCustomer: await createUser(env.ctx, { role: 'customer', organizationId: orgB }),
    agent: await createUser(env.ctx, { role: 'agent', teamIds: [teamA], ticketScope: 'teams' }),
    otherAgent: await createUser(env.ctx, { role: 'agent', teamIds: [teamB], ticketScope: 'teams' }),
    supervisor: await createUser(env.ctx, { role: 'supervisor' }),
    admin: await createUser(env.ctx, { role: 'admin' }),
  }
  // Sessions are inserted directly (setup, not the behaviour under test) and re-inserted before
  // every call, so a route that ends sessions (logout, logout-all) cannot spoil later calls.
  const sessions = new Map<UserKey, { cookie: string; csrf: string }>()
  for (const key of Object.keys(users) as UserKey[]) sessions.set(key, { cookie: randomSecret(), csrf: randomSecret(24) })
  const token = `atd_${randomSecret(32)}`
  await sql`insert into api_tokens (user_id, name, token_hash, prefix, scopes)
    values (${users[TOKEN_OWNER].id}, 'matriz', ${sha256(token)}, ${token.slice(0, 12)}, ${TOKEN_SCOPES_IN_MATRIX}::text[])`.execute(db)

  const address = env.app.server.address() as AddressInfo | null
  if (!address) throw new Error('the matrix needs a listening server: createTestEnv({ listen: true })')
  const base = { host: '127.0.0.1', port: address.port }

  async function call(role: RoleKey, opts: CallOptions): Promise<HttpAnswer> {
    const headers: Record<string, string> = { 'accept-language': 'es', ...opts.headers }
    if (role === 'token') headers.authorization = `Bearer ${token}`
    else if (role !== 'anonymous') {
      const s = sessions.get(role)!
      await sql`insert into sessions (id, user_id, csrf_token, expires_at) values (${sha256(s.cookie)}, ${users[role].id}, ${s.csrf}, now() + interval '1 day')
        on conflict (id) do nothing`.execute(db)
      headers.cookie = `atiende_sid=${s.cookie}`
      headers['x-csrf-token'] = s.csrf
    }
    let payload: string | Buffer | undefined = opts.rawBody
    if (payload === undefined && opts.body !== undefined) payload = JSON.stringify(opts.body)
    if (payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json'
    return httpCall(base, opts.method, opts.path, headers, payload)
  }

  return { env, orgA, orgB, siteA, siteB, teamA, teamB, users, call }
}

/**
 * One HTTP request to the real server. A streaming answer (text/event-stream) resolves as soon
 * as its headers arrive, and the connection is closed.
 */
export function httpCall(base: { host: string; port: number }, method: string, path: string, headers: Record<string, string>, payload?: string | Buffer): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ ...base, method, path, headers }, (res) => {
      const status = res.statusCode ?? 0
      if (String(res.headers['content-type'] ?? '').includes('text/event-stream')) {
        req.destroy()
        resolve({ status, body: '', json: () => null })
        return
      }
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        resolve({ status, body, json: () => JSON.parse(body) as unknown })
      })
      res.on('error', reject)
    })
    req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${path} took more than 15 s`)))
    req.on('error', reject)
    req.end(payload)
  })
}
