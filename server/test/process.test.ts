import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { createPostgresDatabase } from './database'
import { processCount, serverNodeArgs } from '../src/processes'
import { freePort, repoRoot, startChildServer, waitReady } from './child-server'

const startServer = (env: Record<string, string>) => startChildServer({ SMTP_PORT: '0', ...env })

/** Where a child server keeps its data: a PGlite directory, or a fresh PostgreSQL database. */
async function storage(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-proc-'))
  if (process.env.TEST_DATABASE_URL) {
    const db = await createPostgresDatabase(process.env.TEST_DATABASE_URL)
    return { env: { HELPDESK_DATA_DIR: dir, DATABASE_URL: db.url }, cleanup: async () => { await db.drop(); fs.rmSync(dir, { recursive: true, force: true }) } }
  }
  return { env: { HELPDESK_DATA_DIR: dir }, cleanup: async () => { fs.rmSync(dir, { recursive: true, force: true }) } }
}

describe('the server process', () => {
  it('exits with a clear message and code 2 when the database is unreachable', async () => {
    const s = startServer({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nada', PORT: String(await freePort()) })
    const code = await s.exited
    assert.equal(code, 2)
    assert.match(s.output(), /no se pudo abrir la base de datos/)
    assert.doesNotMatch(s.output(), /\n\s+at /, 'no stack trace')
  })

  it('loses nothing it acknowledged when killed with SIGKILL during writes', async () => {
    const st = await storage()
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const env = { ...st.env, PORT: String(port), HOST: '127.0.0.1', HELPDESK_ADMIN_EMAIL: 'admin@example.test', HELPDESK_ADMIN_PASSWORD: 'contraseña-admin-1' }
    try {
      let s = startServer(env)
      await waitReady(base)
      const acknowledged: string[] = []
      let stop = false
      const writers = Array.from({ length: 4 }, async () => {
        while (!stop) {
          try {
            const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.test', password: 'contraseña-admin-1' }) })
            if (r.status === 200) acknowledged.push(r.headers.getSetCookie()[0].split(';')[0])
          } catch { return }
        }
      })
      // Kill in the middle of the stream of writes: once a few were acknowledged (however busy the machine is).
      const since = Date.now()
      while (acknowledged.length < 5 && Date.now() - since < 60_000) await new Promise((r) => setTimeout(r, 50))
      s.child.kill('SIGKILL')
      stop = true
      await Promise.all(writers)
      await s.exited
      assert.ok(acknowledged.length > 0, 'some writes were acknowledged before the kill')
      s = startServer(env)
      await waitReady(base)
      for (const cookie of acknowledged) {
        const me = await fetch(`${base}/api/v1/me`, { headers: { cookie } })
        assert.equal(me.status, 200, 'an acknowledged session survived the crash')
      }
      s.child.kill('SIGTERM')
      await s.exited
    } finally {
      await st.cleanup()
    }
  })

  it('is started by npm start with the node flags the bench and the tests use', () => {
    const start = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).scripts.start as string
    assert.equal(start, ['node', ...serverNodeArgs()].join(' '))
  })

  it('reads HELPDESK_PROCESSES: a number, auto (one per core), else 1', () => {
    assert.equal(processCount(undefined), 1)
    assert.equal(processCount('3'), 3)
    assert.equal(processCount('auto'), os.availableParallelism())
    for (const bad of ['0', '-2', '1.5', 'muchos', '']) assert.equal(processCount(bad), 1, bad)
  })

  it('refuses several processes on the embedded database, with a clear message and code 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-proc-'))
    try {
      const s = startServer({ HELPDESK_DATA_DIR: dir, DATABASE_URL: '', HELPDESK_PROCESSES: '2', PORT: String(await freePort()) })
      assert.equal(await s.exited, 2)
      assert.match(s.output(), /HELPDESK_PROCESSES > 1 necesita PostgreSQL/)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('runs HELPDESK_PROCESSES copies on one port: first admin once, a killed copy replaced, SIGTERM stops all', { skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL' }, async () => {
    const st = await storage()
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const s = startServer({ ...st.env, PORT: String(port), HOST: '127.0.0.1', HELPDESK_PROCESSES: '2', HELPDESK_ADMIN_EMAIL: 'admin@example.test', HELPDESK_ADMIN_PASSWORD: 'contraseña-admin-1' })
    const copies = () => execFileSync('ps', ['-o', 'pid=', '--ppid', String(s.child.pid)]).toString().split('\n').map((l) => Number(l.trim())).filter((n) => n > 0)
    const until = async (what: string, ok: () => boolean) => {
      const since = Date.now()
      while (!ok()) {
        if (Date.now() - since > 60_000) throw new Error(`${what}:\n${s.output()}`)
        await new Promise((r) => setTimeout(r, 200))
      }
    }
    try {
      await waitReady(base, { output: s.output })
      await until('two copies', () => copies().length === 2)
      const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.test', password: 'contraseña-admin-1' }) })
      assert.equal(login.status, 200)
      const cookie = login.headers.getSetCookie()[0].split(';')[0]
      // Connections go round-robin to both copies; the session is in the database, so every one answers.
      for (let i = 0; i < 6; i++) assert.equal((await fetch(`${base}/api/v1/me`, { headers: { cookie, connection: 'close' } })).status, 200)
      const client = new pg.Client({ connectionString: st.env.DATABASE_URL })
      await client.connect()
      const admins = (await client.query(`select count(*)::int as n from users where role = 'admin'`)).rows[0] as { n: number }
      await client.end()
      assert.equal(admins.n, 1, 'the first administrator is created once')

      const [victim] = copies()
      process.kill(victim, 'SIGKILL')
      await until('a copy replacing the killed one', () => { const now = copies(); return now.length === 2 && !now.includes(victim) })
      await waitReady(base, { output: s.output })
      s.child.kill('SIGTERM')
      assert.equal(await s.exited, 0)
    } finally {
      if (s.child.exitCode === null) s.child.kill('SIGKILL')
      await st.cleanup()
    }
  })

  it('lets only one of two instances starting together run the migrations', { skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL' }, async () => {
    const db = await createPostgresDatabase(process.env.TEST_DATABASE_URL!)
    try {
      const run = () => new Promise<number | null>((resolve) => {
        const c = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/migrate.ts'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: db.url }, stdio: 'ignore' })
        c.on('exit', resolve)
      })
      const codes = await Promise.all([run(), run()])
      assert.deepEqual(codes, [0, 0])
      const client = new pg.Client({ connectionString: db.url })
      await client.connect()
      const rows = (await client.query('select name, count(*)::int as n from kysely_migration group by name')).rows as Array<{ n: number }>
      await client.end()
      assert.ok(rows.length > 0)
      assert.ok(rows.every((r) => r.n === 1))
    } finally {
      await db.drop()
    }
  })
})
