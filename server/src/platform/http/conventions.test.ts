import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { anonymous, createTestEnv, createUser, loginAs, type TestEnv } from '../../../test/harness'

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
    const body = { ticketId: '00000000-0000-4000-8000-000000000000', activity: 'viewing' }
    const a = await agent.post('/api/v1/presence', body, { 'idempotency-key': 'k-1' })
    const b = await agent.post('/api/v1/presence', body, { 'idempotency-key': 'k-1' })
    assert.equal(a.statusCode, 200)
    assert.equal(b.statusCode, 200)
    assert.equal(b.headers['idempotent-replayed'], 'true')
    assert.equal(a.headers['idempotent-replayed'], undefined)
  })
})
