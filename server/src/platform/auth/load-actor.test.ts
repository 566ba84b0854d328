import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { anonymous, createTestEnv, createUser, loginAs, type TestEnv } from '../../../test/harness'
import { countStatements } from '../../../test/statements'

describe('session lookups of requests that arrive together', () => {
  let env: TestEnv
  before(async () => { env = await createTestEnv() })
  after(async () => { await env.close() })

  it('answer each request with its own user, share a statement, and refuse an ended session among them', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => createUser(env.ctx, { role: i % 3 ? 'agent' : 'customer' })))
    const clients = await Promise.all(users.map((u) => loginAs(env.app, u)))
    const ended = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    await ended.post('/api/v1/auth/logout', {})
    const counted = countStatements(env, /from sessions s join users/)
    const [answers, refused] = await Promise.all([
      Promise.all(clients.map((c) => c.get('/api/v1/me'))),
      ended.get('/api/v1/me'),
    ])
    const statements = counted.stop()
    answers.forEach((res, i) => {
      assert.equal(res.statusCode, 200)
      assert.equal(res.json().email, users[i].email)
      assert.equal(res.json().role, users[i].role)
    })
    assert.equal(refused.statusCode, 401)
    assert.equal((await anonymous(env.app).get('/api/v1/me')).statusCode, 401)
    assert.ok(statements >= 1 && statements < 13, `13 lookups took ${statements} statements`)
  })
})
