import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import autocannon from 'autocannon'
import { createContext } from '../server/src/platform/bootstrap'
import { loadConfig } from '../server/src/platform/config'
import type { AppContext } from '../server/src/platform/context'
import type { Progress } from '../server/src/platform/cli/progress'
import { openPglite, openPostgres, type DatabaseHandle } from '../server/src/platform/db/database'
import { serverNodeArgs } from '../server/src/processes'
import { migrateToLatest } from '../server/src/platform/db/migrate'

export type Engine = 'pglite' | 'postgres'

/** One HTTP load: what autocannon sends, for how long, with how many connections. */
export interface HttpLoad {
  name: string
  method?: 'GET' | 'POST' | 'PATCH'
  path: string
  headers?: Record<string, string>
  body?: string
  /** Varies each request (e.g. a different query); called per request. */
  setupRequest?: (req: { path: string; body?: string; headers?: Record<string, string> }) => { path: string; body?: string; headers?: Record<string, string> }
  connections?: number
  durationSeconds?: number
  /** Count requests as items (e.g. tickets created); default 1 per request. */
  target?: string
  /** Runs once the load is over; its figures are printed and saved with the load's (e.g. how long background work took to catch up). */
  afterLoad?: (result: LoadResult) => Promise<Record<string, number | string>>
}

/** A group of scenarios: seeds what it needs through the real code, then declares HTTP loads. */
export interface BenchSuite {
  name: string
  /** Seed in-process, before the server starts. Returns state passed to loads(). */
  seed?(ctx: AppContext, engine: Engine, progress: Progress): Promise<Record<string, unknown>>
  /** Called with the running server's base URL. */
  loads(base: string, state: Record<string, unknown>, engine: Engine): Promise<HttpLoad[]>
  /** In-process measurements that are not HTTP (e.g. SLA computation); return name → figures. */
  compute?(ctx: AppContext, engine: Engine): Promise<Array<{ name: string; figures: Record<string, number | string>; target?: string }>>
}

export type { Progress } from '../server/src/platform/cli/progress'
export { progressBar } from '../server/src/platform/cli/progress'

export interface Storage { env: Record<string, string>; open(): Promise<DatabaseHandle>; cleanup(): Promise<void> }

