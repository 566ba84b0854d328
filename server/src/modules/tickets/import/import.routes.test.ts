import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, createTestEnv, createTeam, createUser, loginAs, type Client, type TestEnv, type TestUser } from '../../../../test/harness'
import { buildTicket } from '../attachments/test-factories'

describe('POST /api/v1/tickets/import', () => {
  let env: TestEnv
  let admin: TestUser
  let agent: TestUser
  let asAdmin: Client
  const url = '/api/v1/tickets/import'

  const row = (over: Record<string, unknown> = {}) => ({
    externalId: `zd-${Math.random().toString(36).slice(2)}`,
    subject: 'No puedo facturar',
    description: 'El portal marca error 500 al timbrar',
    requester: { email: `cliente.${Math.random().toString(36).slice(2)}@example.test`, name: 'Ana Pérez' },
    createdAt: '2023-03-01T15:00:00.000Z',
    ...over,
  })

  before(async () => {
    env = await createTestEnv()
    admin = await createUser(env.ctx, { role: 'admin' })
    agent = await createUser(env.ctx, { role: 'agent', email: `soporte.${Date.now()}@example.test` })
    asAdmin = await loginAs(env.app, admin)
  })
  after(async () => { await env.close() })

  it('is for admins only', async () => {
    const body = { source: 'zendesk', tickets: [row()] }
    assert.equal((await anonymous(env.app).post(url, body)).statusCode, 401)
    assert.equal((await (await loginAs(env.app, agent)).post(url, body)).statusCode, 403)
  })

  it('keeps original times, comments, history and a free number', async () => {
    const team = await createTeam(env.ctx, 'Facturación importada')
    const res = await asAdmin.post(url, {
      source: 'zendesk',
      tickets: [row({
        externalId: 'zd-4471', number: 4471, status: 'closed', priority: 'high', channel: 'email', team: 'facturación importada',
        assigneeEmail: agent.email, tags: ['Facturación'], externalRefs: [{ kind: 'provider_case', provider: 'PAC', value: 'PAC-99' }],
        updatedAt: '2023-03-03T18:00:00.000Z', resolvedAt: '2023-03-02T18:00:00.000Z', closedAt: '2023-03-03T18:00:00.000Z',
        comments: [
          { authorEmail: agent.email, body: 'Revisamos el certificado', createdAt: '2023-03-01T16:00:00.000Z' },
          { authorEmail: agent.email, body: 'Escalado al PAC', internal: true, createdAt: '2023-03-01T16:05:00.000Z' },
          { authorEmail: 'cc.cliente@example.test', authorName: 'Luis', body: 'Ya funciona, gracias', createdAt: '2023-03-02T17:00:00.000Z' },
        ],
        history: [
          { at: '2023-03-01T16:00:00.000Z', actorEmail: agent.email, action: 'status_changed', field: 'status', oldValue: { code: 'new' }, newValue: { code: 'open' } },
        ],
      })],
    })
    assert.equal(res.statusCode, 200, res.body)
    const [r] = res.json().results
    assert.equal(r.status, 'created')
    assert.equal(r.number, 4471)
    assert.equal(r.numberKept, true)
    const t = (await sql<{ number: number; status: string; created_at: Date; updated_at: Date; closed_at: Date; first_response_at: Date; assignee_id: string; team_id: string; tags: string[] }>`
      select number, status, created_at, updated_at, closed_at, first_response_at, assignee_id, team_id, tags from tickets where id = ${r.ticketId}`.execute(env.ctx.db)).rows[0]
    assert.equal(t.status, 'closed')
    assert.equal(new Date(t.created_at).toISOString(), '2023-03-01T15:00:00.000Z')
    assert.equal(new Date(t.updated_at).toISOString(), '2023-03-03T18:00:00.000Z')
    assert.equal(new Date(t.closed_at).toISOString(), '2023-03-03T18:00:00.000Z')
    assert.equal(new Date(t.first_response_at).toISOString(), '2023-03-01T16:00:00.000Z')
    assert.equal(t.assignee_id, agent.id)
    assert.equal(t.team_id, team)
    const comments = await sql<{ internal: boolean; created_at: Date; author_role: string }>`
      select c.internal, c.created_at, u.role as author_role from comments c join users u on u.id = c.author_id where c.ticket_id = ${r.ticketId} order by c.created_at`.execute(env.ctx.db)
    assert.deepEqual(comments.rows.map((c) => [c.internal, new Date(c.created_at).toISOString(), c.author_role]), [
      [false, '2023-03-01T16:00:00.000Z', 'agent'], [true, '2023-03-01T16:05:00.000Z', 'agent'], [false, '2023-03-02T17:00:00.000Z', 'customer'],
    ])
    const history = await sql<{ action: string; at: Date; via: string; actor_id: string | null }>`
      select action, at, via, actor_id from ticket_history where ticket_id = ${r.ticketId} order by id`.execute(env.ctx.db)
    assert.deepEqual(history.rows.map((h) => [h.action, new Date(h.at).toISOString(), h.via]), [
      ['created', '2023-03-01T15:00:00.000Z', 'import'], ['status_changed', '2023-03-01T16:00:00.000Z', 'import'], ['imported', env.clock.now.toISOString(), 'import'],
    ])
    assert.equal(history.rows[1].actor_id, agent.id)
    const found = await asAdmin.get('/api/v1/tickets?q=PAC-99')
    assert.ok(found.json().items.some((i: { id: string }) => i.id === r.ticketId), 'external references are searchable')
    const sent = await sql<{ n: number }>`select count(*)::int as n from events where ticket_id = ${r.ticketId} and type in ('ticket.created', 'comment.added')`.execute(env.ctx.db)
    assert.equal(sent.rows[0].n, 0, 'an import notifies no one')
  })

  it('gives a new number when the original is taken, and never hands out an imported number again', async () => {
    const existing = await buildTicket(env.ctx, admin.id)
    const res = await asAdmin.post(url, { source: 'zendesk', tickets: [row({ number: existing.number }), row({ number: 900_000 })] })
    const [taken, high] = res.json().results
    assert.equal(taken.status, 'created')
    assert.equal(taken.numberKept, false)
    assert.notEqual(taken.number, existing.number)
    assert.equal(high.number, 900_000)
    const next = await buildTicket(env.ctx, admin.id)
    assert.ok(next.number > 900_000, `next number ${next.number}`)
  })

  it('leaves the number sequence alone when a row with an original number fails, and names duplicate comment ids', async () => {
    const comment = (externalId: string, body: string) => ({ externalId, authorEmail: agent.email, body, createdAt: '2023-03-01T16:00:00.000Z' })
    const bad = row({ externalId: 'seq-1', number: 7_000_000, comments: [comment('m1', 'primero'), comment('m2', 'segundo'), comment('m1', 'tercero')] })
    const res = await asAdmin.post(url, { source: 'seqtest', tickets: [bad] })
    assert.equal(res.statusCode, 200, res.body)
    const [r] = res.json().results
    assert.equal(r.status, 'failed')
    assert.equal(r.error.code, 'duplicate_comment_id')
    assert.equal(r.error.message, 'Los comentarios 0 y 2 tienen el mismo externalId «m1»; cada comentario de un ticket necesita uno distinto.')
    assert.deepEqual(r.error.details, [{ field: 'comments.2.externalId', rule: 'unique' }])
    const en = await asAdmin.post(url, { source: 'seqtest', tickets: [bad] }, { 'accept-language': 'en' })
    assert.equal(en.json().results[0].error.message, 'Comments 0 and 2 have the same externalId "m1"; each comment of a ticket needs its own.')
    const next = await buildTicket(env.ctx, admin.id)
    assert.ok(next.number < 7_000_000, `the failed row moved the sequence: next number ${next.number}`)
  })

  it('reports bad rows one by one and keeps the good ones', async () => {
    const res = await asAdmin.post(url, {
      source: 'freshdesk',
      tickets: [
        row({ externalId: 'ok-1' }),
        row({ externalId: 'bad-type', priority: 'altísima' }),
        row({ externalId: 'bad-team', team: 'No existe', requester: { email: 'rollback.me@example.test', name: 'Rollback' } }),
        row({ externalId: 'bad-time', comments: [{ body: 'antes de crearse', createdAt: '2020-01-01T00:00:00.000Z' }] }),
        row({ externalId: 'bad-note', comments: [{ authorEmail: 'desconocido@example.test', body: 'nota', internal: true, createdAt: '2023-03-02T00:00:00.000Z' }] }),
        row({ externalId: 'bad-cancel', status: 'cancelled' }),
        row({ externalId: 'bad-closed', status: 'closed', resolvedAt: '2023-03-05T00:00:00.000Z', closedAt: '2023-03-04T00:00:00.000Z' }),
        row({ externalId: 'bad-nul', description: 'texto exportado con \u0000 dentro' }),
        row({ externalId: 'bad-nul-history', history: [{ at: '2023-03-01T16:00:00.000Z', action: 'field_changed', field: 'subject', oldValue: { text: 'a\u0000b' }, newValue: 'b' }] }),
        'no soy un ticket',
        // The six characters \u0000 written out are ordinary text.
        row({ externalId: 'ok-2', history: [{ at: '2023-03-01T16:00:00.000Z', action: 'field_changed', field: 'subject', oldValue: 'escrito \\u0000 a mano', newValue: { 'clave \\u0000': 1 } }] }),
      ],
    })
    assert.equal(res.statusCode, 200, res.body)
    const body = res.json()
    assert.deepEqual([body.created, body.skipped, body.failed], [2, 0, 9])
    const byId = new Map(body.results.map((r: { externalId: string | null; index: number }) => [r.externalId ?? `#${r.index}`, r]))
    const err = (id: string) => (byId.get(id) as { error: { code: string; message: string } }).error
    assert.equal(err('bad-type').code, 'validation_failed')
    assert.match(err('bad-type').message, /priority/)
    assert.equal(err('bad-team').message, 'No existe el equipo «No existe».')
    assert.equal(err('bad-time').code, 'invalid_time')
    assert.equal(err('bad-note').code, 'unknown_author')
    assert.equal(err('bad-cancel').code, 'cancel_reason_required')
    assert.equal(err('bad-nul').code, 'validation_failed')
    assert.match(err('bad-nul').message, /«description» contiene el carácter nulo/)
    assert.equal(err('bad-nul-history').code, 'validation_failed')
    assert.match(err('bad-nul-history').message, /«history\.0\.oldValue» contiene el carácter nulo/)
    assert.equal(err('bad-closed').code, 'invalid_time')
    assert.match(err('bad-closed').message, /un ticket se cierra después de resolverse/)
    assert.equal(err('#9').code, 'validation_failed')
    // A failed row leaves nothing behind: not its requester contact, not its ticket.
    const refs = await sql<{ external_id: string }>`select external_id from ticket_import_refs where source = 'freshdesk' order by external_id`.execute(env.ctx.db)
    assert.deepEqual(refs.rows.map((r) => r.external_id), ['ok-1', 'ok-2'])
    const contact = await sql`select 1 from users where email = 'rollback.me@example.test'`.execute(env.ctx.db)
    assert.equal(contact.rows.length, 0)
  })

  it('refuses an open ticket assigned to a deactivated agent, and keeps one on a finished ticket', async () => {
    const gone = await createUser(env.ctx, { role: 'agent', email: `se.fue.${Date.now()}@example.test` })
    await sql`update users set active = false where id = ${gone.id}`.execute(env.ctx.db)
    const res = await asAdmin.post(url, {
      source: 'zendesk',
      tickets: [
        row({ externalId: 'open-gone', status: 'open', assigneeEmail: gone.email }),
        row({ externalId: 'closed-gone', status: 'closed', resolvedAt: '2023-03-02T00:00:00.000Z', closedAt: '2023-03-03T00:00:00.000Z', assigneeEmail: gone.email }),
      ],
    })
    assert.equal(res.statusCode, 200, res.body)
    const [open, closed] = res.json().results as Array<{ ok?: boolean; error?: { code: string; message: string }; ticketId?: string }>
    assert.equal(open.error?.code, 'inactive_assignee')
    assert.match(open.error?.message ?? '', /está desactivado: un ticket abierto no puede quedar asignado/)
    assert.equal(closed.error, undefined, JSON.stringify(closed))
  })

  it('answers in English when asked', async () => {
    const res = await asAdmin.post(url, { source: 'zendesk', tickets: [row({ team: 'Nope' })] }, { 'accept-language': 'en' })
    assert.equal(res.json().results[0].error.message, 'There is no team "Nope".')
  })

  it('skips a row already imported from the same source', async () => {
    const first = await asAdmin.post(url, { source: 'osticket', tickets: [row({ externalId: 'os-1' })] })
    const again = await asAdmin.post(url, { source: 'osticket', tickets: [row({ externalId: 'os-1' })] })
    assert.equal(again.json().results[0].status, 'skipped')
    assert.equal(again.json().results[0].ticketId, first.json().results[0].ticketId)
  })

  it('refuses an empty batch or one without a source', async () => {
    assert.equal((await asAdmin.post(url, { source: 'zendesk', tickets: [] })).statusCode, 400)
    assert.equal((await asAdmin.post(url, { tickets: [row()] })).statusCode, 400)
  })
})
