import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, clientFor, createOrganization, createTeam, createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../test/harness'
import { buildTicket, createApiToken, eventsOf, historyOf } from './test-support/ticket-factories'

describe('tickets API', () => {
  let env: TestEnv
  let agent: Client
  let agentId: string
  let customer: Client
  let customerId: string
  let other: Client
  before(async () => {
    env = await createTestEnv()
    const a = await createUser(env.ctx, { role: 'agent' })
    agentId = a.id
    agent = await loginAs(env.app, a)
    const c = await createUser(env.ctx, { role: 'customer' })
    customerId = c.id
    customer = await loginAs(env.app, c)
    other = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
  })
  after(async () => { await env.close() })

  describe('POST /api/v1/tickets', () => {
    it('refuses anonymous callers', async () => {
      const res = await anonymous(env.app).post('/api/v1/tickets', { subject: 'x' })
      assert.equal(res.statusCode, 401)
    })

    it('files a ticket from subject and description alone, with the defaults, history and event', async () => {
      const res = await customer.post('/api/v1/tickets', { subject: 'No puedo recargar', description: 'Me marca error al pagar' })
      assert.equal(res.statusCode, 201)
      const t = res.json()
      assert.ok(t.number >= 10000)
      assert.equal(t.status, 'new')
      assert.equal(t.customStatus.label, 'Nuevo')
      assert.equal(t.type.code, 'consulta')
      assert.equal(t.priority, 'normal')
      assert.equal(t.category, null)
      assert.equal(t.channel, 'web')
      assert.equal(t.requester.id, customerId)
      assert.equal(t.tags, undefined, 'customers get no internal attributes')
      assert.equal(t.abilities.commentInternal, false)
      const history = await historyOf(env.ctx, t.id)
      assert.equal(history[0].action, 'created')
      assert.equal(history[0].actor_id, customerId)
      assert.equal(history[0].via, 'web')
      const events = await eventsOf(env.ctx, t.id)
      assert.equal(events[0].type, 'ticket.created')
      assert.equal(events[0].payload.number, t.number)
    })

    it('gives every ticket a new, increasing number', async () => {
      const a = (await customer.post('/api/v1/tickets', { subject: 'Uno' })).json().number
      const b = (await customer.post('/api/v1/tickets', { subject: 'Dos' })).json().number
      assert.equal(b, a + 1)
    })

    it('answers bad input with 400 in Spanish, or English when asked', async () => {
      const es = await customer.post('/api/v1/tickets', { description: 'sin asunto', color: 'rojo' })
      assert.equal(es.statusCode, 400)
      assert.match(es.json().error.message, /falta el campo «subject»/)
      assert.match(es.json().error.message, /campo desconocido «color»/)
      const en = await customer.post('/api/v1/tickets', { subject: 5 }, { 'accept-language': 'en' })
      assert.equal(en.statusCode, 400)
      assert.match(en.json().error.message, /"subject" must be of type string/)
      const badType = await agent.post('/api/v1/tickets', { subject: 'x', type: 'inexistente' })
      assert.equal(badType.statusCode, 400)
      assert.equal(badType.json().error.message, 'No existe el tipo de ticket «inexistente».')
    })

    it('forbids customers from setting agent fields', async () => {
      const res = await customer.post('/api/v1/tickets', { subject: 'x', assigneeId: agentId })
      assert.equal(res.statusCode, 403)
      assert.equal(res.json().error.message, 'No puede modificar el campo «assigneeId».')
    })

    it('lets an agent file for a caller, creating the contact on the fly and finding it again by phone', async () => {
      const org = await createOrganization(env.ctx, 'Gasolinera Norte', { domains: ['norte.example'] })
      const res = await agent.post('/api/v1/tickets', {
        subject: 'Llamada: bomba 3 sin sistema', channel: 'phone', callId: 'CALL-778',
        requester: { name: 'Rosa Pérez', email: 'rosa@norte.example', phone: '55 1234 5678' },
      })
      assert.equal(res.statusCode, 201)
      const t = res.json()
      assert.equal(t.requester.name, 'Rosa Pérez')
      assert.equal(t.organization.id, org)
      assert.equal(t.channel, 'phone')
      assert.equal(t.callCount, 1)
      assert.deepEqual(t.externalRefs.map((r: { kind: string; value: string }) => [r.kind, r.value]), [['call_id', 'CALL-778']])
      const again = await agent.post('/api/v1/tickets', { subject: 'Otra llamada', requester: { name: 'Rosa', phone: '5512345678' } })
      assert.equal(again.json().requester.id, t.requester.id)
      // Someone else calling from the same line with an email of their own is not Rosa.
      const colleague = await agent.post('/api/v1/tickets', { subject: 'Desde el conmutador', requester: { name: 'Luis', email: 'luis@norte.example', phone: '55 1234 5678' } })
      assert.notEqual(colleague.json().requester.id, t.requester.id)
      assert.equal(colleague.json().requester.name, 'Luis')
      const role = await sql<{ role: string }>`select role from users where id = ${t.requester.id}`.execute(env.ctx.db)
      assert.equal(role.rows[0].role, 'customer')
      const noContact = await agent.post('/api/v1/tickets', { subject: 'x', requester: { name: 'Sin datos' } })
      assert.equal(noContact.statusCode, 400)
    })

    it('applies the category defaults (team, priority, type)', async () => {
      const team = await createTeam(env.ctx, 'Cobranza N1')
      const typeId = (await sql<{ id: string }>`select id from ticket_types where code = 'incidente_servicio'`.execute(env.ctx.db)).rows[0].id
      const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
      const root = (await admin.post('/api/v1/categories', { name: 'Administración' })).json()
      const sub = await admin.post('/api/v1/categories', { name: 'Cobranza', parentId: root.id, defaultTeamId: team, defaultPriority: 'high', defaultTypeId: typeId })
      assert.equal(sub.statusCode, 201)
      assert.equal(sub.json().fullName, 'Administración › Cobranza')
      const t = (await agent.post('/api/v1/tickets', { subject: 'Cobro doble', categoryId: sub.json().id })).json()
      assert.equal(t.team.id, team)
      assert.equal(t.priority, 'high')
      assert.equal(t.type.code, 'incidente_servicio')
      assert.deepEqual(t.category.path.map((p: { name: string }) => p.name), ['Administración', 'Cobranza'])
    })

    it('records the API token and the api channel for token callers; a read-only token may not create', async () => {
      const { token, id } = await createApiToken(env.ctx, agentId, ['tickets:read', 'tickets:write'])
      const api = clientFor(env.app, { bearer: token })
      const res = await api.post('/api/v1/tickets', { subject: 'Desde integración' })
      assert.equal(res.statusCode, 201)
      assert.equal(res.json().channel, 'api')
      const h = await historyOf(env.ctx, res.json().id)
      assert.equal(h[0].via, 'api')
      assert.equal(h[0].via_token_id, id)
      const ro = clientFor(env.app, { bearer: (await createApiToken(env.ctx, agentId, ['tickets:read'])).token })
      assert.equal((await ro.post('/api/v1/tickets', { subject: 'x' })).statusCode, 403)
    })

    it('files a ticket of a type that needs evidence as waiting for information', async () => {
      const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
      const type = await admin.post('/api/v1/ticket-types', { code: 'falla_pago', nameEs: 'Falla de pago', nameEn: 'Payment failure', requiresEvidence: true })
      assert.equal(type.statusCode, 201)
      const t = (await customer.post('/api/v1/tickets', { subject: 'Pago rechazado', type: 'falla_pago' })).json()
      assert.equal(t.status, 'pending')
    })
  })

  describe('GET /api/v1/tickets/:id', () => {
    it('shows a ticket to its requester and staff, 404 to anyone else, 401 to anonymous', async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId, tags: ['vip'] })
      assert.equal((await anonymous(env.app).get(`/api/v1/tickets/${t.id}`)).statusCode, 401)
      assert.equal((await other.get(`/api/v1/tickets/${t.id}`)).statusCode, 404)
      assert.equal((await other.get(`/api/v1/tickets/by-number/${t.number}`)).statusCode, 404)
      const mine = await customer.get(`/api/v1/tickets/${t.id}`)
      assert.equal(mine.statusCode, 200)
      assert.equal(mine.json().tags, undefined)
      const staff = await agent.get(`/api/v1/tickets/by-number/${t.number}`)
      assert.equal(staff.statusCode, 200)
      assert.deepEqual(staff.json().tags, ['vip'])
      assert.equal((await agent.get('/api/v1/tickets/00000000-0000-0000-0000-000000000001')).statusCode, 404)
      assert.equal((await agent.get('/api/v1/tickets/no-es-uuid')).statusCode, 400)
    })

    it('limits agents restricted to their teams or to assigned tickets', async () => {
      const teamA = await createTeam(env.ctx)
      const teamB = await createTeam(env.ctx)
      const teamAgent = await createUser(env.ctx, { role: 'agent', ticketScope: 'teams', teamIds: [teamA] })
      const assignedAgent = await createUser(env.ctx, { role: 'agent', ticketScope: 'assigned' })
      const inA = await buildTicket(env.ctx, agentId, { teamId: teamA })
      const inB = await buildTicket(env.ctx, agentId, { teamId: teamB, assigneeId: assignedAgent.id })
      const ta = await loginAs(env.app, teamAgent)
      assert.equal((await ta.get(`/api/v1/tickets/${inA.id}`)).statusCode, 200)
      assert.equal((await ta.get(`/api/v1/tickets/${inB.id}`)).statusCode, 404)
      const aa = await loginAs(env.app, assignedAgent)
      assert.equal((await aa.get(`/api/v1/tickets/${inA.id}`)).statusCode, 404)
      assert.equal((await aa.get(`/api/v1/tickets/${inB.id}`)).statusCode, 200)
      const list = (await ta.get('/api/v1/tickets?limit=100')).json().items.map((i: { id: string }) => i.id)
      assert.ok(list.includes(inA.id) && !list.includes(inB.id))
    })

    it("shows an organization's tickets to its manager only when the organization shares tickets", async () => {
      const shared = await createOrganization(env.ctx, undefined, { sharesTickets: true })
      const closed = await createOrganization(env.ctx, undefined, { sharesTickets: false })
      const colleague = await createUser(env.ctx, { role: 'customer', organizationId: shared })
      const manager = await loginAs(env.app, await createUser(env.ctx, { role: 'customer', organizationId: shared, orgManager: true }))
      const plain = await loginAs(env.app, await createUser(env.ctx, { role: 'customer', organizationId: shared }))
      const t = await buildTicket(env.ctx, agentId, { requesterId: colleague.id })
      assert.equal((await manager.get(`/api/v1/tickets/${t.id}`)).statusCode, 200)
      assert.equal((await plain.get(`/api/v1/tickets/${t.id}`)).statusCode, 404)
      const otherColleague = await createUser(env.ctx, { role: 'customer', organizationId: closed })
      const otherManager = await loginAs(env.app, await createUser(env.ctx, { role: 'customer', organizationId: closed, orgManager: true }))
      const t2 = await buildTicket(env.ctx, agentId, { requesterId: otherColleague.id })
      assert.equal((await otherManager.get(`/api/v1/tickets/${t2.id}`)).statusCode, 404)
    })
  })

  describe('PATCH /api/v1/tickets/:id', () => {
    it('changes fields with one history row each and one ticket.updated event', async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId })
      const res = await agent.patch(`/api/v1/tickets/${t.id}`, { priority: 'urgent', assigneeId: agentId, addTags: ['Falla', 'vip'] })
      assert.equal(res.statusCode, 200)
      assert.equal(res.json().priority, 'urgent')
      assert.equal(res.json().assignee.id, agentId)
      assert.deepEqual(res.json().tags, ['falla', 'vip'])
      const h = (await historyOf(env.ctx, t.id)).filter((r) => r.action === 'field_changed')
      assert.deepEqual(h.map((r) => r.field), ['priority', 'assignee', 'tags'])
      assert.equal(h[0].old_value, 'normal')
      assert.equal(h[0].new_value, 'urgent')
      assert.equal(h[2].internal, true)
      const ev = (await eventsOf(env.ctx, t.id)).filter((e) => e.type === 'ticket.updated')
      assert.equal(ev.length, 1)
      assert.deepEqual((ev[0].payload.changes as Array<{ field: string }>).map((c) => c.field), ['priority', 'assignee', 'tags'])
    })

    it('forbids customers from changing agent fields (403) and hides others\' tickets (404)', async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId })
      const res = await customer.patch(`/api/v1/tickets/${t.id}`, { priority: 'urgent' })
      assert.equal(res.statusCode, 403)
      assert.equal((await other.patch(`/api/v1/tickets/${t.id}`, { priority: 'urgent' })).statusCode, 404)
      assert.equal((await anonymous(env.app).patch(`/api/v1/tickets/${t.id}`, { priority: 'urgent' })).statusCode, 401)
    })

    it('refuses to assign a customer', async () => {
      const t = await buildTicket(env.ctx, agentId)
      const res = await agent.patch(`/api/v1/tickets/${t.id}`, { assigneeId: customerId })
      assert.equal(res.statusCode, 400)
      assert.equal(res.json().error.message, 'Solo se puede asignar a un agente, supervisor o administrador activo.')
    })

    it('enforces the transition table with a clear 409, in Spanish or English', async () => {
      const t = await buildTicket(env.ctx, agentId)
      const es = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'closed' })
      assert.equal(es.statusCode, 409)
      assert.equal(es.json().error.code, 'transition_not_allowed')
      assert.equal(es.json().error.message, 'No se puede cambiar el estatus de «Nuevo» a «Cerrado».')
      const en = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'closed' }, { 'accept-language': 'en' })
      assert.equal(en.json().error.message, 'The status cannot change from "New" to "Closed".')
      const unknown = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'volando' })
      assert.equal(unknown.statusCode, 400)
      const noReason = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'cancelled' })
      assert.equal(noReason.statusCode, 409)
      assert.equal(noReason.json().error.code, 'cancel_reason_required')
      // nothing half-written
      const h = await historyOf(env.ctx, t.id)
      assert.deepEqual(h.map((r) => r.action), ['created'])
    })

    it('records the third party and its case reference for on_hold, searchable as an external reference', async () => {
      const t = await buildTicket(env.ctx, agentId)
      const res = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'on_hold', thirdParty: 'Telcel', thirdPartyRef: 'TX-55821' })
      assert.equal(res.statusCode, 200)
      assert.equal(res.json().status, 'on_hold')
      assert.equal(res.json().thirdParty, 'Telcel')
      assert.equal(res.json().thirdPartyRef, 'TX-55821')
      const found = (await agent.get('/api/v1/tickets?externalRef=tx-55821')).json().items
      assert.deepEqual(found.map((i: { id: string }) => i.id), [t.id])
      const ev = (await eventsOf(env.ctx, t.id)).find((e) => e.type === 'ticket.status_changed')!
      assert.equal(ev.payload.from, 'new')
      assert.equal(ev.payload.to, 'on_hold')
    })

    it('cancels a duplicate with the original linked', async () => {
      const original = await buildTicket(env.ctx, agentId)
      const dup = await buildTicket(env.ctx, agentId)
      const self = await agent.patch(`/api/v1/tickets/${dup.id}`, { status: 'cancelled', cancelReason: 'duplicate', duplicateOfId: dup.id })
      assert.equal(self.statusCode, 400)
      const res = await agent.patch(`/api/v1/tickets/${dup.id}`, { status: 'cancelled', cancelReason: 'duplicate', duplicateOfId: original.id })
      assert.equal(res.statusCode, 200)
      assert.equal(res.json().cancelReason, 'duplicate')
      assert.equal(res.json().duplicateOfId, original.id)
      assert.ok(res.json().cancelledAt)
      const final = await agent.patch(`/api/v1/tickets/${dup.id}`, { priority: 'high' })
      assert.equal(final.statusCode, 409)
    })
  })

  describe('POST /api/v1/tickets/:id/calls', () => {
    it('counts calls, keeps the call ID searchable, and is for staff only', async () => {
      const t = await buildTicket(env.ctx, agentId, { requesterId: customerId })
      assert.equal((await customer.post(`/api/v1/tickets/${t.id}/calls`, { callId: 'C-1' })).statusCode, 403)
      const res = await agent.post(`/api/v1/tickets/${t.id}/calls`, { callId: 'C-2001' })
      assert.equal(res.statusCode, 201)
      assert.equal(res.json().callCount, 1)
      assert.equal((await agent.post(`/api/v1/tickets/${t.id}/calls`, {})).json().callCount, 2)
      assert.equal((await agent.post(`/api/v1/tickets/${t.id}/calls`, { callId: 5 })).statusCode, 400)
      const h = (await historyOf(env.ctx, t.id)).filter((r) => r.action === 'call_added')
      assert.equal(h.length, 2)
      assert.ok((await eventsOf(env.ctx, t.id)).some((e) => e.type === 'ticket.call_added'))
      const byRef = (await agent.get('/api/v1/tickets?externalRef=C-2001')).json().items
      assert.equal(byRef[0].id, t.id)
    })
  })

  describe('POST /api/v1/tickets/bulk', () => {
    it('updates many tickets and reports per ticket', async () => {
      const a = await buildTicket(env.ctx, agentId)
      const b = await buildTicket(env.ctx, agentId, { status: 'resolved' })
      const res = await agent.post('/api/v1/tickets/bulk', { ids: [a.id, b.id], changes: { status: 'pending', priority: 'low' } })
      assert.equal(res.statusCode, 200)
      const [ra, rb] = res.json().results
      assert.equal(ra.ok, true)
      assert.deepEqual(ra.changed.sort(), ['priority', 'status'])
      assert.equal(rb.ok, false)
      assert.equal(rb.error.code, 'transition_not_allowed')
      // b's priority change was rolled back with its refused status change
      assert.equal((await agent.get(`/api/v1/tickets/${b.id}`)).json().priority, 'normal')
      assert.equal((await customer.post('/api/v1/tickets/bulk', { ids: [a.id], changes: { priority: 'low' } })).statusCode, 403)
      assert.equal((await agent.post('/api/v1/tickets/bulk', { ids: [], changes: {} })).statusCode, 400)
    })
  })
})
