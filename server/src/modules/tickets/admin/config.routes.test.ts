import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, createOrganization, createTeam, createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { buildTicket, historyOf } from '../test-support/ticket-factories'

describe('ticket configuration (admin) and contact search', () => {
  let env: TestEnv
  let admin: Client
  let agent: Client
  let agentId: string
  let customer: Client
  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    const a = await createUser(env.ctx, { role: 'agent' })
    agentId = a.id
    agent = await loginAs(env.app, a)
    customer = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
  })
  after(async () => { await env.close() })

  describe('/api/v1/ticket-types', () => {
    it('lists the four seeded types in the caller language', async () => {
      const es = (await customer.get('/api/v1/ticket-types')).json().items
      assert.deepEqual(es.map((x: { name: string }) => x.name), ['Consulta', 'Incidente en el servicio', 'Solicitud de cotización', 'Incidente de seguridad'])
      const en = (await customer.get('/api/v1/ticket-types', { 'accept-language': 'en' })).json().items
      assert.equal(en[0].name, 'Question')
      assert.equal((await anonymous(env.app).get('/api/v1/ticket-types')).statusCode, 401)
    })

    it('lets admins only create, rename and delete unused types', async () => {
      const body = { code: 'garantia', nameEs: 'Garantía', nameEn: 'Warranty' }
      assert.equal((await agent.post('/api/v1/ticket-types', body)).statusCode, 403)
      assert.equal((await admin.post('/api/v1/ticket-types', { ...body, code: 'Mal Código' })).statusCode, 400)
      const created = await admin.post('/api/v1/ticket-types', body)
      assert.equal(created.statusCode, 201)
      const dup = await admin.post('/api/v1/ticket-types', body)
      assert.equal(dup.statusCode, 409)
      assert.equal(dup.json().error.message, 'Ya existe un elemento con el código «garantia».')
      const sameName = await admin.post('/api/v1/ticket-types', { code: 'garantia_2', nameEs: ' garantía ', nameEn: 'Warranty 2' })
      assert.equal(sameName.statusCode, 409, 'two types named alike cannot be told apart in a form')
      assert.equal(sameName.json().error.message, 'Ya existe un tipo de ticket llamado «Garantía».')
      const renamed = await admin.patch(`/api/v1/ticket-types/${created.json().id}`, { nameEs: 'Garantías' })
      assert.equal(renamed.json().nameEs, 'Garantías')
      assert.equal((await admin.patch(`/api/v1/ticket-types/${created.json().id}`, { nameEn: 'Question' }, { 'accept-language': 'en' })).json().error.message,
        'There is already a ticket type called "Question".')
      await buildTicket(env.ctx, agentId, { type: 'garantia' })
      const inUse = await admin.delete(`/api/v1/ticket-types/${created.json().id}`)
      assert.equal(inUse.statusCode, 409)
      await admin.patch(`/api/v1/ticket-types/${created.json().id}`, { active: false })
      assert.equal((await agent.post('/api/v1/tickets', { subject: 'x', type: 'garantia' })).statusCode, 400)
      const unused = (await admin.post('/api/v1/ticket-types', { code: 'temporal', nameEs: 'T', nameEn: 'T' })).json()
      assert.equal((await admin.delete(`/api/v1/ticket-types/${unused.id}`)).statusCode, 200)
      const audit = await sql<{ action: string }>`select action from audit_log where action like 'tickets.type_%'`.execute(env.ctx.db)
      assert.ok(audit.rows.length >= 3)
    })
  })

  describe('/api/v1/categories', () => {
    it('keeps a tree: moves carry the subtree, cycles are refused, names unique per level', async () => {
      const a = (await admin.post('/api/v1/categories', { name: 'Soporte' })).json()
      const b = (await admin.post('/api/v1/categories', { name: 'Red', parentId: a.id })).json()
      const c = (await admin.post('/api/v1/categories', { name: 'Fibra', parentId: b.id })).json()
      assert.equal(c.fullName, 'Soporte › Red › Fibra')
      assert.equal(c.depth, 2)
      const cycle = await admin.patch(`/api/v1/categories/${a.id}`, { parentId: c.id })
      assert.equal(cycle.statusCode, 409)
      const other = (await admin.post('/api/v1/categories', { name: 'Operaciones' })).json()
      const moved = await admin.patch(`/api/v1/categories/${b.id}`, { parentId: other.id })
      assert.equal(moved.json().fullName, 'Operaciones › Red')
      const list = (await agent.get('/api/v1/categories')).json().items
      assert.equal(list.find((x: { id: string }) => x.id === c.id).fullName, 'Operaciones › Red › Fibra')
      assert.equal((await admin.post('/api/v1/categories', { name: 'red', parentId: other.id })).statusCode, 409)
      assert.equal((await admin.delete(`/api/v1/categories/${b.id}`)).statusCode, 409, 'has a sub-category')
      assert.equal((await admin.post('/api/v1/categories', { name: 'x', defaultPriority: 'altísima' })).statusCode, 400)
      assert.equal((await agent.post('/api/v1/categories', { name: 'x' })).statusCode, 403)
    })
  })

  describe('/api/v1/custom-fields', () => {
    it('validates values on every write: kind, options, required, customer-editable', async () => {
      const typeId = (await sql<{ id: string }>`select id from ticket_types where code = 'incidente_servicio'`.execute(env.ctx.db)).rows[0].id
      const steps = await admin.post('/api/v1/custom-fields', {
        key: 'pasos_realizados', labelEs: 'Pasos realizados', labelEn: 'Steps already tried', kind: 'long_text', required: true,
        customerVisible: true, customerEditable: true, typeIds: [typeId],
      })
      assert.equal(steps.statusCode, 201)
      await admin.post('/api/v1/custom-fields', { key: 'monto', labelEs: 'Monto', labelEn: 'Amount', kind: 'number', typeIds: [typeId] })
      await admin.post('/api/v1/custom-fields', { key: 'fecha_falla', labelEs: 'Fecha de la falla', labelEn: 'Failure date', kind: 'date', typeIds: [typeId], customerEditable: true })
      assert.equal((await admin.post('/api/v1/custom-fields', { key: 'sin_opciones', labelEs: 'x', labelEn: 'x', kind: 'select' })).statusCode, 400)
      assert.equal((await admin.post('/api/v1/custom-fields', { key: 'k', labelEs: 'x', labelEn: 'x', kind: 'color' })).statusCode, 400)
      const repeated = await admin.post('/api/v1/custom-fields', { key: 'plan', labelEs: 'Plan', labelEn: 'Plan', kind: 'select',
        options: [{ value: 'basico', labelEs: 'Básico', labelEn: 'Basic' }, { value: 'basico', labelEs: 'Plus', labelEn: 'Plus' }] })
      assert.equal(repeated.statusCode, 400)
      assert.equal(repeated.json().error.message, 'La opción «basico» está repetida: cada opción necesita su propio valor.')

      const missing = await customer.post('/api/v1/tickets', { subject: 'Sin servicio', type: 'incidente_servicio' })
      assert.equal(missing.statusCode, 400)
      assert.equal(missing.json().error.message, 'El campo «Pasos realizados» es obligatorio.')
      const missingEn = await customer.post('/api/v1/tickets', { subject: 'x', type: 'incidente_servicio' }, { 'accept-language': 'en' })
      assert.equal(missingEn.json().error.message, 'The field "Steps already tried" is required.')
      const agentOnly = await customer.post('/api/v1/tickets', { subject: 'x', type: 'incidente_servicio', customFields: { pasos_realizados: 'Reinicié', monto: 5 } })
      assert.equal(agentOnly.statusCode, 400, 'customers do not know agent-only fields')
      const badDate = await agent.post('/api/v1/tickets', { subject: 'x', type: 'incidente_servicio', customFields: { pasos_realizados: 'x', fecha_falla: '2026-02-30' } })
      assert.equal(badDate.statusCode, 400)
      assert.equal(badDate.json().error.message, 'El campo «Fecha de la falla» debe ser una fecha AAAA-MM-DD.')
      const badNumber = await agent.post('/api/v1/tickets', { subject: 'x', type: 'incidente_servicio', customFields: { pasos_realizados: 'x', monto: '10' } }, { 'accept-language': 'en' })
      assert.equal(badNumber.json().error.message, 'The field "Amount" must be a number.')
      const nul = await agent.post('/api/v1/tickets', { subject: 'x', type: 'incidente_servicio', customFields: { pasos_realizados: 'Reinicié\u0000' } })
      assert.equal(nul.statusCode, 400, 'PostgreSQL cannot store U+0000: refused with the field, not a 500')
      assert.equal(nul.json().error.message, 'El campo «Pasos realizados» contiene el carácter nulo (U+0000), que no se puede guardar.')
      const unknown = await agent.post('/api/v1/tickets', { subject: 'x', customFields: { pasos_realizados: 'x' } })
      assert.equal(unknown.statusCode, 400, 'the field belongs to another type')

      const ok = await customer.post('/api/v1/tickets', { subject: 'Sin servicio', type: 'incidente_servicio', customFields: { pasos_realizados: 'Reinicié el módem', fecha_falla: '2026-03-01' } })
      assert.equal(ok.statusCode, 201)
      const id = ok.json().id
      const clear = await customer.patch(`/api/v1/tickets/${id}`, { customFields: { pasos_realizados: null } })
      assert.equal(clear.statusCode, 400)
      const agentValue = await agent.patch(`/api/v1/tickets/${id}`, { customFields: { monto: 250.5 } })
      assert.equal(agentValue.statusCode, 200)
      assert.equal(agentValue.json().customFields.monto, 250.5)
      const forCustomer = (await customer.get(`/api/v1/tickets/${id}`)).json().customFields
      assert.deepEqual(forCustomer, { pasos_realizados: 'Reinicié el módem', fecha_falla: '2026-03-01' })
      const h = (await historyOf(env.ctx, id)).find((r) => r.field === 'custom_fields.monto')!
      assert.equal(h.internal, true)
      const custHistory = (await customer.get(`/api/v1/tickets/${id}/history`)).json().items
      assert.ok(!custHistory.some((r: { field: string }) => r.field === 'custom_fields.monto'))
      const locked = await admin.patch(`/api/v1/custom-fields/${steps.json().id}`, { kind: 'text' })
      assert.equal(locked.statusCode, 409)
      const forms = (await customer.get(`/api/v1/custom-fields?typeId=${typeId}`)).json().items
      assert.deepEqual(forms.map((f: { key: string }) => f.key).sort(), ['fecha_falla', 'pasos_realizados'])
    })

    it('a required checkbox is answered only by ticking it, as the forms ask (an explicit false is not an answer)', async () => {
      const typeId = (await sql<{ id: string }>`select id from ticket_types where code = 'solicitud_cotizacion'`.execute(env.ctx.db)).rows[0].id
      const created = await admin.post('/api/v1/custom-fields', {
        key: 'acepta_terminos', labelEs: 'Acepta términos', labelEn: 'Accepts the terms', kind: 'checkbox', required: true, customerVisible: true, customerEditable: true, typeIds: [typeId],
      })
      assert.equal(created.statusCode, 201, created.body)
      const base = { subject: 'Cotización de 20 líneas', type: 'solicitud_cotizacion' }
      const absent = await customer.post('/api/v1/tickets', base)
      assert.equal(absent.statusCode, 400)
      assert.equal(absent.json().error.message, 'Hay que marcar «Acepta términos»: es obligatorio.')
      const unticked = await customer.post('/api/v1/tickets', { ...base, customFields: { acepta_terminos: false } }, { 'accept-language': 'en' })
      assert.equal(unticked.statusCode, 400)
      assert.equal(unticked.json().error.message, '"Accepts the terms" must be ticked: it is required.')
      const ticked = await customer.post('/api/v1/tickets', { ...base, customFields: { acepta_terminos: true } })
      assert.equal(ticked.statusCode, 201, ticked.body)
      assert.equal((await customer.patch(`/api/v1/tickets/${ticked.json().id}`, { customFields: { acepta_terminos: false } })).statusCode, 400)
      // Retired, so the other tests' quotes do not need it.
      assert.equal((await admin.patch(`/api/v1/custom-fields/${created.json().id}`, { active: false })).statusCode, 200)
    })
  })

  describe('/api/v1/statuses', () => {
    it('adds custom statuses mapped to a code, usable in changes, filters and counts', async () => {
      const seeded = (await agent.get('/api/v1/statuses')).json().items
      assert.deepEqual(seeded.map((s: { label: string }) => s.label),
        ['Nuevo', 'En proceso', 'En espera de información', 'Dependencia de un tercero', 'Resuelto', 'Cerrado', 'Cancelado'])
      const custom = await admin.post('/api/v1/statuses', { key: 'esperando_operador', status: 'on_hold', labelEs: 'Esperando al operador', labelEn: 'Waiting for carrier' })
      assert.equal(custom.statusCode, 201)
      assert.equal((await admin.post('/api/v1/statuses', { key: 'x', status: 'volando', labelEs: 'x', labelEn: 'x' })).statusCode, 400)
      const builtin = seeded.find((s: { key: string }) => s.key === 'open')
      assert.equal((await admin.delete(`/api/v1/statuses/${builtin.id}`)).statusCode, 409)
      const t = await buildTicket(env.ctx, agentId)
      const moved = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'esperando_operador', thirdParty: 'AT&T' })
      assert.equal(moved.statusCode, 200)
      assert.equal(moved.json().status, 'on_hold')
      assert.equal(moved.json().customStatus.label, 'Esperando al operador')
      const listed = (await agent.get('/api/v1/tickets?status=esperando_operador')).json().items
      assert.deepEqual(listed.map((i: { id: string }) => i.id), [t.id])
      const counts = (await agent.get('/api/v1/tickets/counts')).json()
      assert.equal(counts.byCustomStatus.find((s: { key: string }) => s.key === 'esperando_operador').count, 1)
      assert.equal((await admin.delete(`/api/v1/statuses/${custom.json().id}`)).statusCode, 409, 'in use')
    })
  })

  describe('/api/v1/ticket-settings', () => {
    it('changes the defaults used when a creator omits type and priority', async () => {
      assert.equal((await admin.patch('/api/v1/ticket-settings', { defaultTypeCode: 'nada' })).statusCode, 400)
      await admin.patch('/api/v1/ticket-settings', { defaultTypeCode: 'solicitud_cotizacion', defaultPriority: 'low' })
      const t = (await customer.post('/api/v1/tickets', { subject: 'Cotizar 10 líneas' })).json()
      assert.equal(t.type.code, 'solicitud_cotizacion')
      assert.equal(t.priority, 'low')
      await admin.patch('/api/v1/ticket-settings', { defaultTypeCode: 'consulta', defaultPriority: 'normal' })
    })
  })

  describe('GET /api/v1/contacts/search', () => {
    it('finds contacts by phone in any format, email, accent-insensitive name and site code; staff only', async () => {
      const org = await createOrganization(env.ctx, 'Estaciones del Bajío')
      const site = (await sql<{ id: string }>`insert into sites (organization_id, code, name) values (${org}, 'GDL-07', 'Guadalajara 7') returning id`.execute(env.ctx.db)).rows[0].id
      const u = (await sql<{ id: string }>`insert into users (name, email, phone, role, organization_id, site_id)
        values ('José Ramírez', 'jose@bajio.example', '+52 (33) 1234-5678', 'customer', ${org}, ${site}) returning id`.execute(env.ctx.db)).rows[0].id
      const search = async (q: string) => (await agent.get(`/api/v1/contacts/search?q=${encodeURIComponent(q)}`)).json().items.map((x: { id: string }) => x.id)
      assert.ok((await search('3312345678')).includes(u))
      assert.ok((await search('1234-5678')).includes(u))
      assert.ok((await search('jose@bajio')).includes(u))
      assert.ok((await search('ramirez')).includes(u))
      assert.ok((await search('gdl-07')).includes(u))
      const hit = (await agent.get('/api/v1/contacts/search?q=jose@bajio.example')).json().items[0]
      assert.equal(hit.site.code, 'GDL-07')
      assert.equal(hit.organization.name, 'Estaciones del Bajío')
      assert.equal((await customer.get('/api/v1/contacts/search?q=jose')).statusCode, 403)
      assert.equal((await agent.get('/api/v1/contacts/search?q=j')).statusCode, 400)
    })

    it("counts only the tickets the agent may see, and names the latest of those (a team-restricted agent got other teams' numbers)", async () => {
      const mine = await createTeam(env.ctx, 'Mesa de contactos')
      const theirs = await createTeam(env.ctx, 'Otra mesa de contactos')
      const caller = await createUser(env.ctx, { role: 'customer', email: 'rosa.contactos@cliente.example', name: 'Rosa Contactos' })
      const seen = await buildTicket(env.ctx, agentId, { requesterId: caller.id, teamId: mine })
      await buildTicket(env.ctx, agentId, { requesterId: caller.id, teamId: theirs })
      const restricted = await loginAs(env.app, await createUser(env.ctx, { role: 'agent', ticketScope: 'teams', teamIds: [mine] }))
      const hit = (await restricted.get('/api/v1/contacts/search?q=rosa.contactos@cliente.example')).json().items[0]
      assert.equal(hit.openTickets, 1)
      assert.deepEqual(hit.lastTicket, { id: seen.id, number: seen.number })
      assert.equal((await agent.get('/api/v1/contacts/search?q=rosa.contactos@cliente.example')).json().items[0].openTickets, 2, 'an agent who sees all counts both')
    })
  })
})
