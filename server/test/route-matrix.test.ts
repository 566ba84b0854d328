import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyPluginAsync } from 'fastify'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from './harness'
import { declaredRoutes, requireActor } from '../src/platform/auth/access'
import { ForbiddenError, NotFoundError } from '../src/platform/http/errors'
import { modules } from '../src/modules'
import { buildFixtures, ROLE_KEYS, type MatrixFixtures } from './route-matrix.fixtures'
import { customerTicket, exportSeesCustomerTicket } from '../src/modules/tickets/tickets.matrix'
import { checkDeclarations, expectedAccess, routeKey } from './route-matrix.rules'
import { documentedRoutes, loadObjectCases, walkAccess, walkBodies, walkHostileInput, walkObjectCases, type DocumentedRoute, type OpenApiDoc } from './route-matrix.walk'

/**
 * Issue 2 §6: every route in the OpenAPI document × every kind of caller. The expected answer
 * comes from the access each route declares (checked against the rules in route-matrix.rules.ts)
 * and from the object cases modules keep in `*.matrix.ts`; routes added later are walked too.
 */
async function documented(env: TestEnv): Promise<DocumentedRoute[]> {
  const doc = (await env.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as OpenApiDoc
  return documentedRoutes(doc, declaredRoutes(env.app))
}

describe('route × role matrix', () => {
  let env: TestEnv
  let f: MatrixFixtures
  let routes: DocumentedRoute[]
  before(async () => {
    env = await createTestEnv({ listen: true })
    f = await buildFixtures(env)
    routes = await documented(env)
  })
  after(async () => { await env.close() })

  it('walks the whole API, including the accounts and admin routes', () => {
    const keys = new Set(routes.map(routeKey))
    for (const key of ['POST /api/v1/auth/login', 'PATCH /api/v1/users/{id}', 'PUT /api/v1/teams/{id}/members', 'GET /api/v1/audit-log', 'POST /api/v1/admin/jobs/{id}/retry']) {
      assert.ok(keys.has(key), `${key} is missing from the OpenAPI document`)
    }
    assert.ok(routes.length >= 30)
  })

  it('every route declares the right kind of access', () => {
    assert.deepEqual(checkDeclarations(routes, declaredRoutes(env.app)), [])
  })

  it('every route answers each caller as its declared access says; unknown objects are 404', async () => {
    assert.deepEqual(await walkAccess(f, routes), [])
  })

  it('objects a caller may not see answer 404, not 403 (object cases from *.matrix.ts)', async () => {
    const cases = await loadObjectCases()
    assert.ok(cases.some((c) => c.route === 'DELETE /api/v1/api-tokens/{id}'), 'the accounts cases are found')
    assert.deepEqual(await walkObjectCases(f, routes, cases), [])
  })

  it('the ticket CSV export lets each caller in as declared and holds only the tickets they may see', async () => {
    const ticket = await customerTicket(f)
    const failures: string[] = []
    for (const caller of ROLE_KEYS) {
      const answer = await f.call(caller, { method: 'GET', path: '/api/v1/tickets/export.csv?sort=-number' })
      const gate = expectedAccess('tickets.export', caller)
      if (gate !== 'allowed') {
        if (answer.status !== gate) failures.push(`${caller}: expected ${gate}, got ${answer.status}`)
        continue
      }
      const has = answer.body.split('\r\n').some((line) => line.startsWith(`${ticket.number},`))
      if (answer.status !== 200 || has !== exportSeesCustomerTicket.includes(caller)) failures.push(`${caller}: ${answer.status}, has the customer's ticket: ${has}`)
    }
    assert.deepEqual(failures, [])
  })

  it('every JSON body rejects unknown fields by name and malformed JSON with a clear message', async () => {
    assert.deepEqual(await walkBodies(f, routes), [])
  })

  it('hostile input on every route (U+0000 in strings, numbers beyond a bigint, a tampered cursor) is a 4xx naming the field, never a 5xx', async () => {
    assert.deepEqual(await walkHostileInput(f, routes), [])
  })
})

describe('bad input on a few routes: a 4xx with a clear message in Spanish or English', () => {
  let env: TestEnv
  let admin: Client
  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
  })
  after(async () => { await env.close() })

  const send = (method: 'POST' | 'PATCH', url: string, payload: string, lang: 'es' | 'en', contentType = 'application/json') =>
    admin.request({ method, url, payload, headers: { 'content-type': contentType, 'accept-language': lang } })

  it('unknown fields', async () => {
    const es = await send('POST', '/api/v1/teams', JSON.stringify({ name: 'N1', color: 'azul' }), 'es')
    assert.equal(es.statusCode, 400)
    assert.equal(es.json().error.message, 'La solicitud no es válida: campo desconocido «color»')
    const en = await send('PATCH', '/api/v1/settings', JSON.stringify({ 'helpdesk.theme': 'dark' }), 'en')
    assert.equal(en.statusCode, 400)
    assert.equal(en.json().error.message, 'The request is not valid: unknown field "helpdesk.theme"')
    assert.deepEqual(en.json().error.details, [{ field: 'helpdesk.theme', rule: 'additionalProperties', message: 'unknown field "helpdesk.theme"' }])
  })

  it('wrong types', async () => {
    const es = await send('POST', '/api/v1/users', JSON.stringify({ email: 'a@ejemplo.mx', name: 'Ana', role: 'agent', invite: 'sí' }), 'es')
    assert.equal(es.statusCode, 400)
    assert.equal(es.json().error.message, 'La solicitud no es válida: «invite» debe ser de tipo boolean')
    const en = await send('POST', '/api/v1/contacts', JSON.stringify({ name: ['Ana'], phone: 5512345678 }), 'en')
    assert.equal(en.statusCode, 400)
    assert.match(en.json().error.message, /"name" must be of type string; "phone" must be of type string/)
  })

  it('malformed JSON', async () => {
    const es = await send('POST', '/api/v1/organizations', '{"name": "Gasolineras', 'es')
    assert.equal(es.statusCode, 400)
    assert.deepEqual(es.json().error, { code: 'malformed_json', message: 'El cuerpo de la solicitud no es JSON válido.', details: null })
    const en = await send('PATCH', '/api/v1/settings', '{,}', 'en')
    assert.equal(en.statusCode, 400)
    assert.equal(en.json().error.message, 'The request body is not valid JSON.')
  })

  it('oversize bodies, against each route\'s own limit', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) })
    const es = await send('POST', '/api/v1/contacts', big, 'es')
    assert.equal(es.statusCode, 413)
    assert.equal(es.json().error.message, 'El cuerpo de la solicitud es demasiado grande.')
    // Imports accept up to 10 MB; beyond that, the same clear answer.
    const csv = `nombre,correo\n${'Ana,ana@ejemplo.mx\n'.repeat(600_000)}`
    const en = await send('POST', '/api/v1/imports/contacts', csv, 'en', 'text/csv')
    assert.equal(en.statusCode, 413)
    assert.equal(en.json().error.message, 'The request body is too large.')
  })

  it('an unsupported content type', async () => {
    const res = await send('POST', '/api/v1/teams', 'name=N1', 'en', 'application/x-www-form-urlencoded')
    assert.equal(res.statusCode, 415)
    assert.match(res.json().error.message, /Unsupported content type/)
  })
})

