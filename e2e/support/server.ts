import { createHash } from 'node:crypto'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { serverNodeArgs } from '../../server/src/processes'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface TestServer {
  url: string
  dataDir: string
  /** The built-in SMTP receiver's port. */
  smtpPort: number
  adminEmail: string
  adminPassword: string
  logs: () => string
  stop: () => Promise<unknown>
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/** Builds web/dist when it is missing or stale (the same script `npm start` runs). */
export function ensureWebBuild() {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/ensure-web-build.mjs')], { cwd: repoRoot, stdio: 'inherit' })
  if (r.status !== 0) throw new Error('web build failed')
}

const ADMIN_EMAIL = 'admin@atiende.test'
const ADMIN_PASSWORD = 'Admin-e2e-2026!'

/** Names the migrated database a data dir template holds: the migrations and the first admin. */
function templateKey(): string {
  const h = createHash('sha1').update(`${ADMIN_EMAIL}\n${ADMIN_PASSWORD}\n`)
  const dir = path.join(repoRoot, 'server/migrations')
  for (const f of fs.readdirSync(dir).sort()) h.update(`${f}:${fs.readFileSync(path.join(dir, f)).length}:${createHash('sha1').update(fs.readFileSync(path.join(dir, f))).digest('hex')}\n`)
  return h.digest('hex').slice(0, 16)
}

/**
 * A fresh data dir: a copy of a template that a first server start migrated and gave its first
 * admin (then stopped cleanly), so each test file skips initdb and the migrations (~20 s on a
 * busy machine). The template is rebuilt when the migrations change. E2E_FRESH_DB=1 skips it.
 */
async function freshDataDir(env: Record<string, string>): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-e2e-'))
  if (process.env.E2E_FRESH_DB === '1' || env.DATABASE_URL) return dataDir
  const template = path.join(os.tmpdir(), `atiende-e2e-template-${templateKey()}`)
  if (!fs.existsSync(path.join(template, '.ready'))) {
    const building = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-e2e-building-'))
    const srv = await launch(building, env)
    if (!(await srv.stop(false))) throw new Error('the template server did not stop cleanly')
    fs.writeFileSync(path.join(building, '.ready'), new Date().toISOString())
    try { fs.renameSync(building, template) } catch { fs.rmSync(building, { recursive: true, force: true }) }
    // Templates of earlier migrations are of no more use.
    for (const name of fs.readdirSync(os.tmpdir())) {
      const old = path.join(os.tmpdir(), name)
      if (name.startsWith('atiende-e2e-template-') && old !== template) fs.rmSync(old, { recursive: true, force: true })
    }
  }
  fs.cpSync(template, dataDir, { recursive: true })
  fs.rmSync(path.join(dataDir, '.ready'), { force: true })
  return dataDir
}

/**
 * Starts the real server (server/src/main.ts) on a fresh data dir and a free port, with a first
 * admin from HELPDESK_ADMIN_EMAIL/PASSWORD, and waits until /readyz answers.
 */
export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  ensureWebBuild()
  return launch(await freshDataDir(env), env)
}

async function launch(dataDir: string, env: Record<string, string>): Promise<TestServer & { stop: (removeData?: boolean) => Promise<boolean> }> {
  const port = await freePort()
  const adminEmail = ADMIN_EMAIL
  const adminPassword = ADMIN_PASSWORD
  const smtpPort = await freePort()
  let output = ''
  const child: ChildProcess = spawn(process.execPath, serverNodeArgs(), {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      HELPDESK_DATA_DIR: dataDir,
      HELPDESK_ADMIN_EMAIL: adminEmail,
      HELPDESK_ADMIN_PASSWORD: adminPassword,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      NODE_ENV: 'production',
      SMTP_PORT: String(smtpPort),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (d: Buffer) => { output += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { output += d.toString() })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`)
    try {
      const res = await fetch(`${url}/readyz`)
      if (res.ok) break
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`server did not become ready:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  return {
    url, dataDir, smtpPort, adminEmail, adminPassword,
    logs: () => output,
    /** Stops the server (SIGTERM, SIGKILL after 8 s); true when it exited by itself. */
    stop: async (removeData = true) => {
      let clean = true
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))])
        if (child.exitCode === null && child.signalCode === null) { clean = false; child.kill('SIGKILL') }
      }
      if (removeData) fs.rmSync(dataDir, { recursive: true, force: true })
      return clean
    },
  }
}
