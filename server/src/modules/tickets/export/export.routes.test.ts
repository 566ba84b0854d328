import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTeam, createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { actorForUser } from '../../../platform/auth/load-actor'
import { AppError } from '../../../platform/http/errors'
import { t } from '../../../platform/i18n/messages'
import { buildTicket } from '../test-support/ticket-factories'
import { exportTickets } from './export-tickets'

const MARKER = 'MARCA-NOTA-INTERNA-7f3c'
const DESCRIPTION = 'DESCRIPCION-PRIVADA-91ab'
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-06:00$/

/** A small RFC 4180 reader for the assertions (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++ } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') { row.push(cell); cell = '' } else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++ } else cell += ch
  }
  return rows
}

describe('GET /api/v1/tickets/export.csv', () => {
  let env: TestEnv
  let agent: Client
  let teamAgent: Client
  let customer: Client
  let customerId: string
  const n: Record<string, number> = {}

  const download = async (c: Client, query = '', lang = 'en') => {
    const res = await c.get(`/api/v1/tickets/export.csv${query}`, { 'accept-language': lang })
    assert.equal(res.statusCode, 200, res.body)
    return res
  }
  const rowsOf = (body: string) => parseCsv(body.replace(/^\uFEFF/, ''))
  const byNumber = (rows: string[][], num: number) => rows.find((r) => r[0] === String(num))

  before(async () => {
    env = await createTestEnv()
    const teamA = await createTeam(env.ctx, 'Equipo Exportación')
    const a = await createUser(env.ctx, { role: 'agent', name: 'Ana Agente' })
    const ta = await createUser(env.ctx, { role: 'agent', ticketScope: 'teams', teamIds: [teamA] })
    const c = await createUser(env.ctx, { role: 'customer', name: 'Carla Cliente', email: 'carla@ejemplo.mx' })
    const other = await createUser(env.ctx, { role: 'customer', name: 'Otro Cliente' })
    customerId = c.id
    agent = await loginAs(env.app, a)
    teamAgent = await loginAs(env.app, ta)
    customer = await loginAs(env.app, c)
    const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    assert.equal((await admin.post('/api/v1/custom-fields', { key: 'clave_proveedor', labelEs: 'Clave del proveedor', labelEn: 'Provider key', kind: 'text' })).statusCode, 201)
    assert.equal((await admin.post('/api/v1/custom-fields', { key: 'folio_cliente', labelEs: 'Folio del cliente', labelEn: 'Customer folio', kind: 'text', customerVisible: true })).statusCode, 201)
    const t1 = await buildTicket(env.ctx, a.id, {
      requesterId: c.id, subject: 'Falla de facturación, "urgente"', description: DESCRIPTION, priority: 'high', teamId: teamA,
      tags: ['vip'], externalRefs: [{ kind: 'provider_case', provider: 'Telmex', value: 'TX-555' }],
      customFields: { clave_proveedor: 'CLAVE-SOLO-AGENTES', folio_cliente: 'F-100' },
    })
    const t2 = await buildTicket(env.ctx, a.id, { requesterId: other.id, subject: '=HYPERLINK("http://x.example","clic")', priority: 'low' })
    const t3 = await buildTicket(env.ctx, a.id, { requesterId: c.id, subject: '@SUM(1+1) -2', priority: 'normal' })
    n.t1 = t1.number; n.t2 = t2.number; n.t3 = t3.number
    assert.equal((await agent.post(`/api/v1/tickets/${t1.id}/comments`, { body: `Nota interna ${MARKER}`, internal: true })).statusCode, 201)
    assert.equal((await agent.post(`/api/v1/tickets/${t1.id}/comments`, { body: 'Respuesta pública' })).statusCode, 201)
  })
  after(async () => { await env.close() })

  it('is a UTF-8 CSV download with a BOM and the columns in the caller\'s language', async () => {
    const res = await download(agent)
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/)
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="tickets-\d{4}-\d{2}-\d{2}\.csv"$/)
    assert.ok(res.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])))
    const rows = rowsOf(res.body)
    assert.deepEqual(rows[0], ['Number', 'Subject', 'Status', 'Priority', 'Type', 'Category', 'Requester', 'Requester email', 'Organization', 'Site',
      'Assignee', 'Team', 'Channel', 'Created', 'Updated', 'First response', 'Resolved', 'Closed', 'Tags', 'External references', 'Provider key', 'Customer folio'])
    assert.equal(rows.length, 4)
    const t1 = byNumber(rows, n.t1)!
    assert.equal(t1[1], 'Falla de facturación, "urgente"')
    assert.equal(t1[3], 'High')
    assert.equal(t1[6], 'Carla Cliente')
    assert.equal(t1[7], 'carla@ejemplo.mx')
    assert.equal(t1[11], 'Equipo Exportación')
    assert.match(t1[13], ISO) // America/Mexico_City, the users' default zone
    assert.match(t1[15], ISO) // the public reply was the first response
    assert.equal(t1[18], 'vip')
    assert.equal(t1[19], 'Telmex: TX-555')
    assert.deepEqual(t1.slice(20), ['CLAVE-SOLO-AGENTES', 'F-100'])
    const es = rowsOf((await download(agent, '', 'es')).body)
    assert.deepEqual(es[0].slice(0, 4), ['Número', 'Asunto', 'Estatus', 'Prioridad'])
    assert.equal(byNumber(es, n.t1)![3], 'Alta')
  })

  it('never holds an internal note, nor any conversation or description text', async () => {
    for (const c of [agent, customer]) {
      for (const lang of ['es', 'en']) {
        const body = (await download(c, '', lang)).body
        assert.ok(!body.includes(MARKER), 'internal note text in the export')
        assert.ok(!body.includes(DESCRIPTION) && !body.includes('Respuesta pública'))
      }
    }
  })

  it('guards cells that would run as formulas', async () => {
    const res = await download(agent)
    assert.ok(res.body.includes('"\'=HYPERLINK(""http://x.example"",""clic"")"'))
    assert.equal(byNumber(rowsOf(res.body), n.t3)![1], "'@SUM(1+1) -2")
  })

  it('honours the filters, sort and search of the list', async () => {
    const low = rowsOf((await download(agent, '?priority=low')).body)
    assert.deepEqual(low.slice(1).map((r) => r[0]), [String(n.t2)])
    const sorted = rowsOf((await download(agent, '?sort=number')).body)
    assert.deepEqual(sorted.slice(1).map((r) => r[0]), [n.t1, n.t2, n.t3].map(String))
    const found = rowsOf((await download(agent, `?q=${encodeURIComponent('facturación')}`)).body)
    assert.deepEqual(found.slice(1).map((r) => r[0]), [String(n.t1)])
    const bad = await agent.get('/api/v1/tickets/export.csv?limit=5', { 'accept-language': 'es' })
    assert.equal(bad.statusCode, 400)
    assert.match(bad.json().error.message, /limit/)
  })

  it('gives a customer only their own tickets and customer-visible fields', async () => {
    const rows = rowsOf((await download(customer)).body)
    assert.deepEqual(rows[0], ['Number', 'Subject', 'Status', 'Priority', 'Type', 'Category', 'Requester', 'Requester email', 'Organization', 'Site',
      'Assignee', 'Channel', 'Created', 'Updated', 'Resolved', 'Closed', 'Customer folio'])
    assert.deepEqual(rows.slice(1).map((r) => r[0]).sort(), [n.t1, n.t3].map(String).sort())
    const body = (await download(customer)).body
    assert.ok(!body.includes('CLAVE-SOLO-AGENTES') && !body.includes('TX-555') && !body.includes('vip'))
    assert.equal(byNumber(rows, n.t1)!.at(-1), 'F-100')
  })

  it('gives an agent restricted to their teams only those tickets', async () => {
    const rows = rowsOf((await download(teamAgent)).body)
    assert.deepEqual(rows.slice(1).map((r) => r[0]), [String(n.t1)])
  })

  it('walks every keyset page and refuses an export over the cap with a clear 422', async () => {
    const actor = (await actorForUser(env.ctx.db, customerId))!
    let text = ''
    for await (const chunk of await exportTickets(env.ctx.db, actor, { filters: {}, now: env.ctx.now(), lang: 'es', pageSize: 1 })) text += chunk
    assert.deepEqual(rowsOf(text).slice(1).map((r) => r[0]).sort(), [n.t1, n.t3].map(String).sort())
    await assert.rejects(exportTickets(env.ctx.db, actor, { filters: {}, now: env.ctx.now(), lang: 'es', maxRows: 1 }), (err: unknown) => {
      assert.ok(err instanceof AppError)
      assert.equal(err.statusCode, 422)
      assert.equal(t('es', err.messageKey, err.params), 'La exportación tendría más de 1 tickets. Acote los filtros (por ejemplo, un rango de fechas) y vuelva a intentarlo.')
      assert.match(t('en', err.messageKey, err.params), /^The export would hold more than 1 tickets\./)
      return true
    })
  })
})

describe('GET /api/v1/tickets/export.csv: people and sites by name', () => {
  let env: TestEnv
  after(async () => { await env?.close() })

  it('writes user and site fields as names, not ids; a customer sees only staff and their own name', async () => {
    env = await createTestEnv()
    const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    const ana = await createUser(env.ctx, { role: 'agent', name: 'Ana Supervisora' })
    const c = await createUser(env.ctx, { role: 'customer', name: 'Carla Cliente' })
    const stranger = await createUser(env.ctx, { role: 'customer', name: 'Persona Ajena' })
    for (const [key, labelEs] of [['responsable', 'Responsable'], ['contacto_alterno', 'Contacto alterno']]) {
      const res = await admin.post('/api/v1/custom-fields', { key, labelEs, labelEn: key, kind: 'user', customerVisible: true })
      assert.equal(res.statusCode, 201, res.body)
    }
    const t = await buildTicket(env.ctx, ana.id, { requesterId: c.id, customFields: { responsable: ana.id, contacto_alterno: stranger.id } })
    const rows = (client: Client) => client.get('/api/v1/tickets/export.csv').then((r) => parseCsv(r.body.replace(/^\uFEFF/, '')))
    const staff = await rows(await loginAs(env.app, ana))
    const header = staff[0]
    const line = staff.find((r) => r[0] === String(t.number))!
    assert.equal(line[header.indexOf('Responsable')], 'Ana Supervisora')
    assert.equal(line[header.indexOf('Contacto alterno')], 'Persona Ajena')
    assert.ok(!staff.flat().includes(ana.id), 'no ids')
    const own = await rows(await loginAs(env.app, c))
    const mine = own.find((r) => r[0] === String(t.number))!
    assert.equal(mine[own[0].indexOf('Responsable')], 'Ana Supervisora')
    assert.equal(mine[own[0].indexOf('Contacto alterno')], '', 'another customer is not named to this one')
  })
})
