import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { actorForUser } from '../../platform/auth/load-actor'
import { inTransaction } from '../../platform/db/database'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../test/harness'
import { changeStatus } from './commands/change-status'
import { buildTicket } from './test-support/ticket-factories'

/** Edge cases of the ticket core found by exploratory testing: each was a lost reply, a 500 or a silent wrong answer. */
describe('tickets: edge cases', () => {
  let env: TestEnv
  let admin: Client
  let agent: Client
  let agentId: string
  let customer: Client
  let customerId: string
  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    const a = await createUser(env.ctx, { role: 'agent' })
    agentId = a.id
    agent = await loginAs(env.app, a)
    const c = await createUser(env.ctx, { role: 'customer' })
    customerId = c.id
    customer = await loginAs(env.app, c)
  })
  after(async () => { await env.close() })

  /** A ticket of the customer's, resolved and then closed. */
  async function closedTicket(input: Parameters<typeof buildTicket>[2] = {}) {
    const t = await buildTicket(env.ctx, agentId, { requesterId: customerId, status: 'resolved', ...input })
    const system = { ...(await actorForUser(env.ctx.db, agentId))!, via: 'system' as const }
    await inTransaction(env.ctx.db, (trx) => changeStatus(trx, { actor: system, now: env.ctx.now() }, t.id, { status: 'closed' }, { skipAuthorize: true }))
    return t
  }

  describe('a reply to a closed ticket always opens its follow-up', () => {
    it('even when the type has since gained a required field, and the follow-up keeps the old values', async () => {
      const type = (await admin.post('/api/v1/ticket-types', { code: 'edge_form', nameEs: 'Con formulario', nameEn: 'With form' })).json()
      const kept = await admin.post('/api/v1/custom-fields', { key: 'edge_line', labelEs: 'Línea', labelEn: 'Line', kind: 'text', typeIds: [type.id] })
      assert.equal(kept.statusCode, 201, kept.body)
      const t = await closedTicket({ type: 'edge_form', customFields: { edge_line: '5512345678' } })
      const added = await admin.post('/api/v1/custom-fields', { key: 'edge_required', labelEs: 'Obligatorio', labelEn: 'Required', kind: 'text', typeIds: [type.id], required: true })
      assert.equal(added.statusCode, 201, added.body)
      for (const who of [customer, agent]) {
        const res = await who.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Sigue sin funcionar' })
        assert.equal(res.statusCode, 201, res.body)
        const followUp = res.json().followUpTicket
        assert.ok(followUp, res.body)
        const detail = (await agent.get(`/api/v1/tickets/${followUp.id}`)).json()
        assert.equal(detail.type.code, 'edge_form')
        assert.equal(detail.customFields.edge_line, '5512345678')
      }
    })

    it('even when its category and type were retired: the follow-up takes the defaults', async () => {
      const type = (await admin.post('/api/v1/ticket-types', { code: 'edge_old', nameEs: 'Viejo', nameEn: 'Old' })).json()
      const category = (await admin.post('/api/v1/categories', { name: 'Categoría retirada' })).json()
      const t = await closedTicket({ type: 'edge_old', categoryId: category.id })
      assert.equal((await admin.patch(`/api/v1/ticket-types/${type.id}`, { active: false })).statusCode, 200)
      assert.equal((await admin.patch(`/api/v1/categories/${category.id}`, { active: false })).statusCode, 200)
      const res = await customer.post(`/api/v1/tickets/${t.id}/comments`, { body: 'Otra vez' })
      assert.equal(res.statusCode, 201, res.body)
      const detail = (await agent.get(`/api/v1/tickets/${res.json().followUpTicket.id}`)).json()
      assert.equal(detail.type.code, 'consulta')
      assert.equal(detail.category, null)
    })
  })

  describe('the defaults new tickets take cannot be retired', () => {
    it('refuses to deactivate or delete the default type or category (409, es/en); a category default type that is retired is skipped', async () => {
      const category = (await admin.post('/api/v1/categories', { name: 'Predeterminada' })).json()
      const type = (await admin.post('/api/v1/ticket-types', { code: 'edge_default', nameEs: 'Predeterminado', nameEn: 'Default' })).json()
      assert.equal((await admin.patch('/api/v1/ticket-settings', { defaultCategoryId: category.id, defaultTypeCode: 'edge_default' })).statusCode, 200)
      try {
        for (const res of [
          await admin.patch(`/api/v1/categories/${category.id}`, { active: false }),
          await admin.delete(`/api/v1/categories/${category.id}`),
          await admin.patch(`/api/v1/ticket-types/${type.id}`, { active: false }),
          await admin.delete(`/api/v1/ticket-types/${type.id}`, { 'accept-language': 'en' }),
        ]) {
          assert.equal(res.statusCode, 409, res.body)
          assert.equal(res.json().error.code, 'default_in_use')
        }
        assert.match((await admin.delete(`/api/v1/categories/${category.id}`)).json().error.message, /Es la categoría predeterminada/)
        assert.match((await admin.delete(`/api/v1/ticket-types/${type.id}`, { 'accept-language': 'en' })).json().error.message, /default type of new tickets/)
        const created = await customer.post('/api/v1/tickets', { subject: 'Con los valores predeterminados' })
        assert.equal(created.statusCode, 201, created.body)
        assert.equal(created.json().type.code, 'edge_default')
      } finally {
        await admin.patch('/api/v1/ticket-settings', { defaultCategoryId: null, defaultTypeCode: 'consulta' })
      }
      // A category whose default type is retired files with the admin default instead of refusing everyone.
      const retired = (await admin.post('/api/v1/ticket-types', { code: 'edge_retired', nameEs: 'Retirado', nameEn: 'Retired' })).json()
      const withType = (await admin.post('/api/v1/categories', { name: 'Con tipo', defaultTypeId: retired.id })).json()
      await admin.patch(`/api/v1/ticket-types/${retired.id}`, { active: false })
      const res = await customer.post('/api/v1/tickets', { subject: 'En la categoría', categoryId: withType.id })
      assert.equal(res.statusCode, 201, res.body)
      assert.equal(res.json().type.code, 'consulta')
      const refused = await admin.post('/api/v1/categories', { name: 'Con tipo retirado', defaultTypeId: retired.id })
      assert.equal(refused.statusCode, 400, refused.body)
    })
  })

  it("changing a ticket's type asks for the new type's required fields (tickets of that type lacked them)", async () => {
    const type = (await admin.post('/api/v1/ticket-types', { code: 'edge_retype', nameEs: 'Con serie', nameEn: 'With serial' })).json()
    const field = await admin.post('/api/v1/custom-fields', { key: 'edge_serial', labelEs: 'Número de serie', labelEn: 'Serial number', kind: 'text', typeIds: [type.id], required: true })
    assert.equal(field.statusCode, 201, field.body)
    const t = await buildTicket(env.ctx, agentId, { requesterId: customerId })
    const refused = await agent.patch(`/api/v1/tickets/${t.id}`, { type: 'edge_retype' }, { 'accept-language': 'es-MX' })
    assert.equal(refused.statusCode, 400, refused.body)
    assert.match(refused.json().error.message, /Número de serie/)
    assert.deepEqual(refused.json().error.details, [{ field: 'customFields.edge_serial', rule: 'required' }])
    assert.notEqual((await agent.get(`/api/v1/tickets/${t.id}`)).json().type.code, 'edge_retype', 'nothing written')
    const done = await agent.patch(`/api/v1/tickets/${t.id}`, { type: 'edge_retype', customFields: { edge_serial: 'SN-4471' } })
    assert.equal(done.statusCode, 200, done.body)
    assert.equal(done.json().type.code, 'edge_retype')
    assert.equal(done.json().customFields.edge_serial, 'SN-4471')
    // Later changes of other fields do not ask again, and the value cannot be cleared.
    assert.equal((await agent.patch(`/api/v1/tickets/${t.id}`, { priority: 'high' })).statusCode, 200)
    assert.equal((await agent.patch(`/api/v1/tickets/${t.id}`, { customFields: { edge_serial: null } })).statusCode, 400)
  })

  it('an agent restricted to their teams or assigned tickets keeps sight of a ticket they file without a team of theirs: it is theirs', async () => {
    const team = (await sql<{ id: string }>`insert into teams (name) values ('Mesa propia') returning id`.execute(env.ctx.db)).rows[0].id
    const other = (await sql<{ id: string }>`insert into teams (name) values ('Mesa ajena') returning id`.execute(env.ctx.db)).rows[0].id
    for (const scope of ['teams', 'assigned'] as const) {
      const user = await createUser(env.ctx, { role: 'agent', ticketScope: scope, teamIds: [team] })
      const restricted = await loginAs(env.app, user)
      const filed = await restricted.post('/api/v1/tickets', { subject: 'Llamada de cliente', description: 'Sin señal', requesterId: customerId })
      assert.equal(filed.statusCode, 201, filed.body)
      assert.equal(filed.json().assignee?.id, user.id, scope)
      assert.equal((await restricted.get(`/api/v1/tickets/${filed.json().id}`)).statusCode, 200, `${scope}: still theirs after filing`)
      // Filed for a team of theirs (teams scope) or for someone else explicitly: left as asked.
      const handed = await restricted.post('/api/v1/tickets', { subject: 'Para otra mesa', description: 'x', requesterId: customerId, teamId: other, assigneeId: null })
      assert.equal(handed.statusCode, 201, handed.body)
      assert.equal(handed.json().assignee, null)
    }
    const teamsAgent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent', ticketScope: 'teams', teamIds: [team] }))
    const forTeam = await teamsAgent.post('/api/v1/tickets', { subject: 'Para mi mesa', description: 'x', requesterId: customerId, teamId: team })
    assert.equal(forTeam.json().assignee, null, 'visible through the team: no assignee forced')
    const free = await agent.post('/api/v1/tickets', { subject: 'Agente sin restricción', description: 'x', requesterId: customerId })
    assert.equal(free.json().assignee, null)
  })

  it('cancelling as a duplicate links the two tickets, and refuses a cycle', async () => {
    const e = await buildTicket(env.ctx, agentId)
    const f = await buildTicket(env.ctx, agentId)
    const res = await agent.patch(`/api/v1/tickets/${e.id}`, { status: 'cancelled', cancelReason: 'duplicate', duplicateOfId: f.id })
    assert.equal(res.statusCode, 200, res.body)
    const links = (await agent.get(`/api/v1/tickets/${f.id}/links`)).json()
    assert.deepEqual(links.items.map((l: { type: string; ticket: { id: string } }) => [l.type, l.ticket.id]), [['duplicated_by', e.id]])
    const back = await agent.patch(`/api/v1/tickets/${f.id}`, { status: 'cancelled', cancelReason: 'duplicate', duplicateOfId: e.id })
    assert.equal(back.statusCode, 409, back.body)
    assert.equal(back.json().error.code, 'link_cycle')
    assert.equal((await agent.get(`/api/v1/tickets/${f.id}`)).json().status, 'new', 'nothing half-written')
  })

  it('a closed ticket answers 409 saying it is final, not 403, to what staff could do on an open one', async () => {
    const t = await closedTicket()
    for (const res of [
      await agent.patch(`/api/v1/tickets/${t.id}`, { priority: 'high' }),
      await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'open' }),
      await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'nota', internal: true }),
    ]) {
      assert.equal(res.statusCode, 409, res.body)
      assert.match(res.json().error.message, /cerrado o cancelado/)
    }
    // What nobody may do stays 403.
    assert.equal((await customer.post(`/api/v1/tickets/${t.id}/comments`, { body: 'nota', internal: true })).statusCode, 403)
  })

  it('a status or type written as 36 hex digits or dashes is an unknown one (400), not a 500', async () => {
    const t = await buildTicket(env.ctx, agentId)
    for (const body of [{ status: 'a'.repeat(36) }, { status: '-'.repeat(36) }, { type: 'f'.repeat(36) }]) {
      const res = await agent.patch(`/api/v1/tickets/${t.id}`, body)
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)} ${res.body}`)
    }
    assert.equal((await admin.patch('/api/v1/ticket-settings', { defaultTypeCode: '0'.repeat(36) })).statusCode, 400)
  })

  it('counts tickets under the search, as the list finds them', async () => {
    const word = 'zumbadorinaudito'
    await buildTicket(env.ctx, agentId, { subject: `El ${word} falla`, requesterId: customerId })
    const hidden = await buildTicket(env.ctx, agentId, { subject: 'Sin la palabra' })
    await agent.post(`/api/v1/tickets/${hidden.id}/comments`, { body: `nota con ${word}`, internal: true })
    const staff = (await agent.get(`/api/v1/tickets/counts?q=${word}`)).json()
    assert.equal(staff.total, 2)
    const own = (await customer.get(`/api/v1/tickets/counts?q=${word}`)).json()
    assert.equal(own.total, 1, 'an internal note never counts for a customer')
    assert.equal((await agent.get('/api/v1/tickets/counts?q=zzqqxxnada')).json().total, 0)
    // Two letters of any alphabet are a search ("sí"), not "too short".
    assert.equal((await agent.get(`/api/v1/tickets?q=${encodeURIComponent('sí')}`)).statusCode, 200)
    // The counts are the search's, not the whole table's, and the list finds the same tickets.
    assert.ok((await agent.get('/api/v1/tickets/counts')).json().total > staff.total)
    assert.equal((await agent.get(`/api/v1/tickets?q=${word}`)).json().items.length, staff.total)
    assert.equal((await customer.get(`/api/v1/tickets?q=${word}`)).json().items.length, own.total)
  })

  it('a saved view takes only filter values the list accepts (a bad date or list was a 500 on every use)', async () => {
    for (const filters of [{ createdFrom: 'yesterday' }, { externalRef: ['a', 'b'] }, { estatus: 'open' }, { sla: 'tarde' }]) {
      const res = await agent.post('/api/v1/ticket-views', { name: 'Vista', filters }, { 'accept-language': 'en' })
      assert.equal(res.statusCode, 400, `${JSON.stringify(filters)} ${res.body}`)
      assert.match(res.json().error.message, /^The view filters are not valid: /)
    }
    const view = await agent.post('/api/v1/ticket-views', { name: 'Urgentes de hoy', filters: { priority: 'urgent', createdFrom: '2026-01-01T00:00:00Z' } })
    assert.equal(view.statusCode, 201, view.body)
    assert.deepEqual(view.json().filters.priority, ['urgent'])
    assert.equal((await agent.get(`/api/v1/tickets?view=${view.json().id}`)).statusCode, 200)
    assert.equal((await agent.get(`/api/v1/tickets/counts?view=${view.json().id}`)).statusCode, 200)
  })

  it('putting a ticket on hold with another third party does not keep the previous party\'s case number', async () => {
    const t = await buildTicket(env.ctx, agentId, { status: 'open' })
    await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'on_hold', thirdParty: 'Telcel', thirdPartyRef: 'TEL-1' })
    await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'open' })
    const again = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'on_hold', thirdParty: 'AT&T' })
    assert.equal(again.statusCode, 200, again.body)
    assert.deepEqual([again.json().thirdParty, again.json().thirdPartyRef], ['AT&T', null])
    await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'open' })
    const same = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'on_hold' })
    assert.deepEqual([same.json().thirdParty, same.json().thirdPartyRef], ['AT&T', null])
    // Still on hold, the party gives its case number, or another party takes over (it was a silent no-op).
    const ref = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'on_hold', thirdPartyRef: 'ATT-77' })
    assert.deepEqual([ref.json().status, ref.json().thirdParty, ref.json().thirdPartyRef], ['on_hold', 'AT&T', 'ATT-77'])
    const other = await agent.patch(`/api/v1/tickets/${t.id}`, { status: 'on_hold', thirdParty: 'Movistar' })
    assert.deepEqual([other.json().thirdParty, other.json().thirdPartyRef], ['Movistar', null])
    const rows = (await sql<{ new_value: { name: string; reference: string | null } }>`select new_value from ticket_history
      where ticket_id = ${t.id} and field = 'third_party' order by id`.execute(env.ctx.db)).rows.map((r) => `${r.new_value.name}/${r.new_value.reference}`)
    assert.deepEqual(rows.slice(-2), ['AT&T/ATT-77', 'Movistar/null'])
    const found = (await agent.get('/api/v1/tickets?q=ATT-77')).json().items.map((i: { id: string }) => i.id)
    assert.deepEqual(found, [t.id], 'the case number is searchable')
  })

  it('text that must not be empty must not be only spaces either (it was stored as "")', async () => {
    const t = await buildTicket(env.ctx, agentId)
    const cases: Array<[Client, 'post' | 'patch', string, unknown]> = [
      [customer, 'post', '/api/v1/tickets', { subject: '   ' }],
      [agent, 'patch', `/api/v1/tickets/${t.id}`, { subject: ' \t ' }],
      [agent, 'post', '/api/v1/ticket-views', { name: '   ' }],
      [admin, 'post', '/api/v1/categories', { name: '   ' }],
    ]
    for (const [who, method, url, body] of cases) {
      const res = method === 'post' ? await who.post(url, body) : await who.patch(url, body)
      assert.equal(res.statusCode, 400, `${url} ${res.body}`)
      assert.match(res.json().error.message, /no puede quedar en blanco/)
    }
    const imported = await admin.post('/api/v1/tickets/import', { source: 'blancos', tickets: [{ subject: '   ', requester: { email: 'blanco@cliente.test' }, createdAt: '2024-01-01T00:00:00Z' }] })
    assert.equal(imported.statusCode, 200, imported.body)
    assert.equal(imported.json().results[0].status, 'failed')
    assert.match(imported.json().results[0].error.message, /en blanco/)
  })

  it('the same Idempotency-Key sent several times at once files one ticket; a failed request frees its key', async () => {
    const before = (await sql<{ n: number }>`select count(*)::int as n from tickets`.execute(env.ctx.db)).rows[0].n
    const answers = await Promise.all([1, 2, 3, 4].map(() => agent.post('/api/v1/tickets', { subject: 'Una sola vez' }, { 'idempotency-key': 'a-la-vez' })))
    const after = (await sql<{ n: number }>`select count(*)::int as n from tickets`.execute(env.ctx.db)).rows[0].n
    assert.equal(after - before, 1, answers.map((a) => a.statusCode).join())
    for (const a of answers) assert.ok([201, 409].includes(a.statusCode), a.body)
    const again = await agent.post('/api/v1/tickets', { subject: 'Una sola vez' }, { 'idempotency-key': 'a-la-vez' })
    assert.equal(again.statusCode, 201)
    assert.equal(again.headers['idempotent-replayed'], 'true')
    assert.equal(new Set(answers.filter((a) => a.statusCode === 201).concat(again).map((a) => a.json().number)).size, 1)
    // A request that fails leaves its key free for the retry.
    const missing = await agent.post('/api/v1/tickets/00000000-0000-4000-8000-000000000000/comments', { body: 'hola' }, { 'idempotency-key': 'reintento' })
    assert.equal(missing.statusCode, 404)
    const t = await buildTicket(env.ctx, agentId)
    const retried = await agent.post(`/api/v1/tickets/${t.id}/comments`, { body: 'hola' }, { 'idempotency-key': 'reintento' })
    assert.equal(retried.statusCode, 201, retried.body)
  })

  it('past the reopen window a resolved ticket no longer offers reopening (it answered 409 when taken up)', async () => {
    const t = await buildTicket(env.ctx, agentId, { requesterId: customerId, status: 'resolved' })
    const inside = (await customer.get(`/api/v1/tickets/${t.id}`)).json()
    assert.deepEqual([inside.abilities.reopen, inside.allowedStatuses], [true, ['open', 'closed']])
    const started = env.ctx.now()
    env.clock.set(new Date(started.getTime() + 8 * 86_400_000))
    try {
      for (const who of [customer, agent]) {
        const past = (await who.get(`/api/v1/tickets/${t.id}`)).json()
        assert.deepEqual([past.abilities.reopen, past.allowedStatuses], [false, ['closed']])
      }
    } finally {
      env.clock.set(started)
    }
  })

  it('a filter value outside a closed list (priority, status category, channel) is a 400 naming the choices, not an empty page', async () => {
    for (const query of ['priority=URGENT', 'statusCategory=abierto', 'channel=fax']) {
      const res = await agent.get(`/api/v1/tickets?${query}`)
      assert.equal(res.statusCode, 400, `${query} ${res.body}`)
      assert.match(res.json().error.message, /debe ser uno de/)
    }
    assert.equal((await agent.get('/api/v1/tickets?priority=urgent&priority=high&channel=phone&statusCategory=open')).statusCode, 200)
  })

  it('a customer cannot page staff with mentions or pick a comment\'s channel', async () => {
    const t = await buildTicket(env.ctx, agentId, { requesterId: customerId })
    for (const body of [{ body: 'hola', mentions: [agentId] }, { body: 'hola', channel: 'phone' }]) {
      const res = await customer.post(`/api/v1/tickets/${t.id}/comments`, body)
      assert.equal(res.statusCode, 403, res.body)
    }
    const agentEmail = (await sql<{ email: string }>`select email from users where id = ${agentId}`.execute(env.ctx.db)).rows[0].email
    const res = await customer.post(`/api/v1/tickets/${t.id}/comments`, { body: `Gracias @${agentEmail} por la ayuda` })
    assert.equal(res.statusCode, 201, res.body)
    const mentioned = (await sql<{ n: number }>`select count(*)::int as n from events where ticket_id = ${t.id} and type = 'comment.mentioned'`.execute(env.ctx.db)).rows[0].n
    assert.equal(mentioned, 0)
  })

  it('a customer cannot filter or sort by what they are not shown (team, tags, external references, SLA): they could probe the values', async () => {
    const t = await buildTicket(env.ctx, agentId, { requesterId: customerId })
    assert.equal((await agent.patch(`/api/v1/tickets/${t.id}`, { addTags: ['vip-interno'] })).statusCode, 200)
    for (const query of ['tag=vip-interno', 'externalRef=SEC-4242', 'teamId=00000000-0000-0000-0000-000000000001', 'sla=breached', 'sort=sla_due']) {
      for (const path of ['/api/v1/tickets', '/api/v1/tickets/counts']) {
        if (path.endsWith('counts') && query.startsWith('sort')) continue
        const res = await customer.get(`${path}?${query}`, { 'accept-language': 'es-MX' })
        assert.equal(res.statusCode, 400, `${path}?${query}: ${res.body}`)
        assert.match(res.json().error.message, /solo está disponible para el personal/)
      }
    }
    const staff = await agent.get('/api/v1/tickets?tag=vip-interno')
    assert.deepEqual(staff.json().items.map((i: { id: string }) => i.id), [t.id], 'staff still filter by them')
  })

  it("a customer's history and ticket name another ticket (a duplicate's original, where a merge went) only when they may see it", async () => {
    const other = await createUser(env.ctx, { role: 'customer' })
    const theirs = await buildTicket(env.ctx, agentId, { requesterId: other.id })
    const mine = await buildTicket(env.ctx, agentId, { requesterId: customerId })
    const dup = await buildTicket(env.ctx, agentId, { requesterId: customerId })
    const merged = await buildTicket(env.ctx, agentId, { requesterId: customerId })
    assert.equal((await agent.patch(`/api/v1/tickets/${dup.id}`, { status: 'cancelled', cancelReason: 'duplicate', duplicateOfId: theirs.id })).statusCode, 200)
    assert.equal((await agent.post(`/api/v1/tickets/${merged.id}/merge`, { targetId: theirs.id })).statusCode, 200)
    const values = async (id: string, who: Client) => (await who.get(`/api/v1/tickets/${id}/history`)).json().items
      .filter((h: { field: string | null }) => h.field === 'duplicate_of' || h.field === 'merged_into').map((h: { newValue: unknown }) => h.newValue)
    assert.deepEqual(await values(dup.id, customer), [null])
    const mergedRows = await values(merged.id, customer) as Array<{ ticket: unknown }>
    assert.ok(mergedRows.length > 0 && mergedRows.every((v) => v === null || v.ticket === null), JSON.stringify(mergedRows))
    assert.ok(JSON.stringify(await values(dup.id, agent)).includes(theirs.id), 'staff see it')
    const shown = async (id: string, who: Client) => {
      const res = await who.get(`/api/v1/tickets/${id}`)
      assert.equal(res.statusCode, 200, res.body)
      return { duplicateOfId: res.json().duplicateOfId, mergedIntoId: res.json().mergedIntoId }
    }
    assert.deepEqual(await shown(dup.id, customer), { duplicateOfId: null, mergedIntoId: null })
    assert.deepEqual(await shown(merged.id, customer), { duplicateOfId: null, mergedIntoId: null })
    assert.deepEqual(await shown(merged.id, agent), { duplicateOfId: theirs.id, mergedIntoId: theirs.id })
    // Their own original shows.
    const dup2 = await buildTicket(env.ctx, agentId, { requesterId: customerId })
    await agent.patch(`/api/v1/tickets/${dup2.id}`, { status: 'cancelled', cancelReason: 'duplicate', duplicateOfId: mine.id })
    assert.ok(JSON.stringify(await values(dup2.id, customer)).includes(mine.id))
    assert.equal((await shown(dup2.id, customer)).duplicateOfId, mine.id)
  })
})
