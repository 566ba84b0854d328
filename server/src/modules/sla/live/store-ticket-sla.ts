import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import type { SlaTargetKey } from '../sla.tables'
import type { ComputedTicketSla } from './recompute-ticket-sla'

/** next_due_at of a ticket with nothing running: far in the future, so ascending lists put it last. */
export const NEVER_DUE = new Date('9999-12-31T00:00:00Z')
const STOPPED = new Set(['resolved', 'closed', 'cancelled'])
const MINUTE = 60_000

/** (ticket, target) → cycle of the rows stored before this write. */
export type PreviousTargets = Map<string, Map<SlaTargetKey, number>>

const d = (ms: number | null) => (ms === null ? null : new Date(ms))

/** The summary lists use: earliest running deadline and warning, earliest unmet breach. */
export function summaryOf(c: ComputedTicketSla) {
  let next = Infinity
  let warning = Infinity
  let overdue = Infinity
  for (const t of Object.values(c.targets)) {
    if (t.state === 'running' && t.dueAt !== null) {
      next = Math.min(next, t.dueAt)
      if (t.warningAt !== null) warning = Math.min(warning, t.warningAt)
    }
    if (t.state === 'breached' && t.metAt === null && t.breachedAt !== null && !STOPPED.has(c.ticket.status)) overdue = Math.min(overdue, t.breachedAt)
  }
  return {
    nextDueAt: next === Infinity ? NEVER_DUE : new Date(next),
    warningAt: warning === Infinity ? null : new Date(warning),
    overdueSince: overdue === Infinity ? null : new Date(overdue),
  }
}

/**
 * Writes the computed targets (replacing the ticket's rows), the per-ticket summary, and a
 * breach row per breached target (kept afterwards; `met_at` follows the late answer). Returns
 * the targets stored before, so moved or ended escalations can be cancelled.
 */
export async function storeTicketSla(trx: Executor, computed: ComputedTicketSla[], now: Date): Promise<PreviousTargets> {
  const ids = computed.map((c) => c.ticket.id)
  const previous: PreviousTargets = new Map()
  const before = (await sql<{ ticket_id: string; target: SlaTargetKey; cycle: number }>`
    delete from ticket_sla where ticket_id = any(${ids}::uuid[]) returning ticket_id, target, cycle`.execute(trx)).rows
  for (const r of before) {
    if (!previous.has(r.ticket_id)) previous.set(r.ticket_id, new Map())
    previous.get(r.ticket_id)!.set(r.target, r.cycle)
  }

  const rows = computed.flatMap((c) => Object.entries(c.targets).map(([target, t]) => sql`(${c.ticket.id}, ${target}, ${t.cycle}, ${t.state},
    ${t.counting}, ${Math.round(t.targetMinutes * MINUTE)}, ${Math.round(t.elapsedMs)}, ${d(t.dueAt)}, ${d(t.warningAt)}, ${t.warning},
    ${d(t.metAt)}, ${d(t.breachedAt)}, ${now})`))
  for (let i = 0; i < rows.length; i += 500) {
    await sql`insert into ticket_sla (ticket_id, target, cycle, state, counting, target_ms, elapsed_ms, due_at, warning_at, warning,
      met_at, breached_at, computed_at) values ${sql.join(rows.slice(i, i + 500))}`.execute(trx)
  }

  const summaries = computed.map((c) => {
    const s = summaryOf(c)
    return sql`(${c.ticket.id}, ${c.policy?.id ?? null}::uuid, ${c.calendarId && c.calendarId !== '24x7' ? c.calendarId : null}::uuid,
      ${s.nextDueAt}::timestamptz, ${s.warningAt}::timestamptz, ${s.overdueSince}::timestamptz, ${now}::timestamptz)`
  })
  for (let i = 0; i < summaries.length; i += 500) {
    await sql`insert into ticket_sla_summary (ticket_id, policy_id, calendar_id, next_due_at, warning_at, overdue_since, computed_at)
      values ${sql.join(summaries.slice(i, i + 500))}
      on conflict (ticket_id) do update set policy_id = excluded.policy_id, calendar_id = excluded.calendar_id,
        next_due_at = excluded.next_due_at, warning_at = excluded.warning_at, overdue_since = excluded.overdue_since,
        computed_at = excluded.computed_at`.execute(trx)
  }

  const breaches = computed.flatMap((c) => Object.entries(c.targets)
    .filter(([, t]) => t.breachedAt !== null)
    .map(([target, t]) => sql`(${c.ticket.id}, ${target}, ${t.cycle}, ${c.policy?.id ?? null}::uuid, ${c.ticket.priority},
      ${c.ticket.categoryId}::uuid, ${c.ticket.teamId}::uuid, ${c.ticket.assigneeId}::uuid, ${c.ticket.organizationId}::uuid,
      ${Math.round(t.targetMinutes)}, ${d(t.breachedAt)}::timestamptz, ${d(t.breachedAt)}::timestamptz, ${d(t.metAt)}::timestamptz, ${now}::timestamptz)`))
  for (let i = 0; i < breaches.length; i += 500) {
    await sql`insert into sla_breaches (ticket_id, target, cycle, policy_id, priority, category_id, team_id, assignee_id, organization_id,
        target_minutes, due_at, breached_at, met_at, recorded_at)
      values ${sql.join(breaches.slice(i, i + 500))}
      on conflict (ticket_id, target, cycle) do update set met_at = excluded.met_at`.execute(trx)
  }
  return previous
}
