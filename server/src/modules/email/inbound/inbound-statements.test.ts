import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely'
import type Mail from 'nodemailer/lib/mailer'
import { createTestEnv, createUser, loginAs, type TestEnv } from '../../../../test/harness'
import type { AppContext } from '../../../platform/context'
import { listMailboxRecords, type MailboxRecord } from '../mailboxes/mailbox-directory'
import { receiveInbound } from './receive-inbound'
import { rawMail } from '../test-support/email-test-kit'

/** Counts the SQL statements Kysely sends (each transaction adds its BEGIN and COMMIT, not seen here). */
class StatementCounter implements KyselyPlugin {
  statements: string[] = []
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.statements.push(args.node.kind === 'RawNode' ? args.node.sqlFragments.join('?').replace(/\s+/g, ' ').trim() : args.node.kind)
    return args.node
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result
  }
}

const body = 'Buen día, desde ayer la línea no tiene datos. '.repeat(400)

/**
 * How many SQL statements one inbound message costs, in the steady state (caches warm), for a
 * new ticket from a known sender, from a new sender, and for a re-delivery. The bounds keep the
 * email module's share from creeping back; ticket creation's own statements are counted too.
 */
describe('SQL statements per inbound message', () => {
  let env: TestEnv
  let mailbox: MailboxRecord
  let counted: AppContext
  const counter = new StatementCounter()

  before(async () => {
    env = await createTestEnv()
    const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    assert.equal((await admin.post('/api/v1/mailboxes', { address: 'soporte@ayuda.test', name: 'Soporte', inbound: 'smtp' })).statusCode, 201)
    mailbox = (await listMailboxRecords(env.ctx.db))[0]
    counted = { ...env.ctx, db: env.ctx.db.withPlugin(counter) }
    for (let i = 0; i < 3; i++) {
      await receiveInbound(counted, { raw: await rawMail({ from: `calentar${i}@cliente.mx`, to: 'soporte@ayuda.test', subject: `Calentar ${i}`, text: body }), mailbox, source: 'smtp' })
    }
  })
  after(async () => { await env.close() })

  const measure = async (mail: Mail.Options) => {
    const raw = await rawMail(mail)
    counter.statements = []
    const outcome = await receiveInbound(counted, { raw, mailbox, source: 'smtp' })
    return { outcome, statements: [...counter.statements] }
  }

  it('counts a new ticket from a new sender, from a known one, and a re-delivery', async () => {
    const fresh = await measure({ from: 'Nueva Persona <nueva@cliente.mx>', to: 'soporte@ayuda.test', subject: 'Sin datos', text: body, messageId: '<nuevo-1@cliente.mx>' })
    assert.equal(fresh.outcome.status, 'ticket_created')
    const known = await measure({ from: 'Nueva Persona <nueva@cliente.mx>', to: 'soporte@ayuda.test', subject: 'Otra vez sin datos', text: body, messageId: '<nuevo-2@cliente.mx>' })
    assert.equal(known.outcome.status, 'ticket_created')
    const again = await measure({ from: 'Nueva Persona <nueva@cliente.mx>', to: 'soporte@ayuda.test', subject: 'Otra vez sin datos', text: body, messageId: '<nuevo-2@cliente.mx>' })
    assert.equal(again.outcome.duplicate, true)
    const total = (await sql<{ n: number }>`select count(*)::int as n from tickets`.execute(env.ctx.db)).rows[0].n
    assert.equal(total, 5)
    if (process.env.SHOW_STATEMENTS) for (const s of known.statements) console.log(`# ${s.slice(0, 140)}`)
    // The email module's own share: one statement claims the message, counts the sender, looks
    // the sender up (and checks other mailboxes); one records the outcome. Before: 7–8.
    const ours = (list: string[]) => list.filter((s) => /inbound_messages|email_sender_counters|from users where lower\(email\)|from users u where u\.id/.test(s))
    assert.equal(ours(known.statements).length, 2, known.statements.map((s) => s.slice(0, 140)).join('\n'))
    // A new address is not looked up again by findOrCreateRequester (the claim already did).
    assert.equal(ours(fresh.statements).length, 2, fresh.statements.map((s) => s.slice(0, 140)).join('\n'))
    assert.ok(known.statements.length <= 10, `${known.statements.length} statements for a new ticket from a known sender`)
    console.log(`# statements per message: new sender ${fresh.statements.length}, known sender ${known.statements.length}, re-delivery ${again.statements.length} (+ BEGIN/COMMIT)`)
  })
})