/** A fresh place for one engine's run: a PGlite directory or a new PostgreSQL database. */
export async function freshStorage(engine: Engine, pgUrl: string): Promise<Storage> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `atiende-bench-${engine}-`))
  if (engine === 'pglite') {
    return {
      env: { HELPDESK_DATA_DIR: dir },
      open: () => openPglite(path.join(dir, 'pglite')),
      cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
    }
  }
  const name = `atiende_bench_${Date.now()}`
  const admin = new pg.Client({ connectionString: pgUrl })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const u = new URL(pgUrl)
  u.pathname = `/${name}`
  return {
    env: { HELPDESK_DATA_DIR: dir, DATABASE_URL: u.toString() },
    open: () => openPostgres(u.toString(), 20),
    cleanup: async () => {
      const a = new pg.Client({ connectionString: pgUrl })
      await a.connect()
      await a.query(`drop database if exists ${name} with (force)`)
      await a.end()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function openContext(storage: Storage): Promise<{ ctx: AppContext; close: () => Promise<void> }> {
  const database = await storage.open()
  await migrateToLatest(database.db)
  const ctx = createContext({ ...loadConfig({ ...process.env, ...storage.env }), logLevel: 'silent' }, database)
  return { ctx, close: () => database.close() }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Starts the real server as a child process, as `npm start` runs it plus BENCH_SERVER_FLAGS (extra
 * node flags, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), and waits for /readyz (and, with `smtp`,
 * for its SMTP receiver on `smtpPort`; otherwise the receiver is off).
 */
export async function startServer(env: Record<string, string>, opts: { smtp?: boolean } = {}): Promise<{ base: string; smtpPort: number; stop: () => Promise<void> }> {
  const [port, smtpPort] = [await freePort(), opts.smtp ? await freePort() : 0]
  const child: ChildProcess = spawn(process.execPath, serverNodeArgs((process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean)), {
    cwd: path.resolve(import.meta.dirname, '..'),
    env: {
      ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', NODE_ENV: 'production',
      SMTP_PORT: String(smtpPort), ...(opts.smtp ? { SMTP_HOST: '127.0.0.1', IMAP_POLLING: 'off' } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const base = `http://127.0.0.1:${port}`
  const started = Date.now()
  for (;;) {
    const smtp = !opts.smtp || await new Promise<boolean>((resolve) => {
      const s = net.connect(smtpPort, '127.0.0.1', () => { s.end(); resolve(true) })
      s.on('error', () => resolve(false))
    })
    try { if (smtp && (await fetch(`${base}/readyz`)).status === 200) break } catch { /* starting */ }
    if (Date.now() - started > 180_000) throw new Error('server did not start')
    await new Promise((r) => setTimeout(r, 250))
  }
  return {
    base,
    smtpPort,
    stop: () => new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM') }),
  }
}

export interface LoadResult {
  name: string
  requests: number
  non2xx: number
  errors: number
  throughput: number
  p50: number
  p95: number
  p99: number
  connections: number
  /** How long the load ran. */
  seconds: number
  target?: string
  /** Figures of the load's afterLoad. */
  after?: Record<string, number | string>
}

/**
 * Waits until the server has run the background jobs of these names that are due (none queued
 * or running with run_at ≤ now), polling the admin jobs API; returns the seconds it took.
 */
export async function backgroundCaughtUp(base: string, admin: Record<string, string>, names: readonly string[], timeoutSeconds = 900): Promise<number> {
  const started = performance.now()
  const pending = async () => {
    for (const name of names) {
      for (const status of ['queued', 'running']) {
        const res = await fetch(`${base}/api/v1/admin/jobs?status=${status}&name=${encodeURIComponent(name)}&limit=100`, { headers: admin })
        if (res.status !== 200) throw new Error(`jobs API: ${res.status} ${await res.text()}`)
        const { items } = await res.json() as { items: Array<{ runAt: string }> }
        if (items.some((j) => new Date(j.runAt).getTime() <= Date.now())) return true
      }
    }
    return false
  }
  while (await pending()) {
    if (performance.now() - started > timeoutSeconds * 1000) throw new Error('background jobs did not catch up')
    await new Promise((r) => setTimeout(r, 200))
  }
  return (performance.now() - started) / 1000
}

/** Runs one load with autocannon; exact latency percentiles (ms) from every response, throughput in requests/s. */
export async function runLoad(base: string, load: HttpLoad): Promise<LoadResult> {
  const latencies: number[] = []
  const instance = autocannon({
    url: base,
    connections: load.connections ?? 10,
    duration: load.durationSeconds ?? 10,
    requests: [{
      method: load.method ?? 'GET',
      path: load.path,
      headers: { 'content-type': 'application/json', ...(load.headers ?? {}) },
      body: load.body,
      ...(load.setupRequest ? { setupRequest: load.setupRequest as never } : {}),
    }],
  })
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => { latencies.push(responseTime) })
  const result = await instance
  latencies.sort((a, b) => a - b)
  const pct = (p: number) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] * 100) / 100 : 0)
  const out: LoadResult = {
    name: load.name,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    throughput: Math.round(result.requests.total / Math.max(1, (result.duration as number))),
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    connections: load.connections ?? 10,
    seconds: result.duration as number,
    target: load.target,
  }
  if (load.afterLoad) out.after = await load.afterLoad(out)
  return out
}

/** Logs in through the API and returns the cookie + CSRF headers for later loads. */
export async function sessionHeaders(base: string, email: string, password: string): Promise<Record<string, string>> {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
  if (r.status !== 200) throw new Error(`bench login failed: ${r.status} ${await r.text()}`)
  const body = await r.json() as { csrfToken: string }
  return { cookie: r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; '), 'x-csrf-token': body.csrfToken }
}
