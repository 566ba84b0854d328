import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import { cancelJob, enqueueJob, rescheduleJob } from '../../../platform/jobs/queue'
import type { EscalationRule, EscalationTrigger, SlaTargetName } from '../../../../../common/src/sla/sla-policy.types'
import type { SlaTargetKey } from '../sla.tables'
import type { PreviousTargets } from '../live/store-ticket-sla'
import type { ComputedTarget, ComputedTicketSla, RecomputeOptions } from '../live/recompute-ticket-sla'

export const ESCALATE_JOB = 'escalateSla'
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
 * Keeps one queued `escalateSla` job per ticket, target, cycle and kind that the policy acts on:
 * enqueued at the warning / due instant, moved when that instant moves (rescheduleJob), cancelled
 * when the target is met, paused, ended or already escalated (cancelJob). Imports
 * (`suppressPast`) record warnings and breaches already in the past as handled, so history does
 * not page anyone. Exactly-once is enforced by sla_escalations, not by the queue.
 */
export async function scheduleEscalations(trx: Executor, computed: ComputedTicketSla[], previous: PreviousTargets, opts: RecomputeOptions) {
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
  if (!cancels.length && !wanted.length) return

  const fired = wanted.length
    ? new Set((await sql<{ ticket_id: string; target: string; cycle: number; kind: string }>`
        select ticket_id, target, cycle, kind from sla_escalations where ticket_id = any(${[...new Set(wanted.map((w) => w.ticketId))]}::uuid[])`
      .execute(trx)).rows.map((r) => escalationKey(r.ticket_id, r.target as SlaTargetKey, r.cycle, r.kind as EscalationTrigger)))
    : new Set<string>()
  const keys = [...cancels, ...wanted.map((w) => w.key)]
  const queued = new Set((await sql<{ unique_key: string }>`
    select unique_key from jobs where unique_key = any(${keys}::text[]) and status = 'queued'`.execute(trx)).rows.map((r) => r.unique_key))

  for (const key of cancels) if (queued.has(key)) await cancelJob(trx, key)
  for (const w of wanted) {
    if (fired.has(w.key)) {
      if (queued.has(w.key)) await cancelJob(trx, w.key)
    } else if (opts.suppressPast && w.at <= now) {
      await sql`insert into sla_escalations (ticket_id, target, cycle, kind, fired_at, suppressed)
        values (${w.ticketId}, ${w.target}, ${w.cycle}, ${w.kind}, ${new Date(w.at)}, true) on conflict do nothing`.execute(trx)
    } else if (queued.has(w.key)) {
      await rescheduleJob(trx, w.key, new Date(w.at))
    } else {
      await enqueueJob(trx, ESCALATE_JOB, { ticketId: w.ticketId, target: w.target, cycle: w.cycle, kind: w.kind }, { uniqueKey: w.key, runAt: new Date(w.at) })
    }
  }
}
