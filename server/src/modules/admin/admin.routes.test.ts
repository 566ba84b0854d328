import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../test/harness'
import { defineJob, enqueueJob } from '../../platform/jobs/queue'
import { assertBadInput, assertGuarded, auditEntries, mailsTo } from '../accounts/accounts.test-helpers'

let flakyCalls = 0
defineJob('adminTestFlaky', async () => {
  flakyCalls += 1
  if (flakyCalls === 1) throw new Error('proveedor SMTP no responde')
})

describe('administration API', () => {
  let env: TestEnv
  let admin: Client
  let adminId: string
  let supervisor: Client
  before(async () => {
    env = await createTestEnv()
    const a = await createUser(env.ctx, { role: 'admin' })
    adminId = a.id
    admin = await loginAs(env.app, a)
    supervisor = await loginAs(env.app, await createUser(env.ctx, { role: 'supervisor' }))
  })
  after(async () => { await env.close() })

  describe('GET /api/v1/audit-log', () => {
    it('is for admins only', async () => {
      await assertGuarded(env, supervisor, 'GET', '/api/v1/audit-log')
    })

    it('filters by action (exact or prefix), actor, target and date range, newest first, with a cursor', async () => {
      const u = await createUser(env.ctx, { role: 'agent' })
      await anonymous(env.app).post('/api/v1/auth/login', { email: u.email, password: 'incorrecta' })
      await loginAs(env.app, u)
      await admin.patch(`/api/v1/users/${u.id}`, { role: 'supervisor' })
      const failed = (await admin.get('/api/v1/audit-log?action=auth.login_failed')).json()
      assert.ok(failed.items.length >= 1)
      assert.ok(failed.items.every((e: { action: string }) => e.action === 'auth.login_failed'))
      const auth = (await admin.get(`/api/v1/audit-log?action=auth.*&actor=${u.id}`)).json()
      assert.deepEqual(auth.items.map((e: { action: string }) => e.action), ['auth.login', 'auth.login_failed'])
      assert.equal(auth.items[0].actor.email, u.email)
      const byTarget = (await admin.get(`/api/v1/audit-log?target=${u.id}&targetType=user`)).json()
      assert.deepEqual(byTarget.items.map((e: { action: string }) => e.action), ['user.role_changed'])
      assert.deepEqual(byTarget.items[0].details, { from: 'agent', to: 'supervisor' })
      assert.equal(byTarget.items[0].actor.id, adminId)
      const first = (await admin.get('/api/v1/audit-log?limit=2')).json()
      const second = (await admin.get(`/api/v1/audit-log?limit=2&cursor=${first.nextCursor}`)).json()
      assert.ok(second.items[0].id < first.items[1].id)
      const future = new Date(Date.now() + 3600_000).toISOString()
      assert.equal((await admin.get(`/api/v1/audit-log?from=${future}`)).json().items.length, 0)
      assert.ok((await admin.get(`/api/v1/audit-log?to=${future}&action=auth.*`)).json().items.length >= 2)
    })

    it('rejects a reversed range and bad filters in both languages', async () => {
      await assertBadInput(admin, 'GET', '/api/v1/audit-log?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', undefined, /«from» debe ser anterior/, /"from" date must be before/)
      await assertBadInput(admin, 'GET', '/api/v1/audit-log?actor=fulano', undefined, /formato uuid/, /uuid format/)
      await assertBadInput(admin, 'GET', '/api/v1/audit-log?limit=1000', undefined, /menor o igual a 200/, /less than or equal to 200/)
    })
  })

  describe('GET and PATCH /api/v1/settings', () => {
    it('is for admins only', async () => {
      await assertGuarded(env, supervisor, 'GET', '/api/v1/settings')
      await assertGuarded(env, supervisor, 'PATCH', '/api/v1/settings', { 'users.defaultLocale': 'en' })
    })

    it('lists the known keys with their defaults', async () => {
      const items = (await admin.get('/api/v1/settings', { 'accept-language': 'en' })).json().items
      const locale = items.find((i: { key: string }) => i.key === 'users.defaultLocale')
      assert.deepEqual({ ...locale, description: undefined }, { key: 'users.defaultLocale', value: 'es-MX', default: 'es-MX', isDefault: true, description: undefined, updatedAt: null })
      assert.equal(locale.description, 'Language of new users and contacts.')
    })

    it('changes settings that take effect, audits each change, and null restores the default', async () => {
      const res = await admin.patch('/api/v1/settings', { 'mail.from': 'Mesa de Ayuda <soporte@gasolineras.mx>', 'users.defaultLocale': 'en' })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().items.find((i: { key: string }) => i.key === 'users.defaultLocale').isDefault, false)
      const created = (await admin.post('/api/v1/users', { email: 'nuevo.en@ejemplo.mx', name: 'New', role: 'agent', invite: true })).json()
      assert.equal(created.locale, 'en')
      await env.drainJobs()
      assert.match(mailsTo(env, 'nuevo.en@ejemplo.mx')[0], /From: Mesa de Ayuda <soporte@gasolineras\.mx>/)
      const audit = (await auditEntries(env, 'users.defaultLocale')).filter((e) => e.action === 'settings.changed')
      assert.deepEqual(audit[0].details, { from: 'es-MX', to: 'en' })
      await admin.patch('/api/v1/settings', { 'users.defaultLocale': null })
      const after = (await admin.get('/api/v1/settings')).json().items.find((i: { key: string }) => i.key === 'users.defaultLocale')
      assert.equal(after.isDefault, true)
      assert.deepEqual((await auditEntries(env, 'users.defaultLocale')).at(-1)!.details, { from: 'en', to: 'es-MX' })
    })

    it('rejects unknown keys, wrong types and values, in both languages, changing nothing', async () => {
      await assertBadInput(admin, 'PATCH', '/api/v1/settings', { 'tema.color': 'rojo' }, /campo desconocido «tema\.color»/, /unknown field "tema\.color"/)
      await assertBadInput(admin, 'PATCH', '/api/v1/settings', { 'users.defaultLocale': 'fr' }, /users\.defaultLocale/, /users\.defaultLocale/)
      await assertBadInput(admin, 'PATCH', '/api/v1/settings', { 'users.defaultLocale': 'en', 'users.defaultTimezone': 'Luna/Tranquilidad' }, /Zona horaria desconocida/, /Unknown time zone/)
      const row = await sql`select 1 from settings where key = 'users.defaultLocale'`.execute(env.ctx.db)
      assert.equal(row.rows.length, 0)
    })
  })

  describe('GET /api/v1/admin/jobs and POST /api/v1/admin/jobs/:id/retry', () => {
    it('is for admins only', async () => {
      await assertGuarded(env, supervisor, 'GET', '/api/v1/admin/jobs?status=dead')
      await assertGuarded(env, supervisor, 'POST', '/api/v1/admin/jobs/1/retry')
    })

    it('lists a dead job and retries it: back in the queue, runs, audited', async () => {
      const id = (await enqueueJob(env.ctx.db, 'adminTestFlaky', { n: 1 }, { maxAttempts: 1 }))!
      await env.drainJobs()
      const dead = (await admin.get('/api/v1/admin/jobs?status=dead')).json().items
      const job = dead.find((j: { id: number }) => j.id === id)
      assert.equal(job.status, 'dead')
      assert.equal(job.lastError, 'proveedor SMTP no responde')
      assert.equal(job.payload, undefined, 'payloads are not shown')
      const res = await admin.post(`/api/v1/admin/jobs/${id}/retry`)
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().status, 'queued')
      assert.equal(res.json().attempts, 0)
      assert.ok((await admin.get('/api/v1/admin/jobs?status=queued')).json().items.some((j: { id: number }) => j.id === id))
      await env.drainJobs()
      assert.equal(flakyCalls, 2)
      const status = (await sql<{ status: string }>`select status from jobs where id = ${id}`.execute(env.ctx.db)).rows[0].status
      assert.equal(status, 'done')
      const audit = (await auditEntries(env, String(id)))[0]
      assert.equal(audit.action, 'job.retried')
      const again = await admin.request({ method: 'POST', url: `/api/v1/admin/jobs/${id}/retry`, headers: { 'accept-language': 'en' } })
      assert.equal(again.statusCode, 409)
      assert.equal(again.json().error.message, 'Only dead jobs can be retried; this one is "done".')
    })

    it('answers 404 for an unknown job and 400 for bad input in both languages', async () => {
      assert.equal((await admin.post('/api/v1/admin/jobs/987654321/retry')).statusCode, 404)
      await assertBadInput(admin, 'POST', '/api/v1/admin/jobs/abc/retry', {}, /«id» debe ser de tipo integer|id/, /"id" must be of type integer|id/)
      await assertBadInput(admin, 'GET', '/api/v1/admin/jobs?status=perdido', undefined, /status/, /status/)
    })
  })
})
