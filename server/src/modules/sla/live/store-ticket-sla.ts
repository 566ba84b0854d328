import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import type { SlaTargetKey } from '../sla.tables'
import type { EscalationWrites } from '../escalation/schedule-escalations'
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

/** Tickets per statement: bounds its arrays and keeps the breach rows' bind parameters far below PostgreSQL's 65,535. */
const CHUNK = 200

/**
 * Writes the computed targets (upserting the ticket's rows and deleting the ones no longer
 * computed), the per-ticket summary, and a breach row per breached target (kept afterwards;
 * `met_at` follows the late answer) — one statement per 200 tickets, the first of which also
 * carries the escalation jobs' writes.
 */
export async function storeTicketSla(trx: Executor, computed: ComputedTicketSla[], now: Date, escalations: EscalationWrites) {
  for (let i = 0; i < computed.length; i += CHUNK) {
    await storeChunk(trx, computed.slice(i, i + CHUNK), now, i === 0 ? escalations : { ctes: [], wake: null })
  }
}

async function storeChunk(trx: Executor, computed: ComputedTicketSla[], now: Date, escalations: EscalationWrites) {
  const ids = computed.map((c) => c.ticket.id)
  const targets = computed.flatMap((c) => Object.entries(c.targets).map(([target, t]) => ({ id: c.ticket.id, target, t })))
  const kept = targets.map((x) => `${x.id}:${x.target}`)
  // Arrays, not a VALUES row per target or ticket: the statement's text and parameters do not grow with the batch.
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  const col = <T>(pick: (x: (typeof targets)[number]) => T) => targets.map(pick)
  const upsert = targets.length
    ? sql`, upserted as (
        insert into ticket_sla (ticket_id, target, cycle, state, counting, target_ms, elapsed_ms, due_at, warning_at, warning, met_at, breached_at, computed_at)
        select *, ${now}::timestamptz from unnest(${col((x) => x.id)}::uuid[], ${col((x) => x.target)}::text[], ${col((x) => x.t.cycle)}::int[],
          ${col((x) => x.t.state)}::text[], ${col((x) => x.t.counting)}::boolean[], ${col((x) => Math.round(x.t.targetMinutes * MINUTE))}::bigint[],
          ${col((x) => Math.round(x.t.elapsedMs))}::bigint[], ${col((x) => iso(x.t.dueAt))}::timestamptz[], ${col((x) => iso(x.t.warningAt))}::timestamptz[],
          ${col((x) => x.t.warning)}::boolean[], ${col((x) => iso(x.t.metAt))}::timestamptz[], ${col((x) => iso(x.t.breachedAt))}::timestamptz[])
        on conflict (ticket_id, target) do update set cycle = excluded.cycle, state = excluded.state, counting = excluded.counting,
          target_ms = excluded.target_ms, elapsed_ms = excluded.elapsed_ms, due_at = excluded.due_at, warning_at = excluded.warning_at,
          warning = excluded.warning, met_at = excluded.met_at, breached_at = excluded.breached_at, computed_at = excluded.computed_at)`
    : sql``

  const summaries = computed.map((c) => ({ c, s: summaryOf(c) }))
  const sum = <T>(pick: (x: (typeof summaries)[number]) => T) => summaries.map(pick)

  const breaches = computed.flatMap((c) => Object.entries(c.targets)
    .filter(([, t]) => t.breachedAt !== null)
    .map(([target, t]) => sql`(${c.ticket.id}::uuid, ${target}, ${t.cycle}::int, ${c.policy?.id ?? null}::uuid, ${c.ticket.priority},
      ${c.ticket.categoryId}::uuid, ${c.ticket.teamId}::uuid, ${c.ticket.assigneeId}::uuid, ${c.ticket.organizationId}::uuid,
      ${Math.round(t.targetMinutes)}::int, ${d(t.breachedAt)}::timestamptz, ${d(t.breachedAt)}::timestamptz, ${d(t.metAt)}::timestamptz, ${now}::timestamptz)`))
  const breached = breaches.length
    ? sql`, breached as (
        insert into sla_breaches (ticket_id, target, cycle, policy_id, priority, category_id, team_id, assignee_id, organization_id,
          target_minutes, due_at, breached_at, met_at, recorded_at)
        values ${sql.join(breaches)}
        on conflict (ticket_id, target, cycle) do update set met_at = excluded.met_at)`
    : sql``

  // The CTEs share one snapshot: the upsert and the delete touch different rows (computed
  // targets / the others); the escalation writes touch jobs and sla_escalations only.
  const more = escalations.ctes.length ? sql`, ${sql.join(escalations.ctes)}` : sql``
  await sql`
    with dropped as (
      delete from ticket_sla where ticket_id = any(${ids}::uuid[]) and (ticket_id::text || ':' || target) <> all(${kept}::text[]))${upsert},
    summarised as (
      insert into ticket_sla_summary (ticket_id, policy_id, calendar_id, next_due_at, warning_at, overdue_since, computed_at)
      select *, ${now}::timestamptz from unnest(${sum((x) => x.c.ticket.id)}::uuid[], ${sum((x) => x.c.policy?.id ?? null)}::uuid[],
        ${sum((x) => (x.c.calendarId && x.c.calendarId !== '24x7' ? x.c.calendarId : null))}::uuid[], ${sum((x) => x.s.nextDueAt.toISOString())}::timestamptz[],
        ${sum((x) => x.s.warningAt?.toISOString() ?? null)}::timestamptz[], ${sum((x) => x.s.overdueSince?.toISOString() ?? null)}::timestamptz[])
      on conflict (ticket_id) do update set policy_id = excluded.policy_id, calendar_id = excluded.calendar_id,
        next_due_at = excluded.next_due_at, warning_at = excluded.warning_at, overdue_since = excluded.overdue_since,
        computed_at = excluded.computed_at)${breached}${more}
    select ${escalations.wake ?? sql`null`} as woke`.execute(trx)
}
