import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { anonymous, createTestEnv, createUser, loginAs, type TestEnv } from '../../../test/harness'

describe('session lookups of requests that arrive together', () => {
  let env: TestEnv
  before(async () => { env = await createTestEnv() })
  after(async () => { await env.close() })

  it('answer each request with its own user, share a statement, and refuse an ended session among them', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, (_, i) => createUser(env.ctx, { role: i % 3 ? 'agent' : 'customer' })))
    const clients = await Promise.all(users.map((u) => loginAs(env.app, u)))
    const ended = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    await ended.post('/api/v1/auth/logout', {})
    const counted = countSessionReads(env)
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

/** Counts the statements that read sessions, at the driver (pg's Client or the PGlite instance). */
function countSessionReads(env: TestEnv) {
  let n = 0
  const count = (text: unknown) => { if (typeof text === 'string' && /from sessions s join users/.test(text)) n++ }
  const target = (env.ctx.database.pglite ?? pg.Client.prototype) as { query: (...args: unknown[]) => unknown }
  const original = target.query
  target.query = function (this: unknown, ...args: unknown[]) {
    count(typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text)
    return original.apply(this, args)
  }
  return { stop: () => { target.query = original; return n } }
}
