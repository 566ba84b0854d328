import { sql } from 'kysely'
import type { AppContext } from '../../platform/context'
import { inTransaction } from '../../platform/db/database'
import { hashPassword } from '../../platform/auth/secrets'
import { actorForUser } from '../../platform/auth/load-actor'
import type { Progress } from '../../platform/cli/progress'
import { NOTIFY_JOB } from '../email/email.jobs'
import { loadExampleSet } from '../sla/presets/load-example-set'
import { MVNO_PRESET } from '../sla/presets/mvno'
import { recomputeTicketSla } from '../sla/live/recompute-ticket-sla'
import { createTicket } from '../tickets/commands/create-ticket'
import { addComment } from '../tickets/commands/add-comment'
import { changeStatus } from '../tickets/commands/change-status'
import { DEMO_DESCRIPTIONS, DEMO_NOTES, DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_REPLIES, DEMO_STAFF, DEMO_TEAMS, demoCustomers } from './demo-data'

/** Where each demo ticket's life ends; every status appears. */
const PATHS: string[][] = [
  [], ['open'], ['pending'], ['open', 'on_hold'], ['open', 'resolved'], ['open', 'resolved', 'closed'], ['cancelled'],
  ['pending', 'open'], ['open', 'resolved'], ['open'],
]
const CHANNELS = ['phone', 'email', 'web', 'chat', 'whatsapp', 'phone', 'email'] as const
const PRIORITIES = ['high', 'normal', 'normal', 'low', 'urgent'] as const

export interface DemoSummary { alreadyLoaded: boolean; organizations: number; staff: number; customers: number; tickets: number }

/**
 * Loads the demo: organizations with sites, level 1 and 2 teams, a supervisor and agents, customers,
 * the MVNO SLA example set (categories + policies + cut-offs), and `tickets` tickets in every status
 * filed through the real ticket commands over the last 30 days; their past SLA warnings and breaches
 * are recorded as suppressed, never escalated, and nobody is mailed about them. Running it twice
 * changes nothing.
 */
