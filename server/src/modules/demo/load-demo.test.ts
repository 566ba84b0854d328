import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTestEnv, type TestEnv } from '../../../test/harness'
import { loadDemo } from './load-demo'

const quiet = { start() {}, tick() {}, stop() {} }

describe('npm run demo: past-dated demo tickets', () => {
  let env: TestEnv
  before(async () => {
    env = await createTestEnv()
    env.clock.set(new Date('2026-03-20T18:00:00Z'))
  })
  after(async () => { await env.close() })

  it('records past SLA warnings and breaches as suppressed: the worker’s first run escalates and mails nothing', async () => {
    const summary = await loadDemo(env.ctx, { tickets: 12, progress: quiet })
    assert.equal(summary.tickets, 12)
    const suppressed = (await sql<{ n: number }>`select count(*)::int as n from sla_escalations where suppressed`.execute(env.ctx.db)).rows[0].n
    assert.ok(suppressed > 0, 'some demo tickets are past their warning or due time')
    await env.drainJobs(200)
    const fired = (await sql<{ type: string }>`select type from events where type in ('sla.warning', 'sla.breached')`.execute(env.ctx.db)).rows
    assert.deepEqual(fired, [])
    assert.equal((await sql<{ n: number }>`select count(*)::int as n from sla_escalations where not suppressed`.execute(env.ctx.db)).rows[0].n, 0)
    assert.equal((await sql<{ n: number }>`select count(*)::int as n from outbound_messages where template like 'sla_%'`.execute(env.ctx.db)).rows[0].n, 0)
    // Still live: the open ones that are not past their times keep their escalation jobs for later.
    assert.equal((await sql<{ n: number }>`select count(*)::int as n from jobs where status = 'dead'`.execute(env.ctx.db)).rows[0].n, 0)
  })

  it('has the agents write the replies (first responses met), and mails nobody about the past tickets', async () => {
    const replies = (await sql<{ author_id: string | null }>`select author_id from comments where not internal`.execute(env.ctx.db)).rows
    assert.ok(replies.length > 0)
    assert.ok(replies.every((r) => r.author_id !== null))
    const met = (await sql<{ n: number }>`select count(*)::int as n from tickets where first_response_at is not null`.execute(env.ctx.db)).rows[0].n
    assert.ok(met > 0)
    // With SMTP_URL set after the demo, the made-up customers would get hundreds of mails.
    assert.equal((await sql<{ n: number }>`select count(*)::int as n from outbound_messages`.execute(env.ctx.db)).rows[0].n, 0)
  })
})