describe('the matrix catches a badly declared route', () => {
  let env: TestEnv
  let f: MatrixFixtures
  let routes: DocumentedRoute[]
  // A module with the mistakes the matrix exists to catch, registered for this app only.
  const probe: FastifyPluginAsync = async (app) => {
    app.get('/api/v1/matrix-probe/ad-hoc', { config: { access: 'users.read' }, schema: { summary: 'probe' } }, async (request) => {
      if (requireActor(request).role === 'agent') throw new ForbiddenError()
      return { ok: true }
    })
    app.get('/api/v1/matrix-probe/:id', { config: { access: 'users.read' }, schema: { summary: 'probe', params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } } } }, async () => {
      throw new ForbiddenError()
    })
    app.post('/api/v1/matrix-probe', { config: { access: 'public' }, schema: { summary: 'probe', body: { type: 'object', properties: { name: { type: 'string' } } } } }, async () => {
      throw new NotFoundError()
    })
    app.patch('/api/v1/matrix-probe/:id', { config: { access: 'users.read' }, schema: { summary: 'probe', hide: true } }, async () => ({ ok: true }))
  }
  before(async () => {
    modules.push(probe)
    try {
      env = await createTestEnv({ listen: true })
    } finally {
      modules.pop()
    }
    f = await buildFixtures(env)
    routes = (await documented(env)).filter((r) => r.path.startsWith('/api/v1/matrix-probe'))
  })
  after(async () => { await env.close() })

  it('reports a public write, a write behind a read permission and an undocumented route', () => {
    const problems = checkDeclarations(routes, declaredRoutes(env.app).filter((d) => d.url.startsWith('/api/v1/matrix-probe')))
    assert.deepEqual(problems.sort(), [
      'PATCH /api/v1/matrix-probe/{id}: registered but missing from the OpenAPI document (schema.hide?)',
      'POST /api/v1/matrix-probe: is public but not in PUBLIC_ROUTES',
    ])
    assert.deepEqual(checkDeclarations([{ method: 'PATCH', path: '/api/v1/x/{id}', access: 'users.read' }], []), ['PATCH /api/v1/x/{id}: a write guarded by the read permission \'users.read\''])
    assert.deepEqual(checkDeclarations([{ method: 'GET', path: '/api/v1/admin/x', access: 'organizations.manage' }], []), ['GET /api/v1/admin/x: an /admin route open to admin, supervisor'])
  })

  it('reports a role checked ad hoc, a 403 for an unknown object and a loose body', async () => {
    const failures = await walkAccess(f, routes)
    assert.ok(failures.some((x) => x.startsWith('GET /api/v1/matrix-probe/ad-hoc as agent (users.read): expected to be let in, got 403')), failures.join('\n'))
    assert.ok(failures.some((x) => x.startsWith('GET /api/v1/matrix-probe/{id} as admin (users.read): expected to be let in, got 403')), failures.join('\n'))
    const bodies = await walkBodies(f, routes)
    assert.ok(bodies.some((x) => x.startsWith('POST /api/v1/matrix-probe: body schema is not a strict object')), bodies.join('\n'))
    assert.ok(bodies.some((x) => x.startsWith('POST /api/v1/matrix-probe: an unknown field should be a 400 naming it')), bodies.join('\n'))
  })

  it('derives the expectation from the permission table, token scopes included', () => {
    const row = (access: string) => ROLE_KEYS.map((r) => expectedAccess(access, r))
    //                                anon customer otherCust agent otherAgent supervisor admin token
    assert.deepEqual(row('public'), ['allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed'])
    assert.deepEqual(row('users.read'), [401, 403, 403, 'allowed', 'allowed', 'allowed', 'allowed', 'allowed'])
    assert.deepEqual(row('contacts.manage'), [401, 403, 403, 'allowed', 'allowed', 'allowed', 'allowed', 403])
    assert.deepEqual(row('users.manage'), [401, 403, 403, 403, 403, 403, 'allowed', 403])
    assert.deepEqual(row('profile.read'), [401, 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed'])
  })
})
