import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, createOrganization, createTeam, createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { buildTicket } from '../test-support/ticket-factories'

type Item = { id: string; number: number; subject: string; snippet?: string }
const ids = (body: { items: Item[] }) => body.items.map((i) => i.id)

describe('GET /api/v1/tickets (filters, sort, pages, search) and /counts', () => {
  let env: TestEnv
  let agent: Client
  let agentId: string
  let admin: Client
  let customerId: string
  let customer: Client
  let team: string
  let org: string
  let root: string
  let child: string
  let site: string
  const t: Record<string, { id: string; number: number }> = {}

  before(async () => {
    env = await createTestEnv()
    const a = await createUser(env.ctx, { role: 'agent' })
    agentId = a.id
    agent = await loginAs(env.app, a)
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    org = await createOrganization(env.ctx)
    const c = await createUser(env.ctx, { role: 'customer', organizationId: org })
    customerId = c.id
    customer = await loginAs(env.app, c)
    team = await createTeam(env.ctx)
    root = (await admin.post('/api/v1/categories', { name: 'Telefonía' })).json().id
    child = (await admin.post('/api/v1/categories', { name: 'Recargas', parentId: root })).json().id
    const field = await admin.post('/api/v1/custom-fields', {
      key: 'estacion', labelEs: 'Estación de servicio', labelEn: 'Service station', kind: 'select',
      options: [{ value: 'E-101', labelEs: 'Norte', labelEn: 'North' }, { value: 'E-202', labelEs: 'Sur', labelEn: 'South' }], customerVisible: true,
    })
    assert.equal(field.statusCode, 201)
    await admin.post('/api/v1/custom-fields', { key: 'llamadas', labelEs: 'Llamadas', labelEn: 'Calls', kind: 'number' })

    const siteRes = await admin.post(`/api/v1/organizations/${org}/sites`, { code: 'GAS-0042', name: 'Estación Insurgentes' })
    assert.equal(siteRes.statusCode, 201)
    site = siteRes.json().id
    t.recargas = await buildTicket(env.ctx, agentId, {
      subject: 'No se aplican las recargas', description: 'El cliente no recibe información del saldo', categoryId: child, siteId: site,
      requesterId: customerId, priority: 'high', tags: ['telcel'], customFields: { estacion: 'E-101', llamadas: 3 }, channel: 'phone',
    })
    env.clock.advance(60_000)
    t.factura = await buildTicket(env.ctx, agentId, {
      subject: 'Factura duplicada', description: 'Me cobraron dos veces', categoryId: root, assigneeId: agentId, teamId: team,
      externalRefs: [{ kind: 'provider_case', provider: 'Banco', value: 'BN-7781' }], channel: 'email',
    })
    env.clock.advance(60_000)
    t.pending = await buildTicket(env.ctx, agentId, { subject: 'Portabilidad', description: 'Espera de documentos', status: 'pending', customFields: { estacion: 'E-202' } })
    env.clock.advance(60_000)
    t.resolved = await buildTicket(env.ctx, agentId, { subject: 'Cambio de plan', description: 'Listo', status: 'resolved', priority: 'low' })
    env.clock.advance(60_000)
  })
  after(async () => { await env.close() })

  it('refuses anonymous callers and bad filters', async () => {
    assert.equal((await anonymous(env.app).get('/api/v1/tickets')).statusCode, 401)
    const bad = await agent.get('/api/v1/tickets?sort=color')
    assert.equal(bad.statusCode, 400)
    assert.match(bad.json().error.message, /«sort» debe ser uno de/)
    assert.equal((await agent.get('/api/v1/tickets?createdFrom=ayer')).statusCode, 400)
    assert.equal((await agent.get('/api/v1/tickets?cursor=basura')).statusCode, 400)
    assert.equal((await agent.get('/api/v1/tickets?cf=nada:1')).statusCode, 400)
  })

  it('lists by last update, newest first, with keyset pages', async () => {
    const first = (await agent.get('/api/v1/tickets?limit=3')).json()
    assert.deepEqual(ids(first), [t.resolved.id, t.pending.id, t.factura.id])
    assert.ok(first.nextCursor)
    const second = (await agent.get(`/api/v1/tickets?limit=3&cursor=${first.nextCursor}`)).json()
    assert.deepEqual(ids(second), [t.recargas.id])
    assert.equal(second.nextCursor, null)
    const byNumber = (await agent.get('/api/v1/tickets?sort=number')).json()
    assert.deepEqual(ids(byNumber), [t.recargas.id, t.factura.id, t.pending.id, t.resolved.id])
    const byPriority = (await agent.get('/api/v1/tickets?sort=-priority&limit=2')).json()
    assert.equal(byPriority.items[0].id, t.recargas.id)
    const rest = (await agent.get(`/api/v1/tickets?sort=-priority&limit=2&cursor=${byPriority.nextCursor}`)).json()
    assert.equal(ids(byPriority).concat(ids(rest)).at(-1), t.resolved.id)
  })

  it('carries the site and the custom field values of each row (staff see every field)', async () => {
    const items = (await agent.get('/api/v1/tickets')).json().items as Array<Item & { site: unknown; customFields: unknown }>
    const byId = new Map(items.map((i) => [i.id, i]))
    assert.deepEqual(byId.get(t.recargas.id)?.site, { id: site, code: 'GAS-0042', name: 'Estación Insurgentes' })
    assert.deepEqual(byId.get(t.recargas.id)?.customFields, { estacion: 'E-101', llamadas: 3 })
    assert.equal(byId.get(t.factura.id)?.site, null)
    assert.deepEqual(byId.get(t.factura.id)?.customFields, {})
    assert.deepEqual(byId.get(t.pending.id)?.customFields, { estacion: 'E-202' })
    // Search results are list items too.
    const found = (await agent.get('/api/v1/tickets?q=recargas')).json().items
    assert.deepEqual([found[0].site?.code, found[0].customFields], ['GAS-0042', { estacion: 'E-101', llamadas: 3 }])
  })

  it('takes several values for every multi-valued filter (repeated keys or commas)', async () => {
    const other = await createTeam(env.ctx)
    const both = (q: string) => agent.get(`/api/v1/tickets?${q}`).then((r) => { assert.equal(r.statusCode, 200, r.body); return ids(r.json()).sort() })
    assert.deepEqual(await both('type=consulta&type=incidente_servicio'), Object.values(t).map((x) => x.id).sort())
    assert.deepEqual(await both(`categoryId=${child}&categoryId=none`), [t.recargas.id, t.pending.id, t.resolved.id].sort())
    assert.deepEqual(await both('assignee=me&assignee=unassigned'), Object.values(t).map((x) => x.id).sort())
    assert.deepEqual(await both(`teamId=${team}&teamId=${other}`), [t.factura.id])
    assert.deepEqual(await both(`teamId=${other},none`), [t.recargas.id, t.pending.id, t.resolved.id].sort())
    assert.deepEqual(await both('channel=email&channel=phone'), [t.recargas.id, t.factura.id].sort())
    assert.deepEqual(await both('priority=high,low'), [t.recargas.id, t.resolved.id].sort())
    assert.deepEqual(await both(`organizationId=${org}&organizationId=${await createOrganization(env.ctx)}`), [t.recargas.id])
  })

  it('filters by status, status category, type, priority, channel and tag', async () => {
    assert.deepEqual(ids((await agent.get('/api/v1/tickets?status=pending')).json()), [t.pending.id])
    assert.deepEqual(ids((await agent.get('/api/v1/tickets?statusCategory=new,resolved')).json()).sort(), [t.recargas.id, t.factura.id, t.resolved.id].sort())
    assert.equal(ids((await agent.get('/api/v1/tickets?type=consulta')).json()).length, 4)
    assert.deepEqual(ids((await agent.get('/api/v1/tickets?priority=high&priority=low')).json()).sort(), [t.recargas.id, t.resolved.id].sort())
    assert.deepEqual(ids((await agent.get('/api/v1/tickets?channel=email')).json()), [t.factura.id])
    assert.deepEqual(ids((await agent.get('/api/v1/tickets?tag=TELCEL')).json()), [t.recargas.id])
  })

  it('filters by category including sub-categories, assignee (me / unassigned), team, organization and requester', async () => {
    assert.deepEqual(ids((await agent.get(`/api/v1/tickets?categoryId=${root}`)).json()).sort(), [t.recargas.id, t.factura.id].sort())
    assert.deepEqual(ids((await agent.get(`/api/v1/tickets?categoryId=${child}`)).json()), [t.recargas.id])
    assert.equal(ids((await agent.get('/api/v1/tickets?categoryId=none')).json()).length, 2)
    assert.deepEqual(ids((await agent.get('/api/v1/tickets?assignee=me')).json()), [t.factura.id])
    assert.equal(ids((await agent.get('/api/v1/tickets?assignee=unassigned')).json()).length, 3)
    assert.deepEqual(ids((await agent.get(`/api/v1/tickets?teamId=${team}`)).json()), [t.factura.id])
    assert.deepEqual(ids((await agent.get(`/api/v1/tickets?organizationId=${org}`)).json()), [t.recargas.id])
    assert.deepEqual(ids((await agent.get(`/api/v1/tickets?requesterId=${customerId}`)).json()), [t.recargas.id])
  })

  it('filters by external reference, custom field values and date ranges', async () => {
    assert.deepEqual(ids((await agent.get('/api/v1/tickets?externalRef=bn-7781')).json()), [t.factura.id])
    assert.deepEqual(ids((await agent.get('/api/v1/tickets?cf=estacion:E-101')).json()), [t.recargas.id])
    assert.deepEqual(ids((await agent.get('/api/v1/tickets?cf=llamadas:3&cf=estacion:E-101')).json()), [t.recargas.id])
    assert.deepEqual(ids((await agent.get('/api/v1/tickets?cf=llamadas:4')).json()), [])
    const created = (await agent.get(`/api/v1/tickets?createdFrom=${encodeURIComponent(new Date(env.clock.now.getTime() - 150_000).toISOString())}`)).json()
    assert.deepEqual(ids(created).sort(), [t.pending.id, t.resolved.id].sort())
    const resolved = (await agent.get(`/api/v1/tickets?resolvedFrom=${encodeURIComponent(new Date(0).toISOString())}`)).json()
    assert.deepEqual(ids(resolved), [t.resolved.id])
    const both = (await agent.get(`/api/v1/tickets?statusCategory=new&categoryId=${root}&createdTo=${encodeURIComponent(env.clock.now.toISOString())}`)).json()
    assert.deepEqual(ids(both).sort(), [t.recargas.id, t.factura.id].sort())
  })

  it('shows customers only their tickets and only customer-visible fields', async () => {
    const list = (await customer.get('/api/v1/tickets')).json()
    assert.deepEqual(ids(list), [t.recargas.id])
    assert.equal(list.items[0].tags, undefined)
    assert.deepEqual(list.items[0].customFields, { estacion: 'E-101' })
    assert.equal(list.items[0].site.code, 'GAS-0042')
    assert.doesNotMatch(JSON.stringify(list.items), /llamadas/)
    const detail = (await customer.get(`/api/v1/tickets/${t.recargas.id}`)).json()
    assert.deepEqual(detail.customFields, { estacion: 'E-101' })
    assert.equal((await customer.get('/api/v1/tickets?cf=llamadas:3')).statusCode, 400)
  })

  it('searches accent-insensitively with stemming, ranked, with highlighted snippets', async () => {
    const accent = (await agent.get(`/api/v1/tickets?q=${encodeURIComponent('informacion')}`)).json()
    assert.deepEqual(ids(accent), [t.recargas.id])
    assert.match(accent.items[0].snippet, /<mark>información<\/mark>/)
    const stem = (await agent.get(`/api/v1/tickets?q=${encodeURIComponent('recarga saldo')}`)).json()
    assert.deepEqual(ids(stem), [t.recargas.id])
    const english = (await agent.get(`/api/v1/tickets?q=${encodeURIComponent('duplicada')}`)).json()
    assert.deepEqual(ids(english), [t.factura.id])
    const ref = (await agent.get('/api/v1/tickets?q=BN-7781')).json()
    assert.equal(ref.items[0].id, t.factura.id)
    const withFilter = (await agent.get(`/api/v1/tickets?q=recargas&statusCategory=resolved`)).json()
    assert.deepEqual(ids(withFilter), [])
  })

  it('puts a ticket whose number is typed first and names it in exactMatch', async () => {
    const res = (await agent.get(`/api/v1/tickets?q=${encodeURIComponent('#' + t.pending.number)}`)).json()
    assert.equal(res.exactMatch.id, t.pending.id)
    assert.equal(res.items[0].id, t.pending.id)
    const invisible = (await customer.get(`/api/v1/tickets?q=${t.pending.number}`)).json()
    assert.equal(invisible.exactMatch, null)
    assert.deepEqual(invisible.items, [])
  })

  it('escapes text in snippets', async () => {
    const x = await buildTicket(env.ctx, agentId, { subject: 'Pantalla <script>alert(1)</script> congelada', description: 'saldo < 10 & "x" congelada' })
    const res = (await agent.get('/api/v1/tickets?q=congelada')).json()
    const item = res.items.find((i: Item) => i.id === x.id)
    assert.doesNotMatch(item.snippet, /<script|<(?!\/?mark>)/)
    assert.match(item.snippet, /&lt; 10 &amp; &quot;x&quot;/)
  })

  it('counts by status for the dashboard, within the viewer scope and filters', async () => {
    const res = await agent.get('/api/v1/tickets/counts')
    assert.equal(res.statusCode, 200)
    const c = res.json()
    assert.equal(c.byStatus.pending, 1)
    assert.equal(c.byStatus.resolved, 1)
    assert.equal(c.byStatus.closed, 0)
    assert.equal(c.total, c.byStatus.new + 2)
    const filtered = (await agent.get(`/api/v1/tickets/counts?categoryId=${root}`)).json()
    assert.equal(filtered.total, 2)
    const mine = (await customer.get('/api/v1/tickets/counts')).json()
    assert.equal(mine.total, 1)
    assert.equal((await anonymous(env.app).get('/api/v1/tickets/counts')).statusCode, 401)
  })

  describe('saved views', () => {
    it('saves personal and team views, applies them, and guards team sharing', async () => {
      assert.equal((await customer.get('/api/v1/ticket-views')).statusCode, 403)
      const mine = await agent.post('/api/v1/ticket-views', { name: 'Mis urgentes', filters: { priority: ['high'], assignee: 'me' } })
      assert.equal(mine.statusCode, 201)
      assert.equal(mine.json().scope, 'personal')
      const bad = await agent.post('/api/v1/ticket-views', { name: 'x', filters: { color: 'rojo' } })
      assert.equal(bad.statusCode, 400)
      const forbidden = await agent.post('/api/v1/ticket-views', { name: 'Del equipo', teamId: team })
      assert.equal(forbidden.statusCode, 403)
      const supervisor = await loginAs(env.app, await createUser(env.ctx, { role: 'supervisor' }))
      const shared = await supervisor.post('/api/v1/ticket-views', { name: 'Equipo: pendientes', teamId: team, filters: { statusCategory: ['pending'] }, sort: 'number' })
      assert.equal(shared.statusCode, 201)
      const member = await loginAs(env.app, await createUser(env.ctx, { role: 'agent', teamIds: [team] }))
      const views = (await member.get('/api/v1/ticket-views')).json().items
      assert.deepEqual(views.map((v: { name: string }) => v.name), ['Equipo: pendientes'])
      const applied = (await member.get(`/api/v1/tickets?view=${shared.json().id}`)).json()
      assert.deepEqual(ids(applied), [t.pending.id])
      assert.equal((await agent.get(`/api/v1/tickets?view=${shared.json().id}`)).statusCode, 404)
      assert.equal((await member.patch(`/api/v1/ticket-views/${shared.json().id}`, { name: 'x' })).statusCode, 403)
      const renamed = await agent.patch(`/api/v1/ticket-views/${mine.json().id}`, { name: 'Urgentes míos' })
      assert.equal(renamed.json().name, 'Urgentes míos')
      assert.equal((await agent.delete(`/api/v1/ticket-views/${mine.json().id}`)).statusCode, 200)
      assert.equal((await agent.get('/api/v1/ticket-views')).json().items.length, 0)
    })
  })
})

