import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import Fastify from 'fastify'
import { sql } from 'kysely'
import { anonymous, createTestEnv, createUser, loginAs, type TestEnv } from '../../../test/harness'
import { installErrorHandling } from './error-handler'

describe('API conventions', () => {
  let env: TestEnv
  before(async () => { env = await createTestEnv() })
  after(async () => { await env.close() })

  it('answers /healthz and /readyz', async () => {
    assert.deepEqual((await anonymous(env.app).get('/healthz')).json(), { status: 'ok' })
    const ready = await anonymous(env.app).get('/readyz')
    assert.equal(ready.statusCode, 200)
    assert.equal(ready.json().status, 'ready')
  })

  it('serves the OpenAPI document and the browsable docs', async () => {
    const doc = await anonymous(env.app).get('/api/v1/openapi.json')
    assert.equal(doc.statusCode, 200)
    assert.equal(doc.json().openapi, '3.0.3')
    assert.ok(doc.json().paths['/api/v1/auth/login'])
    const ui = await anonymous(env.app).get('/api/docs/')
    assert.equal(ui.statusCode, 200)
    assert.match(ui.body, /swagger/i)
  })

  it('rejects malformed JSON with a clear message in Spanish by default', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email": ' })
    assert.equal(res.statusCode, 400)
    assert.equal(res.json().error.code, 'malformed_json')
    assert.equal(res.json().error.message, 'El cuerpo de la solicitud no es JSON válido.')
  })

  it('rejects unknown fields and wrong types, naming the field, in the caller language', async () => {
    const unknown = await anonymous(env.app).post('/api/v1/auth/login', { email: 'a@b.mx', password: 'x', extra: 1 })
    assert.equal(unknown.statusCode, 400)
    assert.equal(unknown.json().error.code, 'validation_failed')
    assert.match(unknown.json().error.message, /campo desconocido «extra»/)
    const wrongType = await anonymous(env.app).post('/api/v1/auth/login', { email: 'a@b.mx', password: 12345 }, { 'accept-language': 'en' })
    assert.equal(wrongType.statusCode, 400)
    assert.match(wrongType.json().error.message, /"password" must be of type string/)
    assert.equal(wrongType.json().error.details[0].field, 'password')
  })

  it('rejects an oversize body with 413', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email: 'a@b.mx', password: 'x'.repeat(2 * 1024 * 1024) }) })
    assert.equal(res.statusCode, 413)
    assert.equal(res.json().error.code, 'body_too_large')
  })

  it('answers unknown routes with a 404 envelope', async () => {
    const res = await anonymous(env.app).get('/api/v1/nada', { 'accept-language': 'en' })
    assert.equal(res.statusCode, 404)
    assert.equal(res.json().error.code, 'route_not_found')
    assert.match(res.json().error.message, /does not exist/)
  })

  it('requires a session for protected routes (401) and a role for admin ones (403)', async () => {
    assert.equal((await anonymous(env.app).get('/api/v1/me')).statusCode, 401)
    const customer = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
    assert.equal((await customer.post('/api/v1/presence', { ticketId: '00000000-0000-4000-8000-000000000000', activity: 'viewing' })).statusCode, 403)
  })

  it('replays a POST with the same Idempotency-Key instead of repeating it', async () => {
    const agent = await loginAs(env.app, await createUser(env.ctx))
    const ticket = (await agent.post('/api/v1/tickets', { subject: 'Para avisar presencia', description: 'x' })).json()
    const body = { ticketId: ticket.id, activity: 'viewing' }
    const a = await agent.post('/api/v1/presence', body, { 'idempotency-key': 'k-1' })
    const b = await agent.post('/api/v1/presence', body, { 'idempotency-key': 'k-1' })
    assert.equal(a.statusCode, 200)
    assert.equal(b.statusCode, 200)
    assert.equal(b.headers['idempotent-replayed'], 'true')
    assert.equal(a.headers['idempotent-replayed'], undefined)
    const long = await agent.post('/api/v1/presence', body, { 'idempotency-key': 'k'.repeat(201) })
    assert.equal(long.statusCode, 400)
    assert.equal(long.json().error.message, 'La cabecera Idempotency-Key debe tener como máximo 200 caracteres.')
    assert.deepEqual(long.json().error.details, [{ field: 'Idempotency-Key', rule: 'maxLength' }])
  })

  it('refuses the NUL character in any string of a body or query, naming the field, and writes nothing', async () => {
    const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    const count = async () => Number((await sql<{ n: string }>`select count(*) as n from tickets`.execute(env.ctx.db)).rows[0].n)
    const before = await count()
    const subject = await admin.post('/api/v1/tickets', { subject: 'Sin\u0000servicio', description: 'x' })
    assert.equal(subject.statusCode, 400)
    assert.equal(subject.json().error.code, 'validation_failed')
    assert.equal(subject.json().error.details[0].field, 'subject')
    assert.match(subject.json().error.message, /«subject» contiene el carácter nulo \(U\+0000\)/)
    const tag = await admin.post('/api/v1/tickets', { subject: 'Sin servicio', tags: ['vip', 'a\u0000'] }, { 'accept-language': 'en' })
    assert.equal(tag.statusCode, 400)
    assert.equal(tag.json().error.details[0].field, 'tags.1')
    assert.match(tag.json().error.message, /"tags\.1" contains the null character/)
    const query = await admin.get('/api/v1/tickets?q=recarga%00saldo')
    assert.equal(query.statusCode, 400)
    assert.equal(query.json().error.details[0].field, 'q')
    assert.equal(await count(), before)
  })

  it('refuses numbers beyond what a bigint column holds, and SLA targets beyond a year, with 400', async () => {
    const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    const byNumber = await admin.get('/api/v1/tickets/by-number/99999999999999999999')
    assert.equal(byNumber.statusCode, 400)
    assert.match(byNumber.json().error.message, /«number» debe ser menor o igual a 9007199254740991/)
    const merge = await admin.post('/api/v1/tickets/00000000-0000-4000-8000-000000000000/merge', { targetNumber: 1e20 })
    assert.equal(merge.statusCode, 400)
    assert.equal(merge.json().error.details[0].field, 'targetNumber')
    assert.equal((await admin.post('/api/v1/admin/jobs/99999999999999999999/retry')).statusCode, 400)
    const simulate = await admin.post('/api/v1/sla/simulate', {
      calendar: { timezone: 'America/Mexico_City', hours: { mon: [['09:00', '17:00']] } },
      targets: { firstResponseMinutes: 60, resolutionMinutes: 1_000_000_000 },
      events: [{ at: '2026-12-07T10:00:00', type: 'created' }],
    })
    assert.equal(simulate.statusCode, 400, simulate.body)
    assert.equal(simulate.json().error.details[0].field, 'targets.resolutionMinutes')
  })

  it('answers a tampered page cursor with 400 on every keyset list', async () => {
    const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url')
    for (const list of ['/api/v1/users', '/api/v1/contacts', '/api/v1/organizations', '/api/v1/email/outbox', '/api/v1/email/inbound', '/api/v1/admin/jobs', '/api/v1/audit-log', '/api/v1/tickets', '/api/v1/tickets?sort=priority']) {
      for (const key of [['notadate', 'x'], [1.5, 'x'], ['2026-12-07T15:17:18Z', 1e308]]) {
        const res = await admin.get(`${list}${list.includes('?') ? '&' : '?'}cursor=${cursor(key)}`)
        assert.equal(res.statusCode, 400, `${list} ${JSON.stringify(key)}: ${res.body}`)
        assert.equal(res.json().error.details[0].field, 'cursor')
      }
    }
  })

  it('answers text the database cannot store with 400 where no schema saw it, and Fastify\'s own 4xx in the caller\'s language', async () => {
    // A bare app with the same error handling and a real statement on the test database.
    const app = Fastify()
    installErrorHandling(app)
    app.get('/nul', async () => (await sql`select ${'a\u0000b'}::text as t`.execute(env.ctx.db)).rows)
    app.post('/echo', async (request) => request.body)
    try {
      const nul = await app.inject({ method: 'GET', url: '/nul' })
      assert.equal(nul.statusCode, 400)
      assert.equal(nul.json().error.message, 'La solicitud contiene el carácter nulo (U+0000), que no se puede guardar.')
      const badLength = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json', 'content-length': '2' }, payload: '{"a":1}' })
      assert.equal(badLength.statusCode, 400)
      assert.equal(badLength.json().error.message, 'La solicitud no es válida.')
      assert.equal(typeof badLength.json().error.details.reason, 'string')
    } finally {
      await app.close()
    }
  })
})
