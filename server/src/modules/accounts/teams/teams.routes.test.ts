import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { assertBadInput, assertGuarded, auditEntries } from '../accounts.test-helpers'

describe('teams API', () => {
  let env: TestEnv
  let admin: Client
  let agent: Client
  let customer: Client
  let agentId: string
  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    const a = await createUser(env.ctx, { role: 'agent', name: 'Ana Agente' })
    agentId = a.id
    agent = await loginAs(env.app, a)
    customer = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
  })
  after(async () => { await env.close() })

  it('guards every route: staff read, admins change', async () => {
    await assertGuarded(env, customer, 'GET', '/api/v1/teams')
    await assertGuarded(env, customer, 'GET', '/api/v1/teams/00000000-0000-4000-8000-000000000000')
    await assertGuarded(env, agent, 'POST', '/api/v1/teams', { name: 'N1' })
    await assertGuarded(env, agent, 'PATCH', '/api/v1/teams/00000000-0000-4000-8000-000000000000', { name: 'N1' })
    await assertGuarded(env, agent, 'DELETE', '/api/v1/teams/00000000-0000-4000-8000-000000000000')
    await assertGuarded(env, agent, 'PUT', '/api/v1/teams/00000000-0000-4000-8000-000000000000/members', { userIds: [] })
  })

  it('creates a level-2 team whose lead becomes a member; agents can read it', async () => {
    const res = await admin.post('/api/v1/teams', { name: 'Soporte N2 Pagos', level: 2, leadUserId: agentId })
    assert.equal(res.statusCode, 201, res.body)
    assert.equal(res.json().level, 2)
    assert.deepEqual(res.json().members.map((m: { id: string }) => m.id), [agentId])
    const list = (await agent.get('/api/v1/teams')).json()
    assert.ok(list.items.some((t: { name: string }) => t.name === 'Soporte N2 Pagos'))
    assert.equal((await agent.get(`/api/v1/teams/${res.json().id}`)).json().name, 'Soporte N2 Pagos')
    assert.equal((await auditEntries(env, res.json().id))[0].action, 'team.created')
  })

  it('rejects bad input in both languages and duplicate names with 409', async () => {
    await assertBadInput(admin, 'POST', '/api/v1/teams', { name: 'X', level: 0 }, /«level» debe ser mayor o igual a 1/, /"level" must be greater than or equal to 1/)
    await assertBadInput(admin, 'POST', '/api/v1/teams', { name: 'X', level: '2' }, /«level» debe ser de tipo integer/, /"level" must be of type integer/)
    const customerUser = await createUser(env.ctx, { role: 'customer' })
    await assertBadInput(admin, 'POST', '/api/v1/teams', { name: 'X', leadUserId: customerUser.id }, /Solo usuarios activos del equipo de soporte/, /Only active support staff/)
    await admin.post('/api/v1/teams', { name: 'Mesa N1' })
    const dup = await admin.post('/api/v1/teams', { name: 'mesa n1' })
    assert.equal(dup.statusCode, 409)
    assert.equal(dup.json().error.message, 'Ya existe un equipo llamado «mesa n1».')
  })

  it('renames and re-levels a team; 404 for an unknown one', async () => {
    const team = (await admin.post('/api/v1/teams', { name: 'Cobranza' })).json()
    const res = await admin.patch(`/api/v1/teams/${team.id}`, { name: 'Administración - Cobranza', level: 2 })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().name, 'Administración - Cobranza')
    assert.equal((await admin.patch('/api/v1/teams/00000000-0000-4000-8000-000000000000', { level: 1 })).statusCode, 404)
    await assertBadInput(admin, 'PATCH', `/api/v1/teams/${team.id}`, { name: '' }, /«name» debe tener al menos 1 caracteres/, /"name" must have at least 1 characters/)
    await assertBadInput(agent, 'GET', '/api/v1/teams/N1', undefined, /«id» debe tener formato uuid/, /"id" must have the uuid format/)
  })

  it('replaces members with staff only, keeps the lead, and audits the change', async () => {
    const lead = await createUser(env.ctx, { role: 'supervisor' })
    const team = (await admin.post('/api/v1/teams', { name: 'Telefonía N1', leadUserId: lead.id })).json()
    const b = await createUser(env.ctx, { role: 'agent' })
    const res = await admin.put(`/api/v1/teams/${team.id}/members`, { userIds: [lead.id, agentId, b.id] })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal(res.json().members.length, 3)
    const agentView = (await agent.get('/api/v1/me')).json()
    assert.ok(agentView.teamIds.includes(team.id))
    await assertBadInput(admin, 'PUT', `/api/v1/teams/${team.id}/members`, { userIds: [agentId] }, /líder del equipo debe seguir/, /lead must remain a member/)
    const c = await createUser(env.ctx, { role: 'customer' })
    await assertBadInput(admin, 'PUT', `/api/v1/teams/${team.id}/members`, { userIds: [lead.id, c.id] }, new RegExp(c.id), new RegExp(c.id))
    await admin.put(`/api/v1/teams/${team.id}/members`, { userIds: [lead.id] })
    const changes = (await auditEntries(env, team.id)).filter((e) => e.action === 'team.members_changed')
    assert.equal(changes.length, 2)
    assert.deepEqual((changes[1].details.removed as string[]).sort(), [agentId, b.id].sort())
  })

  it('keeps a member deactivated since, so the team can still be changed (every change was refused), and takes no new inactive one', async () => {
    const team = (await admin.post('/api/v1/teams', { name: 'Cobranza N1' })).json()
    const gone = await createUser(env.ctx, { role: 'agent' })
    const stays = await createUser(env.ctx, { role: 'agent' })
    assert.equal((await admin.put(`/api/v1/teams/${team.id}/members`, { userIds: [gone.id, stays.id] })).statusCode, 200)
    assert.equal((await admin.patch(`/api/v1/users/${gone.id}`, { active: false })).statusCode, 200)
    const added = await createUser(env.ctx, { role: 'agent' })
    const res = await admin.put(`/api/v1/teams/${team.id}/members`, { userIds: [gone.id, stays.id, added.id] })
    assert.equal(res.statusCode, 200, res.body)
    assert.equal((await admin.put(`/api/v1/teams/${team.id}/members`, { userIds: [stays.id, added.id] })).statusCode, 200, 'and removed')
    const back = await admin.put(`/api/v1/teams/${team.id}/members`, { userIds: [gone.id, stays.id] })
    assert.equal(back.statusCode, 400, 'an inactive user is not added again')
  })

  it('deletes a team and its memberships', async () => {
    const team = (await admin.post('/api/v1/teams', { name: 'Temporal', leadUserId: agentId })).json()
    const res = await admin.delete(`/api/v1/teams/${team.id}`)
    assert.equal(res.statusCode, 204)
    assert.equal((await agent.get(`/api/v1/teams/${team.id}`)).statusCode, 404)
    assert.ok(!(await agent.get('/api/v1/me')).json().teamIds.includes(team.id))
    assert.ok((await auditEntries(env, team.id)).some((e) => e.action === 'team.deleted'))
    assert.equal((await admin.delete(`/api/v1/teams/${team.id}`)).statusCode, 404)
    const bad = await admin.request({ method: 'DELETE', url: '/api/v1/teams/N1', headers: { 'accept-language': 'en' } })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.json().error.message, /"id" must have the uuid format/)
  })
})
