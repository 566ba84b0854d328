import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, clientFor, createOrganization, createTeam, createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { assertBadInput, assertGuarded, auditEntries, linkToken, mailsTo } from '../accounts.test-helpers'

describe('users API', () => {
  let env: TestEnv
  let admin: Client
  let adminId: string
  let adminUser: Awaited<ReturnType<typeof createUser>>
  let agent: Client
  before(async () => {
    env = await createTestEnv()
    adminUser = await createUser(env.ctx, { role: 'admin' })
    adminId = adminUser.id
    admin = await loginAs(env.app, adminUser)
    agent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
  })
  after(async () => { await env.close() })

  describe('POST /api/v1/users', () => {
    it('is for admins only', async () => {
      await assertGuarded(env, agent, 'POST', '/api/v1/users', { email: 'x@ejemplo.mx', name: 'X', role: 'agent', invite: true })
    })

    it('creates a user with an initial password who can then sign in, and audits it', async () => {
      const teamId = await createTeam(env.ctx)
      const res = await admin.post('/api/v1/users', { email: 'Laura.Mendez@Ejemplo.mx', name: 'Laura Méndez', role: 'agent', password: 'contraseña-inicial-1', teamIds: [teamId], phone: '+52 55 1234 5678' })
      assert.equal(res.statusCode, 201, res.body)
      const user = res.json()
      assert.equal(user.email, 'laura.mendez@ejemplo.mx')
      assert.deepEqual(user.teamIds, [teamId])
      assert.equal(user.hasPassword, true)
      await loginAs(env.app, { email: 'laura.mendez@ejemplo.mx', password: 'contraseña-inicial-1' })
      const audit = await auditEntries(env, user.id)
      assert.equal(audit[0].action, 'user.created')
      assert.equal(audit[0].actor_id, adminId)
      assert.equal(audit[0].details.role, 'agent')
    })

    it('invites by email with a single-use link that sets the password', async () => {
      const orgId = await createOrganization(env.ctx)
      const res = await admin.post('/api/v1/users', { email: 'cliente.invitado@ejemplo.mx', name: 'Cliente Invitado', role: 'customer', invite: true, organizationId: orgId, locale: 'en' })
      assert.equal(res.statusCode, 201, res.body)
      assert.equal(res.json().hasPassword, false)
      await env.drainJobs()
      const mails = mailsTo(env, 'cliente.invitado@ejemplo.mx')
      assert.equal(mails.length, 1)
      assert.match(mails[0], /You were invited to Atiende/)
      const set = await anonymous(env.app).post('/api/v1/auth/set-password', { token: linkToken(mails[0]), password: 'mi-contraseña-nueva' })
      assert.equal(set.statusCode, 200, set.body)
      await loginAs(env.app, { email: 'cliente.invitado@ejemplo.mx', password: 'mi-contraseña-nueva' })
      const actions = (await auditEntries(env, res.json().id)).map((e) => e.action)
      assert.deepEqual(actions.slice(0, 2), ['user.created', 'user.invited'])
    })

    it('rejects bad input in Spanish and English', async () => {
      await assertBadInput(admin, 'POST', '/api/v1/users', { email: 'a@ejemplo.mx', name: 'A', role: 'agent' },
        /contraseña inicial o "invite": true/, /initial password or "invite": true/)
      await assertBadInput(admin, 'POST', '/api/v1/users', { email: 'a@ejemplo.mx', name: 'A', role: 'jefe', invite: true },
        /«role» debe ser uno de|role/, /"role" must be/)
      await assertBadInput(admin, 'POST', '/api/v1/users', { email: 'a@ejemplo.mx', name: 'A', role: 'agent', password: 'corta' },
        /al menos 10 caracteres/, /at least 10 characters/)
      await assertBadInput(admin, 'POST', '/api/v1/users', { email: 'a@ejemplo.mx', name: 'A', role: 'customer', invite: true, teamIds: [await createTeam(env.ctx)] },
        /pertenecen a equipos/, /belong to teams/)
      await assertBadInput(admin, 'POST', '/api/v1/users', { email: 'a@ejemplo.mx', name: 'A', role: 'agent', invite: true, timezone: 'Marte/Olympus' },
        /Zona horaria desconocida/, /Unknown time zone/)
    })

    it('answers 409 for an email already in use', async () => {
      const existing = await createUser(env.ctx, { role: 'customer' })
      const res = await admin.post('/api/v1/users', { email: existing.email.toUpperCase(), name: 'Otro', role: 'agent', invite: true })
      assert.equal(res.statusCode, 409)
      assert.equal(res.json().error.code, 'email_taken')
    })
  })

  describe('GET /api/v1/users', () => {
    it('is for staff', async () => {
      const customer = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
      await assertGuarded(env, customer, 'GET', '/api/v1/users')
    })

    it('filters by role, text, team, organization and active, and pages with a cursor', async () => {
      const teamId = await createTeam(env.ctx)
      const orgId = await createOrganization(env.ctx)
      for (const name of ['Zacarías Núñez', 'Zoe Pérez', 'Zulema Ríos']) await createUser(env.ctx, { role: 'agent', name, teamIds: [teamId] })
      await createUser(env.ctx, { role: 'customer', name: 'Zenaida Cliente', organizationId: orgId })
      const byTeam = (await agent.get(`/api/v1/users?team=${teamId}&limit=2`)).json()
      assert.deepEqual(byTeam.items.map((u: { name: string }) => u.name), ['Zacarías Núñez', 'Zoe Pérez'])
      assert.ok(byTeam.nextCursor)
      const next = (await agent.get(`/api/v1/users?team=${teamId}&limit=2&cursor=${byTeam.nextCursor}`)).json()
      assert.deepEqual(next.items.map((u: { name: string }) => u.name), ['Zulema Ríos'])
      assert.equal(next.nextCursor, null)
      const q = (await agent.get('/api/v1/users?q=nunez')).json()
      assert.deepEqual(q.items.map((u: { name: string }) => u.name), ['Zacarías Núñez'])
      const customers = (await agent.get(`/api/v1/users?role=customer&organization=${orgId}`)).json()
      assert.deepEqual(customers.items.map((u: { name: string }) => u.name), ['Zenaida Cliente'])
      const inactive = (await agent.get('/api/v1/users?active=false&q=Zoe')).json()
      assert.equal(inactive.items.length, 0)
    })

    it('rejects a tampered cursor and a bad filter in both languages', async () => {
      await assertBadInput(agent, 'GET', '/api/v1/users?cursor=nope', undefined, /cursor de paginación/, /pagination cursor/)
      await assertBadInput(agent, 'GET', '/api/v1/users?role=jefe', undefined, /role/, /role/)
    })
  })

  describe('GET /api/v1/users/:id', () => {
    it('answers staff, 404 for an unknown id, 400 for a malformed one', async () => {
      const customer = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
      await assertGuarded(env, customer, 'GET', `/api/v1/users/${adminId}`)
      const ok = await agent.get(`/api/v1/users/${adminId}`)
      assert.equal(ok.statusCode, 200)
      assert.equal(ok.json().role, 'admin')
      assert.equal((await agent.get('/api/v1/users/00000000-0000-4000-8000-000000000000')).statusCode, 404)
      await assertBadInput(agent, 'GET', '/api/v1/users/123', undefined, /formato uuid/, /uuid format/)
    })
  })

  describe('PATCH /api/v1/users/:id', () => {
    it('is for admins only', async () => {
      await assertGuarded(env, agent, 'PATCH', `/api/v1/users/${adminId}`, { name: 'X' })
    })

    it('changes the role (audited), dropping teams when someone becomes a customer', async () => {
      const teamId = await createTeam(env.ctx)
      const u = await createUser(env.ctx, { role: 'agent', teamIds: [teamId] })
      const orgId = await createOrganization(env.ctx)
      const res = await admin.patch(`/api/v1/users/${u.id}`, { role: 'customer', organizationId: orgId })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().role, 'customer')
      assert.deepEqual(res.json().teamIds, [])
      const audit = await auditEntries(env, u.id)
      const change = audit.find((e) => e.action === 'user.role_changed')!
      assert.deepEqual(change.details, { from: 'agent', to: 'customer' })
      assert.ok(audit.some((e) => e.action === 'user.teams_changed'))
    })

    it('deactivation ends sessions, revokes API tokens and is audited', async () => {
      const u = await createUser(env.ctx, { role: 'agent' })
      const session = await loginAs(env.app, u)
      const token = (await session.post('/api/v1/api-tokens', { name: 'integración', scopes: ['users:read'] })).json().token as string
      const bearer = clientFor(env.app, { bearer: token })
      assert.equal((await bearer.get('/api/v1/users')).statusCode, 200)
      const res = await admin.patch(`/api/v1/users/${u.id}`, { active: false })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().active, false)
      assert.equal((await session.get('/api/v1/me')).statusCode, 401)
      assert.equal((await bearer.get('/api/v1/users')).statusCode, 401)
      const revoked = await sql<{ n: number }>`select count(*)::int as n from api_tokens where user_id = ${u.id} and revoked_at is not null`.execute(env.ctx.db)
      assert.equal(revoked.rows[0].n, 1)
      const entry = (await auditEntries(env, u.id)).find((e) => e.action === 'user.deactivated')!
      assert.deepEqual(entry.details, { sessionsEnded: 1, tokensRevoked: 1 })
      await assert.rejects(loginAs(env.app, u))
      const back = await admin.patch(`/api/v1/users/${u.id}`, { active: true })
      assert.equal(back.json().active, true)
      assert.ok((await auditEntries(env, u.id)).some((e) => e.action === 'user.reactivated'))
    })

    it('never demotes or deactivates the last active admin, even two at once', async () => {
      const other = await createUser(env.ctx, { role: 'admin' })
      // Deactivate every other admin so that two remain: adminId and other.
      await sql`update users set active = false where role = 'admin' and id not in (${adminId}, ${other.id})`.execute(env.ctx.db)
      const [a, b] = await Promise.all([
        admin.patch(`/api/v1/users/${other.id}`, { role: 'agent' }),
        admin.patch(`/api/v1/users/${adminId}`, { active: false }),
      ])
      assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 409])
      const remaining = await sql<{ n: number }>`select count(*)::int as n from users where role = 'admin' and active`.execute(env.ctx.db)
      assert.equal(remaining.rows[0].n, 1)
      const last = b.statusCode === 409 ? adminId : other.id
      const client = last === adminId ? admin : await loginAs(env.app, other)
      const es = await client.patch(`/api/v1/users/${last}`, { role: 'supervisor' })
      assert.equal(es.statusCode, 409)
      assert.equal(es.json().error.message, 'No se puede quitar el último administrador activo.')
      const en = await client.request({ method: 'PATCH', url: `/api/v1/users/${last}`, payload: { active: false }, headers: { 'accept-language': 'en' } })
      assert.equal(en.json().error.message, 'The last active administrator cannot be removed.')
      if (last !== adminId) {
        // The admin deactivated themself, which ended their sessions: restore them and sign in again.
        await sql`update users set role = 'admin', active = true where id = ${adminId}`.execute(env.ctx.db)
        admin = await loginAs(env.app, adminUser)
      }
    })

    it('rejects unknown fields and bad references in both languages, and 404s an unknown user', async () => {
      const u = await createUser(env.ctx, { role: 'customer' })
      await assertBadInput(admin, 'PATCH', `/api/v1/users/${u.id}`, { password: 'x' }, /campo desconocido «password»/, /unknown field "password"/)
      await assertBadInput(admin, 'PATCH', `/api/v1/users/${u.id}`, { organizationId: '00000000-0000-4000-8000-000000000000' }, /organización indicada no existe/, /organization does not exist/)
      const missing = await admin.patch('/api/v1/users/00000000-0000-4000-8000-000000000000', { name: 'X' })
      assert.equal(missing.statusCode, 404)
    })
  })

  describe('POST /api/v1/users/:id/invite', () => {
    it('is for admins only', async () => {
      await assertGuarded(env, agent, 'POST', `/api/v1/users/${adminId}/invite`)
    })

    it('resends the invitation; only the newest link works', async () => {
      const created = (await admin.post('/api/v1/users', { email: 'reenvio@ejemplo.mx', name: 'Reenvío', role: 'agent', invite: true })).json()
      const res = await admin.post(`/api/v1/users/${created.id}/invite`)
      assert.equal(res.statusCode, 202, res.body)
      await env.drainJobs()
      const mails = mailsTo(env, 'reenvio@ejemplo.mx')
      assert.equal(mails.length, 2)
      const old = await anonymous(env.app).post('/api/v1/auth/set-password', { token: linkToken(mails[0]), password: 'contraseña-vieja-1' })
      assert.equal(old.statusCode, 400)
      const fresh = await anonymous(env.app).post('/api/v1/auth/set-password', { token: linkToken(mails[1]), password: 'contraseña-nueva-1' })
      assert.equal(fresh.statusCode, 200)
      const invites = (await auditEntries(env, created.id)).filter((e) => e.action === 'user.invited')
      assert.equal(invites.length, 2)
      assert.equal(invites[1].details.supersededLinks, 1)
    })

    it('refuses a deactivated user (409, translated) and 404s an unknown one', async () => {
      const u = await createUser(env.ctx, { role: 'agent' })
      await admin.patch(`/api/v1/users/${u.id}`, { active: false })
      const res = await admin.request({ method: 'POST', url: `/api/v1/users/${u.id}/invite`, headers: { 'accept-language': 'en' } })
      assert.equal(res.statusCode, 409)
      assert.match(res.json().error.message, /deactivated/)
      assert.equal((await admin.post('/api/v1/users/00000000-0000-4000-8000-000000000000/invite')).statusCode, 404)
      await assertBadInput(admin, 'POST', '/api/v1/users/fulano/invite', {}, /«id» debe tener formato uuid/, /"id" must have the uuid format/)
    })
  })
})
