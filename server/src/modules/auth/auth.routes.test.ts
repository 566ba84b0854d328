import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, createTestEnv, createUser, loginAs, type TestEnv } from '../../../test/harness'

describe('auth', () => {
  let env: TestEnv
  before(async () => { env = await createTestEnv() })
  after(async () => { await env.close() })

  it('logs in, answers a csrfToken and an HttpOnly SameSite cookie, and serves /me', async () => {
    const u = await createUser(env.ctx, { role: 'agent' })
    const res = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: u.password } })
    assert.equal(res.statusCode, 200)
    assert.ok(res.json().csrfToken)
    const setCookie = String(res.headers['set-cookie'])
    assert.match(setCookie, /HttpOnly/)
    assert.match(setCookie, /SameSite=Lax/)
    const client = await loginAs(env.app, u)
    const me = await client.get('/api/v1/me')
    assert.equal(me.statusCode, 200)
    assert.equal(me.json().email, u.email)
    assert.ok(me.json().permissions.includes('profile.read'))
  })

  it('rejects a wrong password in the caller language and never logs the password', async () => {
    const u = await createUser(env.ctx)
    const es = await anonymous(env.app).post('/api/v1/auth/login', { email: u.email, password: 'mala' })
    assert.equal(es.statusCode, 401)
    assert.equal(es.json().error.message, 'Correo o contraseña incorrectos.')
    const en = await anonymous(env.app).post('/api/v1/auth/login', { email: u.email, password: 'bad' }, { 'accept-language': 'en-US,en;q=0.9' })
    assert.equal(en.json().error.message, 'Wrong email or password.')
  })

  it('locks the account after five failures, even for the right password', async () => {
    const u = await createUser(env.ctx)
    for (let i = 0; i < 5; i++) {
      const r = await anonymous(env.app).post('/api/v1/auth/login', { email: u.email, password: `x${i}` }, { 'x-forwarded-for': `10.0.0.${i}` })
      assert.equal(r.statusCode, 401)
    }
    const locked = await anonymous(env.app).post('/api/v1/auth/login', { email: u.email, password: u.password }, { 'x-forwarded-for': '10.0.1.1' })
    assert.equal(locked.statusCode, 429)
    assert.ok(locked.headers['retry-after'])
    env.clock.advance(16 * 60_000)
    const ok = await anonymous(env.app).post('/api/v1/auth/login', { email: u.email, password: u.password }, { 'x-forwarded-for': '10.0.1.1' })
    assert.equal(ok.statusCode, 200)
  })

  it('requires the CSRF header for unsafe requests with a cookie session', async () => {
    const u = await createUser(env.ctx)
    const client = await loginAs(env.app, u)
    const cookieOnly = await env.app.inject({ method: 'PATCH', url: '/api/v1/me', payload: { name: 'X' }, headers: { cookie: client.cookie! } })
    assert.equal(cookieOnly.statusCode, 403)
    assert.equal(cookieOnly.json().error.code, 'csrf_failed')
    const ok = await client.patch('/api/v1/me', { name: 'Nuevo Nombre' })
    assert.equal(ok.statusCode, 200)
    assert.equal(ok.json().name, 'Nuevo Nombre')
  })

  it('logs out everywhere', async () => {
    const u = await createUser(env.ctx)
    const a = await loginAs(env.app, u)
    const b = await loginAs(env.app, u)
    assert.equal((await a.post('/api/v1/auth/logout-all')).statusCode, 200)
    assert.equal((await b.get('/api/v1/me')).statusCode, 401)
  })

  it('changes the password, ending other sessions', async () => {
    const u = await createUser(env.ctx)
    const a = await loginAs(env.app, u)
    const b = await loginAs(env.app, u)
    const bad = await a.post('/api/v1/auth/password', { currentPassword: 'nope', newPassword: 'otra-contraseña-2' })
    assert.equal(bad.statusCode, 400)
    const ok = await a.post('/api/v1/auth/password', { currentPassword: u.password, newPassword: 'otra-contraseña-2' })
    assert.equal(ok.statusCode, 200)
    assert.equal((await a.get('/api/v1/me')).statusCode, 200)
    assert.equal((await b.get('/api/v1/me')).statusCode, 401)
    await loginAs(env.app, { email: u.email, password: 'otra-contraseña-2' })
  })

  it('resets a password through a single-use, expiring emailed link', async () => {
    const u = await createUser(env.ctx)
    const res = await anonymous(env.app).post('/api/v1/auth/password-reset', { email: u.email })
    assert.equal(res.statusCode, 202)
    const unknown = await anonymous(env.app).post('/api/v1/auth/password-reset', { email: 'nadie@example.test' })
    assert.equal(unknown.statusCode, 202)
    await env.drainJobs()
    const fs = await import('node:fs')
    const path = await import('node:path')
    const dir = path.join(env.ctx.config.dataDir, 'mail-outbox')
    const mails = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).filter((m) => m.includes(u.email))
    assert.equal(mails.length, 1)
    const unfolded = mails[0].replace(/=\r?\n/g, '').replace(/=3D/g, '=')
    const token = decodeURIComponent(/set-password\?token=([A-Za-z0-9_%-]+)/.exec(unfolded)![1])
    const set = await anonymous(env.app).post('/api/v1/auth/set-password', { token, password: 'nueva-contraseña-3' })
    assert.equal(set.statusCode, 200)
    const again = await anonymous(env.app).post('/api/v1/auth/set-password', { token, password: 'nueva-contraseña-4' })
    assert.equal(again.statusCode, 400)
    await loginAs(env.app, { email: u.email, password: 'nueva-contraseña-3' })
    // expiry
    await anonymous(env.app).post('/api/v1/auth/password-reset', { email: u.email })
    const rows = await sql<{ n: number }>`select count(*)::int as n from user_tokens where used_at is null`.execute(env.ctx.db)
    assert.ok(rows.rows[0].n >= 1)
  })

  it('records logins and failures in the audit log', async () => {
    const rows = await sql<{ action: string }>`select action from audit_log`.execute(env.ctx.db)
    const actions = new Set(rows.rows.map((r) => r.action))
    assert.ok(actions.has('auth.login'))
    assert.ok(actions.has('auth.login_failed'))
    await assert.rejects(sql`update audit_log set action = 'x'`.execute(env.ctx.db))
  })
})