export async function loadDemo(ctx: AppContext, opts: { tickets: number; progress: Progress }): Promise<DemoSummary> {
  const existing = await sql`select 1 from organizations where name = ${DEMO_ORGANIZATIONS[0].name}`.execute(ctx.db)
  if (existing.rows.length) return { alreadyLoaded: true, organizations: 0, staff: 0, customers: 0, tickets: 0 }
  const hash = await hashPassword(DEMO_PASSWORD)
  const customers = demoCustomers(40)
  const ids = await inTransaction(ctx.db, async (trx) => {
    const orgIds: string[] = []
    for (const o of DEMO_ORGANIZATIONS) {
      const id = (await sql<{ id: string }>`insert into organizations (name, domains, tier, shares_tickets) values (${o.name}, ${o.domains}, ${o.tier}, ${o.sharesTickets}) returning id`.execute(trx)).rows[0].id
      for (const [code, name] of o.sites) await sql`insert into sites (organization_id, code, name) values (${id}, ${code}, ${name})`.execute(trx)
      orgIds.push(id)
    }
    const teamIds: string[] = []
    for (const t of DEMO_TEAMS) teamIds.push((await sql<{ id: string }>`insert into teams (name, level) values (${t.name}, ${t.level}) returning id`.execute(trx)).rows[0].id)
    const staffIds: string[] = []
    for (const s of DEMO_STAFF) {
      const id = (await sql<{ id: string }>`insert into users (email, name, role, password_hash) values (${s.email}, ${s.name}, ${s.role}, ${hash})
        on conflict (lower(email)) where email is not null do update set name = excluded.name returning id`.execute(trx)).rows[0].id
      for (const t of s.teams) await sql`insert into team_members (team_id, user_id) values (${teamIds[t]}, ${id}) on conflict do nothing`.execute(trx)
      staffIds.push(id)
    }
    await sql`update teams set lead_user_id = ${staffIds[0]} where id = any(${teamIds})`.execute(trx)
    const customerIds: string[] = []
    for (const [i, c] of customers.entries()) {
      // The first customer of each organization is its manager and can sign in to the portal.
      const portal = i < DEMO_ORGANIZATIONS.length
      customerIds.push((await sql<{ id: string }>`insert into users (email, name, phone, role, organization_id, org_manager, password_hash)
        values (${c.email}, ${c.name}, ${c.phone}, 'customer', ${orgIds[c.org]}, ${portal}, ${portal ? hash : null}) returning id`.execute(trx)).rows[0].id)
    }
    await loadExampleSet(trx, MVNO_PRESET, ctx.now())
    return { orgIds, teamIds, staffIds, customerIds }
  })

  const categories = (await sql<{ id: string; name: string; description: string | null }>`select id, name, description from categories where depth > 0 order by name`.execute(ctx.db)).rows
  // The agents act as if signed in, so their replies are theirs (and count as first responses).
  const agents = (await Promise.all(ids.staffIds.slice(1).map((id) => actorForUser(ctx.db, id)))).map((a) => ({ ...a!, via: 'session' as const }))
  opts.progress.start('Tickets de demostración', opts.tickets)
  const ticketIds: string[] = []
  const start = ctx.now().getTime() - 30 * 86400_000
  for (let i = 0; i < opts.tickets; i++) {
    // Each agent takes ten tickets in a row, one of each path, so every queue has some of each status.
    const agent = agents[Math.floor(i / PATHS.length) % agents.length]
    const at = new Date(start + Math.floor((i / opts.tickets) * 29 * 86400_000) + (i % 7) * 3600_000)
    const later = (h: number) => ({ actor: agent, now: new Date(at.getTime() + h * 3600_000) })
    const category = categories[i % categories.length]
    const path = PATHS[i % PATHS.length]
    await inTransaction(ctx.db, async (trx) => {
      const t = await createTicket(trx, { actor: agent, now: at }, {
        subject: category ? category.name.slice(0, 150) : `Consulta ${i}`,
        description: DEMO_DESCRIPTIONS[i % DEMO_DESCRIPTIONS.length],
        categoryId: category?.id ?? null,
        priority: PRIORITIES[i % PRIORITIES.length],
        channel: CHANNELS[i % CHANNELS.length],
        // Shifted every ten tickets, so each organization (and its portal user) sees every status.
        requesterId: ids.customerIds[(i + Math.floor(i / PATHS.length)) % ids.customerIds.length],
        assigneeId: i % 5 === 0 ? null : agent.id,
        teamId: agent.teamIds[0] ?? null,
        ...(i % 3 === 0 ? { callId: `CALL-${20260000 + i}` } : {}),
      })
      ticketIds.push(t.id)
      if (i % 4 === 0) await addComment(trx, later(0.5), t.id, { body: DEMO_NOTES[i % DEMO_NOTES.length], internal: true })
      let h = 1
      for (const status of path) {
        const replies = DEMO_REPLIES[status]
        if (status === 'cancelled' || status === 'closed') {
          await changeStatus(trx, later(h), t.id, { status, ...(status === 'cancelled' ? { cancelReason: 'requester_request' as const } : {}) })
        } else if (status === 'on_hold') {
          await changeStatus(trx, later(h), t.id, { status, thirdParty: 'Altán Redes', thirdPartyRef: `CIC-${88000 + i}` })
          await addComment(trx, later(h), t.id, { body: replies[i % replies.length], internal: false })
        } else {
          await addComment(trx, later(h), t.id, { body: replies[i % replies.length], internal: false, status: { status } })
        }
        h += 3
      }
      // Filed in the past: warnings and breaches already behind us are recorded as suppressed (as
      // imports do), so the worker's first run does not page everyone about last month's tickets.
      await recomputeTicketSla(trx, t.id, { now: ctx.now(), suppressPast: true })
    })
    opts.progress.tick()
  }
  // Mail about last month's made-up tickets would go to the demo's made-up addresses as soon as
  // SMTP_URL is set (hundreds of acknowledgements and replies): none of it is sent.
  await sql`update jobs set status = 'done', finished_at = ${ctx.now()}
    where status = 'queued' and name = ${NOTIFY_JOB} and (payload->>'ticketId')::uuid = any(${ticketIds}::uuid[])`.execute(ctx.db)
  opts.progress.stop()
  return { alreadyLoaded: false, organizations: ids.orgIds.length, staff: ids.staffIds.length, customers: ids.customerIds.length, tickets: opts.tickets }
}
