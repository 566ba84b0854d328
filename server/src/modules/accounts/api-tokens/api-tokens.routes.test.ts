import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { clientFor, createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { sha256 } from '../../../platform/auth/secrets'
import { assertBadInput, assertGuarded, auditEntries } from '../accounts.test-helpers'

describe('API tokens API', () => {
  let env: TestEnv
  let admin: Client
  let agent: Client
  let otherAgent: Client
  let customer: Client
  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    agent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    otherAgent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    customer = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
  })
  after(async () => { await env.close() })

  it('is for staff', async () => {
    await assertGuarded(env, customer, 'GET', '/api/v1/api-tokens')
    await assertGuarded(env, customer, 'POST', '/api/v1/api-tokens', { name: 'x', scopes: ['profile'] })
    await assertGuarded(env, customer, 'DELETE', '/api/v1/api-tokens/00000000-0000-4000-8000-000000000000')
  })

  it('shows the atd_ secret once, stores only its hash, and the token works within its scopes', async () => {
    const res = await agent.post('/api/v1/api-tokens', { name: 'Conmutador', scopes: ['users:read'] })
    assert.equal(res.statusCode, 201, res.body)
    const { token, id, prefix } = res.json()
    assert.match(token, /^atd_[A-Za-z0-9_-]{43}$/)
    assert.equal(prefix, token.slice(0, 12))
    const stored = (await sql<{ token_hash: string }>`select token_hash from api_tokens where id = ${id}`.execute(env.ctx.db)).rows[0]
    assert.equal(stored.token_hash, sha256(token))
    const listed = (await agent.get('/api/v1/api-tokens')).json().items
    assert.equal(listed.length, 1)
    assert.equal(listed[0].token, undefined)
    assert.equal(listed[0].lastUsedAt, null)
    const bearer = clientFor(env.app, { bearer: token })
    assert.equal((await bearer.get('/api/v1/users')).statusCode, 200)
    const outOfScope = await bearer.post('/api/v1/contacts', { name: 'X', phone: '5512345678' })
    assert.equal(outOfScope.statusCode, 403)
    assert.match(outOfScope.json().error.message, /alcance «users:write»/)
    assert.ok((await agent.get('/api/v1/api-tokens')).json().items[0].lastUsedAt)
    const audit = await auditEntries(env, id)
    assert.equal(audit[0].action, 'api_token.created')
    assert.deepEqual(audit[0].details.scopes, ['users:read'])
  })

  it('rejects unknown scopes and empty names in both languages', async () => {
    await assertBadInput(agent, 'POST', '/api/v1/api-tokens', { name: 'x', scopes: ['todo'] }, /scopes\.0/, /scopes\.0/)
    await assertBadInput(agent, 'POST', '/api/v1/api-tokens', { name: '', scopes: ['profile'] }, /«name» debe tener al menos 1/, /"name" must have at least 1/)
    await assertBadInput(agent, 'POST', '/api/v1/api-tokens', { name: 'x', scopes: [] }, /«scopes» debe tener al menos 1 elementos/, /"scopes" must have at least 1 items/)
  })

  it('lets owners and admins revoke; another agent gets 404; revoked tokens stop working', async () => {
    const created = (await agent.post('/api/v1/api-tokens', { name: 'ERP', scopes: ['users:read'] })).json()
    assert.equal((await otherAgent.delete(`/api/v1/api-tokens/${created.id}`)).statusCode, 404)
    assert.ok(!(await otherAgent.get('/api/v1/api-tokens')).json().items.some((t: { id: string }) => t.id === created.id))
    assert.ok((await admin.get('/api/v1/api-tokens')).json().items.some((t: { id: string }) => t.id === created.id))
    assert.equal((await admin.delete(`/api/v1/api-tokens/${created.id}`)).statusCode, 204)
    assert.equal((await clientFor(env.app, { bearer: created.token }).get('/api/v1/users')).statusCode, 401)
    assert.equal((await agent.delete(`/api/v1/api-tokens/${created.id}`)).statusCode, 204)
    const revocations = (await auditEntries(env, created.id)).filter((e) => e.action === 'api_token.revoked')
    assert.equal(revocations.length, 1)
    const withRevoked = (await agent.get('/api/v1/api-tokens?includeRevoked=true')).json().items
    assert.ok(withRevoked.find((t: { id: string }) => t.id === created.id).revokedAt)
    assert.equal((await agent.delete('/api/v1/api-tokens/not-a-uuid')).statusCode, 400)
    await assertBadInput(admin, 'GET', '/api/v1/api-tokens?userId=yo', undefined, /«userId» debe tener formato uuid/, /"userId" must have the uuid format/)
  })
})
