import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { smtpClient, startTestReceiver } from '../../email/test-support/email-test-kit'

/**
 * What the ticket configuration names elsewhere stays usable: saved views, mailboxes' defaults,
 * custom fields' types, and categories under a retired parent.
 */
describe('references between ticket configuration, views and mailboxes', () => {
  let env: TestEnv
  let admin: Client
  let agent: Client
  let customer: Client

  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    agent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    customer = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
  })
  after(async () => { await env.close() })

  const created = async (res: { statusCode: number; body: string; json(): { id: string } }) => {
    assert.equal(res.statusCode, 201, res.body)
    return res.json().id
  }

  describe('POST /api/v1/ticket-views', () => {
    it('answers 400 naming the team when the team does not exist (was a 500)', async () => {
      const res = await admin.post('/api/v1/ticket-views', { name: 'Equipo fantasma', teamId: '00000000-0000-4000-8000-000000000000' })
      assert.equal(res.statusCode, 400, res.body)
      assert.equal(res.json().error.message, 'No existe el equipo indicado.')
      assert.deepEqual(res.json().error.details, [{ field: 'teamId', rule: 'exists' }])
    })

    it('refuses filters the list would refuse, on create and on change, so a view never fails on every use', async () => {
      const bad: Array<[Record<string, unknown>, RegExp]> = [
        [{ priority: 'supreme' }, /«priority» debe ser uno de: urgent, high, normal, low/],
        [{ statusCategory: 'bogus' }, /«statusCategory» debe ser uno de/],
        [{ channel: 'fax' }, /«channel» debe ser uno de/],
        [{ categoryId: 'nope' }, /El filtro «categoryId» no admite «nope»/],
        [{ assignee: 'someone' }, /El filtro «assignee» no admite «someone»/],
        [{ cf: 'no_existe:1' }, /«no_existe:1» no es válido/],
      ]
      for (const [filters, message] of bad) {
        const res = await agent.post('/api/v1/ticket-views', { name: 'Mala', filters })
        assert.equal(res.statusCode, 400, `${JSON.stringify(filters)}: ${res.body}`)
        assert.match(res.json().error.message, /^Los filtros de la vista no son válidos: /)
        assert.match(res.json().error.message, message)
        assert.match(res.json().error.details[0].field, /^filters\./)
      }
      const en = await agent.post('/api/v1/ticket-views', { name: 'Bad', filters: { priority: 'supreme' } }, { 'accept-language': 'en' })
      assert.match(en.json().error.message, /^The view filters are not valid: "priority" must be one of/)
      assert.equal((await agent.get('/api/v1/ticket-views')).json().items.length, 0, 'nothing saved')

      const id = await created(await agent.post('/api/v1/ticket-views', { name: 'Urgentes', filters: { priority: 'urgent', assignee: 'me,unassigned' } }))
      assert.equal((await agent.patch(`/api/v1/ticket-views/${id}`, { filters: { channel: 'fax' } })).statusCode, 400)
      assert.equal((await agent.get(`/api/v1/tickets?view=${id}`)).statusCode, 200)
    })
  })

  describe('DELETE /api/v1/custom-fields/:id', () => {
    it('takes the field out of the saved views filtering on it, which keep their other filters', async () => {
      const fieldId = await created(await admin.post('/api/v1/custom-fields', { key: 'plan_contratado', labelEs: 'Plan', labelEn: 'Plan', kind: 'text' }))
      await created(await admin.post('/api/v1/custom-fields', { key: 'plan_previo', labelEs: 'Plan previo', labelEn: 'Previous plan', kind: 'text' }))
      const both = await created(await agent.post('/api/v1/ticket-views', { name: 'Plan y prioridad', filters: { priority: 'high', cf: ['plan_contratado:oro', 'plan_previo:plata'] } }))
      const only = await created(await agent.post('/api/v1/ticket-views', { name: 'Solo plan', filters: { cf: 'plan_contratado:oro' } }))
      assert.equal((await admin.delete(`/api/v1/custom-fields/${fieldId}`)).statusCode, 200)

      const views = new Map((await agent.get('/api/v1/ticket-views')).json().items.map((v: { id: string; filters: unknown }) => [v.id, v.filters]))
      assert.deepEqual(views.get(both), { priority: ['high'], cf: ['plan_previo:plata'] })
      assert.deepEqual(views.get(only), {})
      for (const id of [both, only]) assert.equal((await agent.get(`/api/v1/tickets?view=${id}`)).statusCode, 200)
    })
  })

  describe('DELETE /api/v1/ticket-types/:id and /categories/:id', () => {
    it('refuses (409) deleting the type or category a mailbox files its tickets with, naming the mailbox, and keeps the mailbox as it was', async () => {
      const typeId = await created(await admin.post('/api/v1/ticket-types', { code: 'facturacion', nameEs: 'Facturación', nameEn: 'Billing' }))
      const categoryId = await created(await admin.post('/api/v1/categories', { name: 'Facturas' }))
      const boxId = await created(await admin.post('/api/v1/mailboxes', { address: 'facturas@ayuda.test', name: 'Facturas', inbound: 'smtp', typeId, categoryId }))

      const type = await admin.delete(`/api/v1/ticket-types/${typeId}`)
      assert.equal(type.statusCode, 409, type.body)
      assert.equal(type.json().error.code, 'type_in_use')
      assert.equal(type.json().error.message, 'No se puede eliminar el tipo de ticket: es el predeterminado de el buzón «facturas@ayuda.test». Cámbielo ahí primero, o desactive el tipo.')
      const category = await admin.delete(`/api/v1/categories/${categoryId}`, { 'accept-language': 'en' })
      assert.equal(category.statusCode, 409, category.body)
      assert.equal(category.json().error.code, 'category_in_use')
      assert.match(category.json().error.message, /it is the default of the mailbox "facturas@ayuda\.test"/)
      const box = (await admin.get(`/api/v1/mailboxes/${boxId}`)).json()
      assert.deepEqual([box.typeId, box.categoryId], [typeId, categoryId])

      assert.equal((await admin.patch(`/api/v1/mailboxes/${boxId}`, { typeId: null, categoryId: null })).statusCode, 200)
      assert.equal((await admin.delete(`/api/v1/ticket-types/${typeId}`)).statusCode, 200)
      assert.equal((await admin.delete(`/api/v1/categories/${categoryId}`)).statusCode, 200)
    })

    it('refuses deleting a type a custom field is limited to, and a field naming a type deleted long ago stays editable', async () => {
      const typeId = await created(await admin.post('/api/v1/ticket-types', { code: 'mudanza', nameEs: 'Mudanza', nameEn: 'Moving' }))
      const fieldId = await created(await admin.post('/api/v1/custom-fields', { key: 'nueva_direccion', labelEs: 'Nueva dirección', labelEn: 'New address', kind: 'text', typeIds: [typeId] }))
      const res = await admin.delete(`/api/v1/ticket-types/${typeId}`)
      assert.equal(res.statusCode, 409, res.body)
      assert.match(res.json().error.message, /los campos personalizados «nueva_direccion» están limitados a él/)

      // A field left with the id of a type deleted before deletes were refused.
      const ghost = '00000000-0000-4000-8000-00000000beef'
      await sql`update custom_fields set type_ids = array[${typeId}::uuid, ${ghost}::uuid] where id = ${fieldId}`.execute(env.ctx.db)
      const renamed = await admin.patch(`/api/v1/custom-fields/${fieldId}`, { labelEs: 'Dirección nueva' })
      assert.equal(renamed.statusCode, 200, renamed.body)
      assert.equal((await admin.patch(`/api/v1/custom-fields/${fieldId}`, { typeIds: [typeId, ghost, '00000000-0000-4000-8000-00000000cafe'] })).statusCode, 400, 'new ids are still checked')
      assert.equal((await admin.patch(`/api/v1/custom-fields/${fieldId}`, { typeIds: [] })).statusCode, 200)
      assert.equal((await admin.delete(`/api/v1/ticket-types/${typeId}`)).statusCode, 200)
    })
  })

  describe('a retired parent category retires its subtree', () => {
    let parent: string
    let child: string
    let grandchild: string
    before(async () => {
      parent = await created(await admin.post('/api/v1/categories', { name: 'Servicios' }))
      child = await created(await admin.post('/api/v1/categories', { name: 'Internet', parentId: parent }))
      grandchild = await created(await admin.post('/api/v1/categories', { name: 'Fibra', parentId: child }))
    })

    it('hides the subtree from customers and refuses filing or moving tickets into it', async () => {
      const ticket = await agent.post('/api/v1/tickets', { subject: 'Sin servicio', description: 'x', requester: { name: 'Ana', email: 'ana.sub@cliente.test' } })
      assert.equal(ticket.statusCode, 201, ticket.body)
      assert.equal((await admin.patch(`/api/v1/categories/${parent}`, { active: false })).statusCode, 200)

      const names = (await customer.get('/api/v1/categories')).json().items.map((c: { id: string }) => c.id)
      assert.ok(![parent, child, grandchild].some((id) => names.includes(id)), 'none of the subtree')
      const staffView = (await agent.get('/api/v1/categories')).json().items.filter((c: { id: string }) => [parent, child, grandchild].includes(c.id))
      assert.equal(staffView.length, 3, 'staff still see them all (the console works out which are usable)')

      for (const who of [customer, agent]) {
        const res = await who.post('/api/v1/tickets', { subject: 'Fibra caída', description: 'x', categoryId: grandchild })
        assert.equal(res.statusCode, 400, res.body)
        assert.equal(res.json().error.message, 'No existe la categoría indicada.')
      }
      assert.equal((await agent.patch(`/api/v1/tickets/${ticket.json().id}`, { categoryId: child })).statusCode, 400)
      assert.equal((await admin.patch('/api/v1/ticket-settings', { defaultCategoryId: grandchild })).statusCode, 400)
      assert.equal((await admin.patch(`/api/v1/categories/${parent}`, { active: true })).statusCode, 200)
      assert.equal((await agent.post('/api/v1/tickets', { subject: 'Fibra caída', description: 'x', categoryId: grandchild,
        requester: { name: 'Ana', email: 'ana.sub@cliente.test' } })).statusCode, 201)
    })

    it('refuses retiring a parent of the default category (409), as for the default itself', async () => {
      assert.equal((await admin.patch('/api/v1/ticket-settings', { defaultCategoryId: grandchild })).statusCode, 200)
      const res = await admin.patch(`/api/v1/categories/${parent}`, { active: false })
      assert.equal(res.statusCode, 409, res.body)
      assert.equal(res.json().error.code, 'default_in_use')
      assert.equal((await admin.patch('/api/v1/ticket-settings', { defaultCategoryId: null })).statusCode, 200)
    })

    it('keeps mail to a mailbox whose category was retired with its parent as failed, as when the category itself is retired', async () => {
      await created(await admin.post('/api/v1/mailboxes', { address: 'fibra@ayuda.test', name: 'Fibra', inbound: 'smtp', categoryId: grandchild }))
      assert.equal((await admin.patch(`/api/v1/categories/${parent}`, { active: false })).statusCode, 200)
      const rx = await startTestReceiver(env.ctx)
      const client = smtpClient(rx.port)
      try {
        await client.send({ from: 'luis@cliente.mx', to: 'fibra@ayuda.test', subject: 'Sin fibra', text: 'No hay servicio', messageId: '<fibra-1@cliente.mx>' })
      } finally {
        client.close()
        await rx.stop()
      }
      const inbound = (await sql<{ status: string; error: string | null }>`select status, error from inbound_messages
        where message_key = '<fibra-1@cliente.mx>'`.execute(env.ctx.db)).rows[0]
      assert.equal(inbound.status, 'failed', 'kept, to reprocess once the mailbox or the category is fixed')
      assert.match(inbound.error ?? '', /tickets\.unknown_category/)
    })
  })
})
