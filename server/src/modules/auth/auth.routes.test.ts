import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, createTestEnv, createUser, loginAs, type TestEnv } from '../../../test/harness'
import { linkToken, mailsTo } from '../accounts/accounts.test-helpers'

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

  describe('password links', () => {
    let ipSeq = 0
    /** Each request from its own client address, so only the per-address limits are in play. */
    const requestReset = (email: string) => anonymous(env.app).post('/api/v1/auth/password-reset', { email }, { 'x-forwarded-for': `10.1.0.${++ipSeq}` })
    const setPassword = (token: string, password: string, headers: Record<string, string> = {}) =>
      anonymous(env.app).post('/api/v1/auth/set-password', { token, password }, headers)

    it('spends every other unused reset and invitation link of the user once one of them is used', async () => {
      const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
      const u = await createUser(env.ctx, { role: 'customer' })
      assert.equal((await admin.post(`/api/v1/users/${u.id}/invite`)).statusCode, 202)
      for (let i = 0; i < 3; i++) assert.equal((await requestReset(u.email)).statusCode, 202)
      await env.drainJobs()
      const mails = mailsTo(env, u.email)
      assert.equal(mails.length, 4)
      const invitation = linkToken(mails.find((m) => /invitaron/.test(m))!)
      const [first, ...otherResets] = mails.filter((m) => /Restablezca/.test(m)).map(linkToken)
      assert.equal((await setPassword(first, 'nueva-contraseña-1')).statusCode, 200)
      for (const token of [...otherResets, invitation]) {
        const res = await setPassword(token, 'nueva-contraseña-2')
        assert.equal(res.statusCode, 400, res.body)
        assert.equal(res.json().error.code, 'invalid_token')
        assert.equal(res.json().error.message, 'El enlace no es válido o ya expiró.')
      }
      const en = await setPassword(invitation, 'nueva-contraseña-2', { 'accept-language': 'en' })
      assert.equal(en.json().error.message, 'The link is not valid or has expired.')
      await loginAs(env.app, { email: u.email, password: 'nueva-contraseña-1' })
      const audit = (await sql<{ details: { otherLinksSpent?: number } }>`
        select details from audit_log where actor_id = ${u.id} and action = 'auth.password_reset'`.execute(env.ctx.db)).rows
      assert.deepEqual(audit.map((r) => r.details.otherLinksSpent), [3])
    })

    it('spends unused links when the user changes the password', async () => {
      const u = await createUser(env.ctx)
      assert.equal((await requestReset(u.email)).statusCode, 202)
      await env.drainJobs()
      const [token] = mailsTo(env, u.email).map(linkToken)
      const client = await loginAs(env.app, u)
      assert.equal((await client.post('/api/v1/auth/password', { currentPassword: u.password, newPassword: 'cambiada-por-mí-1' })).statusCode, 200)
      const res = await setPassword(token, 'cambiada-por-otro-2')
      assert.equal(res.statusCode, 400, res.body)
      await loginAs(env.app, { email: u.email, password: 'cambiada-por-mí-1' })
    })

    it('sets the password once when two links of one user are used at the same time', async () => {
      const u = await createUser(env.ctx)
      for (let i = 0; i < 2; i++) await requestReset(u.email)
      await env.drainJobs()
      const tokens = mailsTo(env, u.email).map(linkToken)
      assert.equal(tokens.length, 2)
      const answers = await Promise.all(tokens.map((token, i) => setPassword(token, `simultánea-${i}-contraseña`)))
      assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 400])
      const winner = answers.findIndex((r) => r.statusCode === 200)
      await loginAs(env.app, { email: u.email, password: `simultánea-${winner}-contraseña` })
    })
  })

  describe('password reset throttling', () => {
    it('answers 202 to every request for one address but mails it at most 3 links an hour', async () => {
      const u = await createUser(env.ctx)
      // Concurrent, each from its own client address: the count lives in the database.
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) =>
        anonymous(env.app).post('/api/v1/auth/password-reset', { email: i % 2 ? u.email.toUpperCase() : u.email }, { 'x-forwarded-for': `10.2.0.${i}` })))
      assert.deepEqual(answers.map((r) => r.statusCode), Array(8).fill(202))
      assert.deepEqual(answers.map((r) => r.body), Array(8).fill(answers[0].body))
      await env.drainJobs()
      assert.equal(mailsTo(env, u.email).length, 3)
      const held = await sql<{ n: number }>`select count(*)::int as n from audit_log where actor_id = ${u.id} and action = 'auth.password_reset_throttled'`.execute(env.ctx.db)
      assert.equal(held.rows[0].n, 5)
      env.clock.advance(61 * 60_000)
      assert.equal((await anonymous(env.app).post('/api/v1/auth/password-reset', { email: u.email }, { 'x-forwarded-for': '10.2.1.1' })).statusCode, 202)
      await env.drainJobs()
      assert.equal(mailsTo(env, u.email).length, 4)
    })

    it('answers 429 in the caller language after 10 requests an hour from one client address', async () => {
      const u = await createUser(env.ctx)
      const from = (ip: string, email: string, headers: Record<string, string> = {}) =>
        anonymous(env.app).post('/api/v1/auth/password-reset', { email }, { 'x-forwarded-for': ip, ...headers })
      for (let i = 0; i < 10; i++) assert.equal((await from('10.3.0.1', `nadie${i}@example.test`)).statusCode, 202)
      const es = await from('10.3.0.1', u.email)
      assert.equal(es.statusCode, 429)
      assert.equal(es.json().error.code, 'rate_limited')
      assert.equal(es.json().error.message, 'Demasiadas solicitudes para restablecer contraseñas desde su red. Intente de nuevo en 60 minutos.')
      assert.ok(Number(es.headers['retry-after']) > 3500)
      const en = await from('10.3.0.1', u.email, { 'accept-language': 'en' })
      assert.equal(en.json().error.message, 'Too many password reset requests from your network. Try again in 60 minutes.')
      await env.drainJobs()
      assert.equal(mailsTo(env, u.email).length, 0)
      assert.equal((await from('10.3.0.2', u.email)).statusCode, 202, 'another address is not held back')
      env.clock.advance(61 * 60_000)
      assert.equal((await from('10.3.0.1', u.email)).statusCode, 202)
      await env.drainJobs()
      assert.equal(mailsTo(env, u.email).length, 2)
    })
  })

  it('records logins and failures in the audit log', async () => {
    const rows = await sql<{ action: string }>`select action from audit_log`.execute(env.ctx.db)
    const actions = new Set(rows.rows.map((r) => r.action))
    assert.ok(actions.has('auth.login'))
    assert.ok(actions.has('auth.login_failed'))
    await assert.rejects(sql`update audit_log set action = 'x'`.execute(env.ctx.db))
  })
})
