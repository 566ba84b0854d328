import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { smtpClient, startTestReceiver } from '../../email/test-support/email-test-kit'

/**
 * A request is never lost because of the form: mail cannot fill a type's required custom fields, so
 * a mailed-in ticket of such a type starts waiting for the information (pending) instead of being
 * refused. People filing through the API still get the 400.
 */
describe('required custom fields of a mailed-in ticket', () => {
  let env: TestEnv
  let admin: Client
  let typeId: string
  const statusOf = async (key: string) => (await sql<{ status: string; error: string | null; ticket_id: string | null }>`
    select status, error, ticket_id from inbound_messages where message_key = ${key}`.execute(env.ctx.db)).rows[0]

  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    const type = await admin.post('/api/v1/ticket-types', { code: 'portabilidad', nameEs: 'Portabilidad', nameEn: 'Number porting' })
    assert.equal(type.statusCode, 201, type.body)
    typeId = type.json().id
    const field = await admin.post('/api/v1/custom-fields', {
      key: 'numero_portar', labelEs: 'Número a portar', labelEn: 'Number to port', kind: 'text', typeIds: [typeId], required: true, customerVisible: true, customerEditable: true,
    })
    assert.equal(field.statusCode, 201, field.body)
    const box = await admin.post('/api/v1/mailboxes', { address: 'portabilidad@ayuda.test', name: 'Portabilidad', inbound: 'smtp', typeId })
    assert.equal(box.statusCode, 201, box.body)
  })
  after(async () => { await env.close() })

  it('files the mail over SMTP as a pending ticket of the mailbox type instead of refusing it', async () => {
    const rx = await startTestReceiver(env.ctx)
    const client = smtpClient(rx.port)
    try {
      const sent = await client.send({
        from: 'Rosa Díaz <rosa@cliente.mx>', to: 'portabilidad@ayuda.test', subject: 'Quiero portar mi número', text: 'Hola, quiero cambiarme de compañía.',
        messageId: '<portar-1@cliente.mx>',
      })
      assert.match(sent.response, /^250 /)
    } finally {
      client.close()
      await rx.stop()
    }
    const inbound = await statusOf('<portar-1@cliente.mx>')
    assert.equal(inbound.status, 'ticket_created', inbound.error ?? '')
    const ticket = (await sql<{ status: string; type_id: string; custom_fields: Record<string, unknown> }>`
      select status, type_id, custom_fields from tickets where id = ${inbound.ticket_id}`.execute(env.ctx.db)).rows[0]
    assert.equal(ticket.status, 'pending', 'waits for the missing information, as R6 for evidence')
    assert.equal(ticket.type_id, typeId)
    assert.deepEqual(ticket.custom_fields, {})
    const moves = (await sql<{ via: string; new_value: { code?: string } }>`select via, new_value from ticket_history
      where ticket_id = ${inbound.ticket_id} and action = 'status_changed'`.execute(env.ctx.db)).rows
    assert.equal(moves.length, 1)
    assert.equal(moves[0].via, 'email')
  })

  it('still refuses staff and customers filing through the API without the field (400, in Spanish)', async () => {
    const agent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    const customer = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
    for (const who of [agent, customer]) {
      const res = await who.post('/api/v1/tickets', { subject: 'Portabilidad', description: 'Quiero portar', type: typeId })
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(res.json().error.details[0].field, 'customFields.numero_portar')
      assert.match(res.json().error.message, /«Número a portar» es obligatorio/)
    }
    const filed = await agent.post('/api/v1/tickets', { subject: 'Portabilidad', description: 'Quiero portar', type: typeId, customFields: { numero_portar: '5512345678' } })
    assert.equal(filed.statusCode, 201, filed.body)
    assert.equal(filed.json().status, 'new')
  })
})
