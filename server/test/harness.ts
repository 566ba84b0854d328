import os from 'node:os'
import fs from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp, type App } from '../src/app'
import { loadConfig } from '../src/platform/config'
import { createContext } from '../src/platform/bootstrap'
import type { AppContext } from '../src/platform/context'
import { hashPassword } from '../src/platform/auth/secrets'
import type { Role } from '../src/platform/db/platform.tables'
import { Worker } from '../src/platform/jobs/worker'
import { freshDatabase } from './database'

export interface TestEnv {
  app: App
  ctx: AppContext
  /** Advance or set the injected clock. */
  clock: { now: Date; advance(ms: number): void; set(d: Date): void }
  /** Runs due jobs until none are left (at the injected clock). */
  drainJobs(maxRounds?: number): Promise<number>
  close(): Promise<void>
}

/** A real app on a fresh migrated database (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
export async function createTestEnv(opts: { listen?: boolean; env?: Record<string, string> } = {}): Promise<TestEnv> {
  const database = await freshDatabase()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-test-'))
  const config = { ...loadConfig({ NODE_ENV: 'test', HELPDESK_DATA_DIR: dataDir, PUBLIC_URL: 'http://localhost:3000', ...opts.env }), logLevel: 'silent' }
  const clock = {
    now: new Date(),
    advance(ms: number) { this.now = new Date(this.now.getTime() + ms) },
    set(d: Date) { this.now = d },
  }
  const ctx = createContext(config, database, () => clock.now)
  const app = await buildApp(ctx)
  await ctx.realtime.start()
  if (opts.listen) await app.listen({ port: 0, host: '127.0.0.1' })
  else await app.ready()
  const worker = new Worker(ctx)
  return {
    app, ctx, clock,
    async drainJobs(maxRounds = 50) {
      let total = 0
      for (let i = 0; i < maxRounds; i++) {
        const n = await worker.runOnce()
        total += n
        if (n === 0) break
      }
      return total
    },
    async close() {
      await app.close()
      await ctx.realtime.stop()
      ctx.mailer.close()
      await database.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

let seq = 0
export interface TestUser { id: string; email: string; password: string; role: Role }

/** Inserts a user directly (setup, not the behaviour under test). */
export async function createUser(ctx: AppContext, opts: { role?: Role; email?: string; name?: string; password?: string; organizationId?: string | null; orgManager?: boolean; ticketScope?: 'all' | 'teams' | 'assigned'; teamIds?: string[]; locale?: string } = {}): Promise<TestUser> {
  seq += 1
  const role = opts.role ?? 'agent'
  const email = opts.email ?? `${role}${seq}.${Date.now()}@example.test`
  const password = opts.password ?? 'contraseña-segura-1'
  const row = (await sql<{ id: string }>`insert into users (email, name, role, password_hash, organization_id, org_manager, ticket_scope, locale)
    values (${email}, ${opts.name ?? `Usuario ${seq}`}, ${role}, ${await hashPassword(password)}, ${opts.organizationId ?? null},
            ${opts.orgManager ?? false}, ${opts.ticketScope ?? 'all'}, ${opts.locale ?? 'es-MX'}) returning id`.execute(ctx.db)).rows[0]
  for (const teamId of opts.teamIds ?? []) await sql`insert into team_members (team_id, user_id) values (${teamId}, ${row.id})`.execute(ctx.db)
  return { id: row.id, email, password, role }
}

export async function createOrganization(ctx: AppContext, name = `Org ${++seq}`, opts: { sharesTickets?: boolean; domains?: string[] } = {}): Promise<string> {
  return (await sql<{ id: string }>`insert into organizations (name, shares_tickets, domains) values (${name}, ${opts.sharesTickets ?? false}, ${opts.domains ?? []}) returning id`.execute(ctx.db)).rows[0].id
}

export async function createTeam(ctx: AppContext, name = `Equipo ${++seq}`, level = 1): Promise<string> {
  return (await sql<{ id: string }>`insert into teams (name, level) values (${name}, ${level}) returning id`.execute(ctx.db)).rows[0].id
}

/** A signed-in HTTP client: cookie + CSRF header on unsafe requests, or a Bearer token. */
export interface Client {
  request(opts: InjectOptions): Promise<LightMyRequestResponse>
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  patch(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  put(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  delete(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  userId: string | null
  cookie: string | null
}

export function clientFor(app: App, auth: { cookie?: string; csrf?: string; bearer?: string; userId?: string | null } = {}): Client {
  const base = (method: string, headers: Record<string, string> = {}) => {
    const h: Record<string, string> = { ...headers }
    if (auth.cookie) h.cookie = auth.cookie
    if (auth.bearer) h.authorization = `Bearer ${auth.bearer}`
    if (auth.csrf && method !== 'GET') h['x-csrf-token'] = auth.csrf
    return h
  }
  const send = (method: InjectOptions['method'], url: string, body?: unknown, headers?: Record<string, string>) =>
    app.inject({ method, url, headers: base(String(method), headers), ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }) })
  return {
    userId: auth.userId ?? null,
    cookie: auth.cookie ?? null,
    request: (o) => app.inject({ ...o, headers: { ...base(String(o.method ?? 'GET')), ...(o.headers as Record<string, string>) } }),
    get: (url, headers) => send('GET', url, undefined, headers),
    post: (url, body, headers) => send('POST', url, body ?? {}, headers),
    patch: (url, body, headers) => send('PATCH', url, body ?? {}, headers),
    put: (url, body, headers) => send('PUT', url, body ?? {}, headers),
    delete: (url, headers) => send('DELETE', url, undefined, headers),
  }
}

export const anonymous = (app: App) => clientFor(app)

/** Logs in through the real route and returns a client carrying the session cookie and CSRF token. */
export async function loginAs(app: App, user: { email: string; password: string; id?: string }): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: user.password } })
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`)
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  return clientFor(app, { cookie, csrf: res.json().csrfToken, userId: res.json().user.id })
}
