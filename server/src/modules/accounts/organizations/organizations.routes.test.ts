import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { assertBadInput, assertGuarded, auditEntries } from '../accounts.test-helpers'

const NOWHERE = '00000000-0000-4000-8000-000000000000'

describe('organizations and sites API', () => {
  let env: TestEnv
  let supervisor: Client
  let agent: Client
  let customer: Client
  before(async () => {
    env = await createTestEnv()
    supervisor = await loginAs(env.app, await createUser(env.ctx, { role: 'supervisor' }))
    agent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    customer = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
  })
  after(async () => { await env.close() })

  it('guards every route: staff read, supervisors and admins change', async () => {
    await assertGuarded(env, customer, 'GET', '/api/v1/organizations')
    await assertGuarded(env, customer, 'GET', `/api/v1/organizations/${NOWHERE}`)
    await assertGuarded(env, agent, 'POST', '/api/v1/organizations', { name: 'X' })
    await assertGuarded(env, agent, 'PATCH', `/api/v1/organizations/${NOWHERE}`, { name: 'X' })
    await assertGuarded(env, agent, 'DELETE', `/api/v1/organizations/${NOWHERE}`)
    await assertGuarded(env, customer, 'GET', `/api/v1/organizations/${NOWHERE}/sites`)
    await assertGuarded(env, customer, 'GET', `/api/v1/organizations/${NOWHERE}/sites/${NOWHERE}`)
    await assertGuarded(env, agent, 'POST', `/api/v1/organizations/${NOWHERE}/sites`, { code: 'A', name: 'A' })
    await assertGuarded(env, agent, 'PATCH', `/api/v1/organizations/${NOWHERE}/sites/${NOWHERE}`, { name: 'A' })
    await assertGuarded(env, agent, 'DELETE', `/api/v1/organizations/${NOWHERE}/sites/${NOWHERE}`)
  })

  it('creates a VIP organization with domains; agents find it by name or domain', async () => {
    const res = await supervisor.post('/api/v1/organizations', { name: 'Telefonía Móvil del Pacífico', domains: ['@TMP.mx', 'tmp.com.mx'], tier: 'vip', sharesTickets: true })
    assert.equal(res.statusCode, 201, res.body)
    assert.deepEqual(res.json().domains, ['tmp.mx', 'tmp.com.mx'])
    assert.equal(res.json().tier, 'vip')
    assert.equal((await agent.get('/api/v1/organizations?q=telefonia movil')).json().items.length, 1)
    assert.equal((await agent.get('/api/v1/organizations?q=tmp.com')).json().items.length, 1)
    assert.equal((await agent.get('/api/v1/organizations?domain=tmp.mx')).json().items[0].id, res.json().id)
    assert.equal((await agent.get(`/api/v1/organizations/${res.json().id}`)).json().sharesTickets, true)
    assert.equal((await auditEntries(env, res.json().id))[0].action, 'organization.created')
  })

  it('rejects bad input in both languages; names and domains are unique (409)', async () => {
    await assertBadInput(supervisor, 'POST', '/api/v1/organizations', { name: 'X', tier: 'oro' }, /«tier» debe ser uno de|tier/, /"tier" must be/)
    await assertBadInput(supervisor, 'POST', '/api/v1/organizations', { name: 'X', domains: ['no es dominio'] }, /domains\.0/, /domains\.0/)
    await supervisor.post('/api/v1/organizations', { name: 'Pagos Express', domains: ['pagosexpress.mx'] })
    const name = await supervisor.post('/api/v1/organizations', { name: 'PAGOS EXPRESS' })
    assert.equal(name.statusCode, 409)
    const domain = await supervisor.request({ method: 'POST', url: '/api/v1/organizations', payload: { name: 'Otra', domains: ['pagosexpress.mx'] }, headers: { 'accept-language': 'en' } })
    assert.equal(domain.statusCode, 409)
    assert.equal(domain.json().error.message, 'The domain pagosexpress.mx already belongs to organization "Pagos Express".')
  })

  it('changes an organization, auditing ticket sharing; deletes one without contacts only', async () => {
    const org = (await supervisor.post('/api/v1/organizations', { name: 'Farmacias Sol' })).json()
    const res = await supervisor.patch(`/api/v1/organizations/${org.id}`, { sharesTickets: true, notes: 'Cliente desde 2019' })
    assert.equal(res.statusCode, 200, res.body)
    const audit = (await auditEntries(env, org.id)).find((e) => e.action === 'organization.updated')!
    assert.deepEqual(audit.details.sharesTickets, { from: false, to: true })
    assert.equal((await supervisor.patch(`/api/v1/organizations/${NOWHERE}`, { notes: null })).statusCode, 404)
    await assertBadInput(supervisor, 'PATCH', `/api/v1/organizations/${org.id}`, { sharesTickets: 'sí' }, /«sharesTickets» debe ser de tipo boolean/, /"sharesTickets" must be of type boolean/)
    await assertBadInput(agent, 'GET', '/api/v1/organizations?tier=oro', undefined, /tier/, /tier/)
    await assertBadInput(agent, 'GET', '/api/v1/organizations/abc', undefined, /«id» debe tener formato uuid/, /"id" must have the uuid format/)
    await createUser(env.ctx, { role: 'customer', organizationId: org.id })
    const busy = await supervisor.delete(`/api/v1/organizations/${org.id}`)
    assert.equal(busy.statusCode, 409)
    assert.match(busy.json().error.message, /tiene 1 usuario/)
    const empty = (await supervisor.post('/api/v1/organizations', { name: 'Vacía' })).json()
    await supervisor.post(`/api/v1/organizations/${empty.id}/sites`, { code: 'S1', name: 'Sitio 1' })
    assert.equal((await supervisor.delete(`/api/v1/organizations/${empty.id}`)).statusCode, 204)
    assert.equal((await agent.get(`/api/v1/organizations/${empty.id}`)).statusCode, 404)
  })

  it('manages sites: unique code per organization, search, and no reach into another organization', async () => {
    const org = (await supervisor.post('/api/v1/organizations', { name: 'Gasolineras del Golfo' })).json()
    const other = (await supervisor.post('/api/v1/organizations', { name: 'Gasolineras del Centro' })).json()
    const s = await supervisor.post(`/api/v1/organizations/${org.id}/sites`, { code: 'E-1001', name: 'Estación Boca del Río', address: 'Blvd. Ruiz Cortines 100' })
    assert.equal(s.statusCode, 201, s.body)
    await supervisor.post(`/api/v1/organizations/${org.id}/sites`, { code: 'E-1002', name: 'Estación Coatzacoalcos' })
    assert.equal((await supervisor.post(`/api/v1/organizations/${other.id}/sites`, { code: 'e-1001', name: 'Misma clave, otra empresa' })).statusCode, 201)
    const dup = await supervisor.post(`/api/v1/organizations/${org.id}/sites`, { code: 'e-1001', name: 'Repetida' })
    assert.equal(dup.statusCode, 409)
    const found = (await agent.get(`/api/v1/organizations/${org.id}/sites?q=coatza`)).json()
    assert.deepEqual(found.items.map((x: { code: string }) => x.code), ['E-1002'])
    const page = (await agent.get(`/api/v1/organizations/${org.id}/sites?limit=1`)).json()
    assert.equal(page.items[0].code, 'E-1001')
    assert.ok(page.nextCursor)
    assert.equal((await agent.get(`/api/v1/organizations/${NOWHERE}/sites`)).statusCode, 404)
    const renamed = await supervisor.patch(`/api/v1/organizations/${org.id}/sites/${s.json().id}`, { name: 'Estación Boca', address: null })
    assert.equal(renamed.json().address, null)
    assert.equal((await supervisor.patch(`/api/v1/organizations/${other.id}/sites/${s.json().id}`, { name: 'X' })).statusCode, 404)
    assert.equal((await agent.get(`/api/v1/organizations/${org.id}/sites/${s.json().id}`)).json().name, 'Estación Boca')
    assert.equal((await agent.get(`/api/v1/organizations/${other.id}/sites/${s.json().id}`)).statusCode, 404)
    await assertBadInput(supervisor, 'POST', `/api/v1/organizations/${org.id}/sites`, { code: '', name: 'X' }, /«code» debe tener al menos 1/, /"code" must have at least 1/)
    await assertBadInput(supervisor, 'PATCH', `/api/v1/organizations/${org.id}/sites/${s.json().id}`, { codigo: 'X' }, /campo desconocido «codigo»/, /unknown field "codigo"/)
    await assertBadInput(agent, 'GET', `/api/v1/organizations/${org.id}/sites?limit=0`, undefined, /«limit» debe ser mayor o igual a 1/, /"limit" must be greater than or equal to 1/)
    assert.equal((await supervisor.delete(`/api/v1/organizations/${other.id}/sites/${s.json().id}`)).statusCode, 404)
    const badSite = await supervisor.request({ method: 'DELETE', url: `/api/v1/organizations/${org.id}/sites/E-1001` })
    assert.equal(badSite.statusCode, 400)
    assert.match(badSite.json().error.message, /«siteId» debe tener formato uuid/)
    assert.equal((await supervisor.delete(`/api/v1/organizations/${org.id}/sites/${s.json().id}`)).statusCode, 204)
  })
})