describe('search: each body indexed once, in its own language', () => {
  let env: TestEnv
  let agent: Client
  before(async () => {
    env = await createTestEnv()
    agent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
  })
  after(async () => { await env.close() })

  it('guesses Spanish or English from the words a text uses; Spanish when in doubt', async () => {
    const guess = async (text: string) => (await sql<{ l: string }>`select search_language(${text})::text as l`.execute(env.ctx.db)).rows[0].l
    assert.equal(await guess('Desde ayer la línea no tiene datos y la factura salió con un cargo que no reconozco'), 'es_unaccent')
    assert.equal(await guess('The printers in the warehouse keep jamming and we have to restart them'), 'en_unaccent')
    assert.equal(await guess(''), 'es_unaccent')
    assert.equal(await guess('OK 12345'), 'es_unaccent')
  })

  it('stems Spanish bodies in Spanish and English bodies in English, replies too, with snippets', async () => {
    const es = (await agent.post('/api/v1/tickets', { subject: 'Sin señal', description: 'Las antenas del módem dejaron de transmitir desde el martes' })).json()
    const en = (await agent.post('/api/v1/tickets', { subject: 'Warehouse issue', description: 'The printers in the warehouse keep jamming and we have to restart them' })).json()
    const reply = await agent.post(`/api/v1/tickets/${en.id}/comments`, { body: 'We replaced the thermal fuses on both of them', internal: false })
    assert.equal(reply.statusCode, 201, reply.body)
    const search = async (q: string) => (await agent.get(`/api/v1/tickets?q=${encodeURIComponent(q)}`)).json() as { items: Array<{ id: string; snippet: string }> }
    const found = async (q: string) => (await search(q)).items.map((x) => x.id)
    assert.deepEqual(await found('antena modem'), [es.id])
    assert.deepEqual(await found('transmite'), [es.id])
    assert.deepEqual(await found('printer jam'), [en.id], 'English stemming in an English description')
    assert.deepEqual(await found('fuse'), [en.id], 'and in an English reply')
    assert.match((await search('printer')).items[0].snippet, /<mark>printers<\/mark>/)
  })
})
