import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import { createTestEnv, createUser, loginAs, type TestEnv } from '../../../../test/harness'
import { invalidateEmailSettings } from '../email.settings'
import { listMailboxRecords, type MailboxRecord } from '../mailboxes/mailbox-directory'
import { receiveInbound } from './receive-inbound'
import { OWN_MAIL_FIXTURES, SHARED_MAIL_FIXTURES, listEml, type FixtureExpectation } from './fixtures/shared-fixtures'

const expected = JSON.parse(readFileSync(path.join(OWN_MAIL_FIXTURES, 'fixtures.expected.json'), 'utf8')) as Record<string, FixtureExpectation>

/**
 * Every real-world message of ../shared/fixtures/mail (and our own Spanish ones) goes through the
 * whole inbound pipeline — parse, classify, store, ticket commands — without failing, and the
 * tickets it creates have the sender and subject recorded in fixtures.expected.json.
 */
describe('ingesting the mail fixtures end to end', { skip: !existsSync(SHARED_MAIL_FIXTURES) && 'shared fixtures not found' }, () => {
  let env: TestEnv
  let mailbox: MailboxRecord

  before(async () => {
    env = await createTestEnv()
    const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    assert.equal((await admin.post('/api/v1/mailboxes', { address: 'soporte@ayuda.test', name: 'Soporte', inbound: 'smtp' })).statusCode, 201)
    // Many fixtures share a sender; the loop brake is not what is tested here.
    assert.equal((await admin.patch('/api/v1/settings', { 'email.senderRateLimitPerHour': 0 })).statusCode, 200)
    invalidateEmailSettings(env.ctx)
    mailbox = (await listMailboxRecords(env.ctx.db))[0]
  })
  after(async () => { await env.close() })

  it('stores every fixture, fails none, and files tickets with the right sender and subject', async () => {
    const files = [
      ...listEml(SHARED_MAIL_FIXTURES).map((f) => ({ key: f, file: path.join(SHARED_MAIL_FIXTURES, f) })),
      ...listEml(OWN_MAIL_FIXTURES).map((f) => ({ key: `own/${f}`, file: path.join(OWN_MAIL_FIXTURES, f) })),
    ]
    assert.ok(files.length > 150, `found ${files.length} fixtures`)
    const statuses: Record<string, number> = {}
    const problems: string[] = []
    for (const { key, file } of files) {
      const outcome = await receiveInbound(env.ctx, { raw: readFileSync(file), mailbox, source: 'smtp' })
      statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1
      if (outcome.status === 'failed') {
        const row = (await sql<{ error: string }>`select error from inbound_messages where id = ${outcome.id}`.execute(env.ctx.db)).rows[0]
        problems.push(`${key}: ${row.error}`)
        continue
      }
      const exp = expected[key] ?? expected[key.replace(/^own\//, '')]
      if (outcome.status === 'ticket_created' && exp && !outcome.duplicate) {
        const ticket = (await sql<{ subject: string; email: string }>`select t.subject, u.email from tickets t join users u on u.id = t.requester_id
          where t.id = ${outcome.ticketId}`.execute(env.ctx.db)).rows[0]
        if (ticket.email !== exp.from) problems.push(`${key}: requester ${ticket.email} ≠ ${exp.from}`)
        const subject = exp.subject.trim() || '(sin asunto)'
        if (ticket.subject !== subject.replace(/\s+/g, ' ').trim().slice(0, 500) && ticket.subject !== subject.slice(0, 500)) {
          problems.push(`${key}: subject «${ticket.subject}» ≠ «${subject}»`)
        }
      }
    }
    assert.deepEqual(problems, [])
    assert.equal(statuses.failed ?? 0, 0)
    assert.ok((statuses.ticket_created ?? 0) > 50, JSON.stringify(statuses))
    assert.ok((statuses.bounce ?? 0) > 5, JSON.stringify(statuses))
    const raw = (await sql<{ n: number }>`select count(*)::int as n from inbound_messages`.execute(env.ctx.db)).rows[0].n
    assert.ok(raw > 0)
    console.log(`# fixture outcomes: ${JSON.stringify(statuses)}`)
  })
})
