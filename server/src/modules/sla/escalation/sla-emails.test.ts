import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTeam, createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { startCaptureSmtp, type CaptureSmtp } from '../../email/test-support/email-test-kit'
import { mx } from '../test-support/clock-helpers'
import { createPolicyVia } from '../test-support/sla-factories'
import { runCutoff } from '../cutoffs/run-cutoff.job'
import type { CutoffDigestPayload } from '../cutoffs/cutoff-commands'
import { sendCutoffDigest } from '../../email/outbound/cutoff-digest'
import { sweepDueSla } from '../jobs/sweep-due-sla.job'

/**
 * SLA warnings, breaches and cut-off reminders reach the staff named by the escalation (never the
 * customer) as email: through the durable queue and the outbox, in each recipient's language, from
 * templates admins can override, honouring each agent's switches. SMTP on loopback.
 */
describe('SLA emails to staff (SMTP out on loopback)', () => {
  let env: TestEnv
  let capture: CaptureSmtp
  let admin: Client
  let agent: Client
  let supervisor: Client
  let customerId: string
  let agentId: string
  let team: string
  let cutoffId: string
  const AGENT = 'carlos@ayuda.test'
  const LEAD = 'lead@ayuda.test'
  const SUPERVISOR = 'laura@ayuda.test'
  const CUSTOMER = 'juan@cliente.mx'

  before(async () => {
    capture = await startCaptureSmtp()
    env = await createTestEnv({ env: { SMTP_URL: capture.url, PUBLIC_URL: 'https://ayuda.ejemplo.mx' } })
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    team = await createTeam(env.ctx, 'Soporte N1', 1)
    const lead = await createUser(env.ctx, { role: 'agent', email: LEAD, name: 'Team Lead', locale: 'en', teamIds: [team] })
    await sql`update teams set lead_user_id = ${lead.id} where id = ${team}`.execute(env.ctx.db)
    const a = await createUser(env.ctx, { role: 'agent', email: AGENT, name: 'Carlos Ramírez', teamIds: [team] })
    agentId = a.id
    agent = await loginAs(env.app, a)
    supervisor = await loginAs(env.app, await createUser(env.ctx, { role: 'supervisor', email: SUPERVISOR, name: 'Laura Méndez' }))
    customerId = (await createUser(env.ctx, { role: 'customer', email: CUSTOMER, name: 'Juan Pérez' })).id
    const box = await admin.post('/api/v1/mailboxes', { address: 'soporte@ayuda.test', name: 'Soporte', inbound: 'smtp' })
    assert.equal(box.statusCode, 201, box.body)
    env.clock.set(mx('2026-03-02 08:00'))
    await createPolicyVia(admin, {
      name: 'Soporte general', targets: { normal: { firstResponseMinutes: 60, resolutionMinutes: 480 } },
      escalations: [
        { on: 'warning', targets: ['firstResponse'], actions: [{ type: 'notify', recipients: ['assignee'] }] },
        { on: 'breach', targets: ['firstResponse'], actions: [{ type: 'notify', recipients: ['assignee', 'team_lead', 'supervisors'] }] },
      ],
    })
    const cutoff = await admin.post('/api/v1/sla/cutoffs', { name: 'Corte del mediodía', days: ['mon', 'tue', 'wed', 'thu', 'fri'], times: ['13:00'], action: 'none', remindAssignee: true })
    assert.equal(cutoff.statusCode, 201, cutoff.body)
    cutoffId = cutoff.json().id
    await env.drainJobs()
  })
  after(async () => {
    await env.close()
    await capture.stop()
  })

  const slaMails = (address: string) => capture.to(address).filter((m) => /Por vencer|Vencido|Due soon|Breached|Corte|cut-off/.test(m.parsed.subject ?? ''))
  const settle = async () => { await env.drainJobs(); await env.drainJobs(); await env.drainJobs() }

  it('warns the assignee in Spanish, then tells assignee, team lead (English) and supervisors of the breach; the customer gets none', async () => {
    env.clock.set(mx('2026-03-02 09:00'))
    const created = await agent.post('/api/v1/tickets', { subject: 'Portabilidad rechazada', requesterId: customerId, teamId: team, assigneeId: agentId })
    assert.equal(created.statusCode, 201, created.body)
    const { id, number } = created.json() as { id: string; number: number }
    await settle()
    const before = capture.messages.length

    env.clock.set(mx('2026-03-02 09:45'))
    await settle()
    await capture.waitFor(before + 1)
    const warning = slaMails(AGENT)
    assert.equal(warning.length, 1)
    assert.equal(warning[0].parsed.subject, `[#${number}] Por vencer (primera respuesta): Portabilidad rechazada`)
    assert.match(warning[0].parsed.text ?? '', /está por vencer su tiempo de primera respuesta/)
    assert.match(warning[0].parsed.text ?? '', /Vence: 2 mar 2026, 10:00.*\(America\/Mexico_City\)/)
    assert.match(warning[0].parsed.text ?? '', /Política de SLA: Soporte general/)
    assert.match(warning[0].parsed.text ?? '', new RegExp(`https://ayuda\\.ejemplo\\.mx/agent/tickets/${number}`))
    assert.equal(warning[0].parsed.headers.get('auto-submitted'), 'auto-generated')
    assert.deepEqual([slaMails(LEAD).length, slaMails(SUPERVISOR).length], [0, 0])

    env.clock.set(mx('2026-03-02 10:00'))
    await settle()
    await capture.waitFor(before + 4)
    assert.equal(slaMails(AGENT)[1].parsed.subject, `[#${number}] Vencido (primera respuesta): Portabilidad rechazada`)
    const english = slaMails(LEAD)
    assert.equal(english.length, 1)
    assert.equal(english[0].parsed.subject, `[#${number}] Breached (first response): Portabilidad rechazada`)
    assert.match(english[0].parsed.text ?? '', /Was due: Mar 2, 2026, 10:00 AM \(America\/Mexico_City\)/)
    assert.equal(slaMails(SUPERVISOR).length, 1)
    assert.deepEqual(slaMails(CUSTOMER), [])
    const outbox = (await sql<{ template: string; to_address: string; status: string }>`select template, to_address, status from outbound_messages
      where ticket_id = ${id} and template like 'sla_%' order by created_at, to_address`.execute(env.ctx.db)).rows
    assert.deepEqual(outbox, [
      { template: 'sla_warning', to_address: AGENT, status: 'sent' },
      { template: 'sla_breached', to_address: AGENT, status: 'sent' },
      { template: 'sla_breached', to_address: SUPERVISOR, status: 'sent' },
      { template: 'sla_breached', to_address: LEAD, status: 'sent' },
    ])
    // A retried notification job does not send twice (one row per event, template and address).
    const events = (await sql<{ id: number }>`select id from events where ticket_id = ${id} and type like 'sla.%'`.execute(env.ctx.db)).rows
    assert.equal(events.length, 2)
  })

  it('honours the agent’s switch and the admin’s version of the template', async () => {
    const off = await supervisor.put('/api/v1/me/email-notifications', { slaBreached: false })
    assert.equal(off.statusCode, 200, off.body)
    assert.deepEqual(off.json(), { assigned: true, mentioned: true, customerReply: true, slaWarning: true, slaBreached: false, cutoffReminder: true })
    const put = await admin.put('/api/v1/email-templates/sla_warning/es', { subject: '¡Atención! #{{ticket.number}} vence {{sla.due_at}}', body: null })
    assert.equal(put.statusCode, 200, put.body)
    const bad = await admin.put('/api/v1/email-templates/sla_breached/es', { subject: '{{comment.body}}', body: null })
    assert.equal(bad.statusCode, 400)

    env.clock.set(mx('2026-03-03 09:00'))
    const { number } = (await agent.post('/api/v1/tickets', { subject: 'Sin datos', requesterId: customerId, teamId: team, assigneeId: agentId })).json() as { number: number }
    await settle()
    const sent = capture.messages.length
    env.clock.set(mx('2026-03-03 09:46'))
    await settle()
    env.clock.set(mx('2026-03-03 10:01'))
    await settle()
    await capture.waitFor(sent + 3).catch((e: Error) => { throw new Error(`${e.message}: ${capture.messages.slice(sent).map((m) => `${m.to} ${m.parsed.subject}`).join(' | ')}`) })
    const custom = capture.to(AGENT).find((m) => m.parsed.subject?.includes('Atención'))
    // The reference prefix is added when an admin's subject leaves it out (replies keep threading).
    assert.equal(custom?.parsed.subject, `[#${number}] ¡Atención! #${number} vence 3 mar 2026, 10:00 (America/Mexico_City)`)
    assert.equal(slaMails(SUPERVISOR).length, 1, 'switched off: no second breach email')
    assert.equal(slaMails(LEAD).length, 2)
  })

  it('sends each assignee one digest per cut-off run: their tickets overdue first, then soonest due, count in the subject, in their language, once', async () => {
    // Carlos already holds two open tickets (breached); one more, due later, and one for an English-speaking agent.
    const en = await createUser(env.ctx, { role: 'agent', email: 'amy@ayuda.test', name: 'Amy Lee', locale: 'en', teamIds: [team] })
    env.clock.set(mx('2026-03-04 12:30'))
    const later = (await agent.post('/api/v1/tickets', { subject: 'Cambio de plan', requesterId: customerId, teamId: team, assigneeId: agentId })).json() as { number: number }
    const amys = (await admin.post('/api/v1/tickets', { subject: 'SIM bloqueada', requesterId: customerId, teamId: team, assigneeId: en.id })).json() as { number: number }
    await settle()
    env.clock.set(mx('2026-03-04 13:00:05'))
    await sweepDueSla(env.ctx.db, env.ctx.now()) // Carlos's two: every target breached, nothing running any more
    const sent = capture.messages.length
    const scheduledFor = mx('2026-03-04 13:00').toISOString()
    const done = await runCutoff(env.ctx.db, env.ctx.now(), { cutoffId, scheduledFor })
    assert.equal(done, 4)
    await settle()
    await capture.waitFor(sent + 2)
    const digest = capture.messages.slice(sent).filter((m) => m.to.includes(AGENT) && /Corte/.test(m.parsed.subject ?? ''))
    assert.equal(digest.length, 1)
    assert.equal(digest[0].parsed.subject, 'Corte de las 13:00 — tickets abiertos asignados a usted: 3')
    const text = digest[0].parsed.text ?? ''
    assert.match(text, /Recordatorio del corte «Corte del mediodía» de las 13:00/)
    const numbers = [...text.matchAll(/^- #(\d+) /gm)].map((m) => Number(m[1]))
    assert.equal(numbers.length, 3)
    assert.equal(numbers[2], later.number, 'the ticket due last comes last')
    assert.match(text, new RegExp(`- #${later.number} Cambio de plan — Nuevo — vence 4 mar, 13:30\\n  https://ayuda\\.ejemplo\\.mx/agent/tickets/${later.number}`))
    // Overdue first, most overdue first, since their first breach (no running deadline left: not «sin vencimiento»).
    assert.match(text, /^- #\d+ Portabilidad rechazada — Nuevo — vencido desde 2 mar, 10:00\n[^]*\n- #\d+ Sin datos — Nuevo — vencido desde 3 mar, 10:00\n/m)
    assert.match(digest[0].parsed.html || '', new RegExp(`<a href="https://ayuda\\.ejemplo\\.mx/agent/tickets/${later.number}">#${later.number}</a>`))
    assert.equal(digest[0].parsed.headers.get('auto-submitted'), 'auto-generated')
    const english = capture.messages.slice(sent).filter((m) => m.to.includes('amy@ayuda.test') && /cut-off/.test(m.parsed.subject ?? ''))
    assert.equal(english.length, 1)
    assert.equal(english[0].parsed.subject, '13:00 cut-off — open tickets assigned to you: 1')
    assert.match(english[0].parsed.text ?? '', new RegExp(`- #${amys.number} SIM bloqueada — New — due Mar 4, 1:30 PM`))
    assert.deepEqual(slaMails(CUSTOMER).filter((m) => /Corte|cut-off/.test(m.parsed.subject ?? '')), [])

    // Exactly once per (cut-off occurrence, assignee): the run is claimed once, and a retried digest job queues nothing.
    assert.equal(await runCutoff(env.ctx.db, env.ctx.now(), { cutoffId, scheduledFor }), null)
    const job = (await sql<{ payload: Record<string, unknown> }>`select payload from jobs where name = 'sendSlaCutoffDigest' and payload->>'assigneeId' = ${agentId}`.execute(env.ctx.db)).rows
    assert.equal(job.length, 1)
    assert.equal(await sendCutoffDigest(env.ctx, job[0].payload as unknown as CutoffDigestPayload), false)
    await settle()
    const rows = (await sql<{ to_address: string; ticket_id: string | null }>`select to_address, ticket_id from outbound_messages
      where template = 'sla_cutoff_reminder' order by to_address`.execute(env.ctx.db)).rows
    assert.deepEqual(rows, [{ to_address: 'amy@ayuda.test', ticket_id: null }, { to_address: AGENT, ticket_id: null }])
  })

  it('honours the cutoffReminder switch, and previews the digest template with a list', async () => {
    assert.equal((await agent.put('/api/v1/me/email-notifications', { cutoffReminder: false })).statusCode, 200)
    env.clock.set(mx('2026-03-05 13:00:05'))
    const sent = capture.messages.length
    assert.equal(await runCutoff(env.ctx.db, env.ctx.now(), { cutoffId, scheduledFor: mx('2026-03-05 13:00').toISOString() }), 4)
    await settle()
    await capture.waitFor(sent + 1)
    await new Promise((r) => setTimeout(r, 200))
    assert.deepEqual(capture.messages.slice(sent).filter((m) => /Corte|cut-off/.test(m.parsed.subject ?? '')).flatMap((m) => m.to), ['amy@ayuda.test'])

    const preview = await admin.post('/api/v1/email-templates/preview', { event: 'sla_cutoff_reminder', lang: 'es', subject: '{{tickets.count}} pendientes al corte de las {{cutoff.time}}' })
    assert.equal(preview.statusCode, 200, preview.body)
    assert.equal(preview.json().subject, '3 pendientes al corte de las 13:00')
    assert.match(preview.json().text, /- #11768 No puedo timbrar facturas — En proceso — vencido desde 2 mar, 12:40/)
    assert.match(preview.json().html, /<table/)
    assert.deepEqual(preview.json().problems, [])
    const bad = await admin.put('/api/v1/email-templates/sla_cutoff_reminder/en', { subject: '{{ticket.subject}}', body: null })
    assert.equal(bad.statusCode, 400)
  })
})
