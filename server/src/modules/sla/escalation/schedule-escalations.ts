import { sql, type RawBuilder } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import { jobsInsert, type NewJob } from '../../../platform/jobs/queue'
import type { EscalationRule, EscalationTrigger, SlaTargetName } from '../../../../../common/src/sla/sla-policy.types'
import type { SlaTargetKey } from '../sla.tables'
import type { PreviousTargets } from '../live/store-ticket-sla'
import type { ComputedTarget, ComputedTicketSla, RecomputeOptions } from '../live/recompute-ticket-sla'

export const ESCALATE_JOB = 'escalateSla'

/**
 * The job and escalation rows a recomputation changes, as CTEs for the statement that stores the
 * targets (`name as (…)`), and the wake-up expression for jobs due at once.
 */
export interface EscalationWrites { ctes: RawBuilder<unknown>[]; wake: RawBuilder<unknown> | null }
const NO_WRITES: EscalationWrites = { ctes: [], wake: null }
const KINDS: EscalationTrigger[] = ['warning', 'breach']
const TARGET_KEYS: SlaTargetKey[] = ['first_response', 'next_response', 'resolution']
const STOPPED = new Set(['resolved', 'closed', 'cancelled'])

export const TARGET_NAME: Record<SlaTargetKey, SlaTargetName> = {
  first_response: 'firstResponse', next_response: 'nextResponse', resolution: 'resolution',
}

/** The job key of one escalation: one queued job per ticket, target, cycle and kind. */
export const escalationKey = (ticketId: string, target: SlaTargetKey, cycle: number, kind: EscalationTrigger) =>
  `sla:${ticketId}:${target}:${cycle}:${kind}`

/** The rules of a policy that act at `kind` on `target`. */
export function rulesFor(rules: readonly EscalationRule[] | undefined, kind: EscalationTrigger, target: SlaTargetKey): EscalationRule[] {
  return (rules ?? []).filter((r) => r.on === kind && (!r.targets?.length || r.targets.includes(TARGET_NAME[target])))
}

/** When an escalation of `kind` should run for this target (past = now), or null when it should not. */
export function escalationTime(t: ComputedTarget, kind: EscalationTrigger, now: number): number | null {
  if (t.metAt !== null) return null
  if (kind === 'breach') {
    if (t.state === 'running') return t.dueAt
    return t.state === 'breached' ? Math.min(t.breachedAt ?? now, now) : null
  }
  if (t.state !== 'running') return null
  return t.warning ? now : t.warningAt
}

/**
 * Plans one queued `escalateSla` job per ticket, target, cycle and kind that the policy acts on:
 * enqueued at the warning / due instant, moved when that instant moves, deleted when the target is
 * met, paused, ended or already escalated. Imports (`suppressPast`) record warnings and breaches
 * already in the past as handled, so history does not page anyone. Reads what is fired and queued
 * (only for tickets that had targets before); the writes go into the statement that stores the
 * targets. Exactly-once is enforced by sla_escalations, not by the queue.
 */
export async function planEscalations(trx: Executor, computed: ComputedTicketSla[], previous: PreviousTargets, opts: RecomputeOptions): Promise<EscalationWrites> {
  const now = opts.now.getTime()
  const cancels: string[] = []
  const wanted: Array<{ key: string; ticketId: string; target: SlaTargetKey; cycle: number; kind: EscalationTrigger; at: number }> = []
  for (const c of computed) {
    const id = c.ticket.id
    const rules = c.policy?.escalations ?? []
    if (!rules.length && !previous.has(id)) continue
    for (const target of TARGET_KEYS) {
      const t = c.targets[target]
      const before = previous.get(id)?.get(target)
      for (const kind of KINDS) {
        if (before !== undefined && before !== t?.cycle) cancels.push(escalationKey(id, target, before, kind))
        if (!t) continue
        const key = escalationKey(id, target, t.cycle, kind)
        const at = STOPPED.has(c.ticket.status) || !rulesFor(rules, kind, target).length ? null : escalationTime(t, kind, now)
        if (at === null) cancels.push(key)
        else wanted.push({ key, ticketId: id, target, cycle: t.cycle, kind, at })
      }
    }
  }
  if (!cancels.length && !wanted.length) return NO_WRITES

  // A ticket with no targets stored before (a new one) has no escalation fired or queued: its
  // lookups are skipped. (Should one exist all the same, the queue's unique key and the job's own
  // check of sla_escalations still keep it to once.)
  const known = wanted.filter((w) => previous.has(w.ticketId))
  const fired = known.length
    ? new Set((await sql<{ ticket_id: string; target: string; cycle: number; kind: string }>`
        select ticket_id, target, cycle, kind from sla_escalations where ticket_id = any(${[...new Set(known.map((w) => w.ticketId))]}::uuid[])`
      .execute(trx)).rows.map((r) => escalationKey(r.ticket_id, r.target as SlaTargetKey, r.cycle, r.kind as EscalationTrigger)))
    : new Set<string>()
  const keys = [...cancels, ...known.map((w) => w.key)]
  const queued = keys.length
    ? new Set((await sql<{ unique_key: string }>`
        select unique_key from jobs where unique_key = any(${keys}::text[]) and unique_key is not null and status = 'queued'`
      .execute(trx)).rows.map((r) => r.unique_key))
    : new Set<string>()

  const dropped = cancels.filter((key) => queued.has(key))
  const moved: Array<{ key: string; at: number }> = []
  const suppressed: typeof wanted = []
  const added: NewJob[] = []
  for (const w of wanted) {
    if (fired.has(w.key)) {
      if (queued.has(w.key)) dropped.push(w.key)
    } else if (opts.suppressPast && w.at <= now) {
      suppressed.push(w)
    } else if (queued.has(w.key)) {
      moved.push({ key: w.key, at: w.at })
    } else {
      added.push({ name: ESCALATE_JOB, payload: { ticketId: w.ticketId, target: w.target, cycle: w.cycle, kind: w.kind }, opts: { uniqueKey: w.key, runAt: new Date(w.at) } })
    }
  }
  const ctes: RawBuilder<unknown>[] = []
  if (dropped.length) ctes.push(sql`esc_dropped as (delete from jobs where unique_key = any(${dropped}::text[]) and status = 'queued')`)
  if (moved.length) {
    ctes.push(sql`esc_moved as (update jobs set run_at = m.at
      from (values ${sql.join(moved.map((m) => sql`(${m.key}::text, ${new Date(m.at)}::timestamptz)`))}) as m(key, at)
      where jobs.unique_key = m.key and jobs.status = 'queued')`)
  }
  if (suppressed.length) {
    ctes.push(sql`esc_suppressed as (insert into sla_escalations (ticket_id, target, cycle, kind, fired_at, suppressed)
      values ${sql.join(suppressed.map((w) => sql`(${w.ticketId}::uuid, ${w.target}, ${w.cycle}::int, ${w.kind}, ${new Date(w.at)}::timestamptz, true)`))}
      on conflict do nothing)`)
  }
  let wake: RawBuilder<unknown> | null = null
  if (added.length) {
    const jobs = jobsInsert(added, opts.now)
    ctes.push(sql`esc_added as (${jobs.insert})`)
    wake = jobs.wake('esc_added')
  }
  return { ctes, wake }
}
