import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { buildApp, type App } from '../../app'
import { createContext } from '../../platform/bootstrap'
import { loadConfig } from '../../platform/config'
import type { AppContext } from '../../platform/context'
import { openPostgres, inTransaction } from '../../platform/db/database'
import { migrateToLatest } from '../../platform/db/migrate'
import { recordEvent } from '../../platform/events/events'
import { createPostgresDatabase } from '../../../test/database'
import { createTestEnv, createUser, type TestEnv } from '../../../test/harness'
import { baseUrlOf, openStream, waitFor } from './test-support/open-stream'

describe('real-time stream', () => {
  let env: TestEnv
  before(async () => { env = await createTestEnv({ listen: true }) })
  after(async () => { await env.close() })

  it('delivers a committed change to a signed-in agent within a second, and staff-only events never to customers', async () => {
    const base = baseUrlOf(env.app)
    const agent = await createUser(env.ctx, { role: 'agent' })
    const customer = await createUser(env.ctx, { role: 'customer' })
    const a = await openStream(base, agent)
    const c = await openStream(base, customer)
    await new Promise((r) => setTimeout(r, 100))
    const sent = Date.now()
    await inTransaction(env.ctx.db, (trx) => recordEvent(trx, { type: 'system.test', payload: { secret: true } }))
    assert.ok(await waitFor(() => a.changes.length > 0), 'agent got the event')
    assert.ok(a.changes[0].at - sent < 1000, 'within one second')
    await new Promise((r) => setTimeout(r, 200))
    assert.equal(c.changes.length, 0, 'customer got nothing')
    a.close()
    c.close()
    assert.ok(await waitFor(() => env.ctx.realtime.clientCount === 0), 'a stream the client closed is unsubscribed')
  })

  it('answers 401 to an anonymous stream', async () => {
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/events/stream' })
    assert.equal(res.statusCode, 401)
  })
})

describe('real-time across instances (PostgreSQL LISTEN/NOTIFY)', { skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL (two server instances on one PostgreSQL)' }, () => {
  const instances: Array<{ app: App; ctx: AppContext; close: () => Promise<void> }> = []
  let drop: () => Promise<void> = async () => {}
  before(async () => {
    const created = await createPostgresDatabase(process.env.TEST_DATABASE_URL!)
    drop = created.drop
    for (let i = 0; i < 2; i++) {
      const database = await openPostgres(created.url, 5)
      await migrateToLatest(database.db)
      const ctx = createContext({ ...loadConfig({ NODE_ENV: 'test' }), logLevel: 'silent' }, database)
      const app = await buildApp(ctx)
      await ctx.realtime.start()
      await app.listen({ port: 0, host: '127.0.0.1' })
      instances.push({ app, ctx, close: async () => { await app.close(); await ctx.realtime.stop(); await database.close() } })
    }
  })
  after(async () => {
    for (const i of instances) await i.close()
    await drop()
  })

  it('a change committed through instance A reaches a client of instance B', async () => {
    const [a, b] = instances
    const agent = await createUser(a.ctx, { role: 'agent' })
    const baseB = baseUrlOf(b.app)
    const stream = await openStream(baseB, agent)
    await new Promise((r) => setTimeout(r, 100))
    const sent = Date.now()
    await inTransaction(a.ctx.db, (trx) => recordEvent(trx, { type: 'system.test' }))
    assert.ok(await waitFor(() => stream.changes.length > 0), 'event arrived at instance B')
    assert.ok(stream.changes[0].at - sent < 1000)
    stream.close()
  })
})
