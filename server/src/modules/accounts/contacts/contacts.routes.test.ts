import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createOrganization, createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { assertBadInput, assertGuarded } from '../accounts.test-helpers'

describe('contacts API', () => {
  let env: TestEnv
  let agent: Client
  let customer: Client
  let orgId: string
  let siteId: string
  before(async () => {
    env = await createTestEnv()
    agent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    customer = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
    orgId = await createOrganization(env.ctx, 'Gasolineras del Norte')
    siteId = (await sql<{ id: string }>`insert into sites (organization_id, code, name) values (${orgId}, 'E-0412', 'Estación Cumbres') returning id`.execute(env.ctx.db)).rows[0].id
  })
  after(async () => { await env.close() })

  describe('POST /api/v1/contacts', () => {
    it('is for staff', async () => {
      await assertGuarded(env, customer, 'POST', '/api/v1/contacts', { name: 'X', phone: '5512345678' })
    })

    it('lets an agent create a contact by phone only; a site implies its organization', async () => {
      const res = await agent.post('/api/v1/contacts', { name: 'Jorge Salinas', phone: '+52 81 5555 0101', siteId })
      assert.equal(res.statusCode, 201, res.body)
      const c = res.json()
      assert.equal(c.email, null)
      assert.deepEqual(c.organization, { id: orgId, name: 'Gasolineras del Norte', tier: 'standard' })
      assert.deepEqual(c.site, { id: siteId, code: 'E-0412', name: 'Estación Cumbres' })
      const row = (await sql<{ role: string; password_hash: string | null }>`select role, password_hash from users where id = ${c.id}`.execute(env.ctx.db)).rows[0]
      assert.deepEqual(row, { role: 'customer', password_hash: null })
    })

    it('needs an email or a phone, and a site of the same organization (Spanish and English)', async () => {
      await assertBadInput(agent, 'POST', '/api/v1/contacts', { name: 'Sin datos' }, /correo, teléfono o ambos/, /email, a phone or both/)
      const otherOrg = await createOrganization(env.ctx)
      await assertBadInput(agent, 'POST', '/api/v1/contacts', { name: 'X', phone: '5512345678', organizationId: otherOrg, siteId },
        /no pertenece a la organización/, /does not belong to the organization/)
      await assertBadInput(agent, 'POST', '/api/v1/contacts', { name: 'X', phone: 'llámame' }, /«phone» no tiene el formato esperado/, /"phone" does not have the expected format/)
    })

    it('answers 409 with the existing contact when the email is taken', async () => {
      const first = (await agent.post('/api/v1/contacts', { name: 'Rosa Ibarra', email: 'rosa@gdn.mx' })).json()
      const again = await agent.post('/api/v1/contacts', { name: 'Rosa I.', email: 'ROSA@gdn.mx' })
      assert.equal(again.statusCode, 409)
      assert.deepEqual(again.json().error.details, { existingContactId: first.id })
    })
  })

  describe('PATCH /api/v1/contacts/:id', () => {
    it('is for staff', async () => {
      const c = await createUser(env.ctx, { role: 'customer' })
      await assertGuarded(env, customer, 'PATCH', `/api/v1/contacts/${c.id}`, { name: 'X' })
    })

    it('corrects a contact; moving organization drops the old site', async () => {
      const c = (await agent.post('/api/v1/contacts', { name: 'Mario Treviño', email: 'mario@gdn.mx', siteId })).json()
      const other = await createOrganization(env.ctx, 'Transportes Bajío')
      const res = await agent.patch(`/api/v1/contacts/${c.id}`, { name: 'Mario Treviño Garza', organizationId: other, phone: '4421234567' })
      assert.equal(res.statusCode, 200, res.body)
      assert.equal(res.json().name, 'Mario Treviño Garza')
      assert.equal(res.json().organization.name, 'Transportes Bajío')
      assert.equal(res.json().site, null)
      assert.equal(res.json().phone, '4421234567')
    })

    it('404s staff users and unknown ids: only customers are contacts', async () => {
      const staff = await createUser(env.ctx, { role: 'supervisor' })
      assert.equal((await agent.patch(`/api/v1/contacts/${staff.id}`, { name: 'X' })).statusCode, 404)
      assert.equal((await agent.patch('/api/v1/contacts/00000000-0000-4000-8000-000000000000', { name: 'X' })).statusCode, 404)
    })

    it('rejects removing both email and phone and unknown fields', async () => {
      const c = (await agent.post('/api/v1/contacts', { name: 'Solo correo', email: 'solo@gdn.mx' })).json()
      await assertBadInput(agent, 'PATCH', `/api/v1/contacts/${c.id}`, { email: null }, /correo, teléfono o ambos/, /email, a phone or both/)
      await assertBadInput(agent, 'PATCH', `/api/v1/contacts/${c.id}`, { role: 'admin' }, /campo desconocido «role»/, /unknown field "role"/)
    })
  })

  describe('GET /api/v1/contacts and /:id', () => {
    it('is for staff', async () => {
      await assertGuarded(env, customer, 'GET', '/api/v1/contacts')
      const c = await createUser(env.ctx, { role: 'customer' })
      await assertGuarded(env, customer, 'GET', `/api/v1/contacts/${c.id}`)
    })

    it('finds contacts by phone, email, name without accents, organization and site; never staff', async () => {
      await agent.post('/api/v1/contacts', { name: 'Íñigo Olvera', phone: '81 8765-4321', siteId })
      const byPhone = (await agent.get('/api/v1/contacts?q=87654')).json()
      assert.deepEqual(byPhone.items.map((c: { name: string }) => c.name), ['Íñigo Olvera'])
      const callerId = (await agent.get(`/api/v1/contacts?q=${encodeURIComponent('+52 818 765 4321')}`)).json()
      assert.deepEqual(callerId.items.map((c: { name: string }) => c.name), ['Íñigo Olvera'], 'a caller ID with country code finds the stored number')
      const byName = (await agent.get('/api/v1/contacts?q=inigo')).json()
      assert.equal(byName.items.length, 1)
      const bySite = (await agent.get(`/api/v1/contacts?site=${siteId}`)).json()
      assert.ok(bySite.items.every((c: { site: { id: string } }) => c.site.id === siteId))
      const all = (await agent.get(`/api/v1/contacts?organization=${orgId}&limit=1`)).json()
      assert.equal(all.items.length, 1)
      assert.ok(all.nextCursor)
      const staff = await createUser(env.ctx, { role: 'agent', name: 'Agente Buscable' })
      assert.equal((await agent.get('/api/v1/contacts?q=Buscable')).json().items.length, 0)
      assert.equal((await agent.get(`/api/v1/contacts/${staff.id}`)).statusCode, 404)
      const one = await agent.get(`/api/v1/contacts/${byName.items[0].id}`)
      assert.equal(one.statusCode, 200)
      assert.equal(one.json().site.code, 'E-0412')
      await assertBadInput(agent, 'GET', '/api/v1/contacts/123', undefined, /«id» debe tener formato uuid/, /"id" must have the uuid format/)
      await assertBadInput(agent, 'GET', '/api/v1/contacts?organization=abc', undefined, /formato uuid/, /uuid format/)
    })
  })
})
