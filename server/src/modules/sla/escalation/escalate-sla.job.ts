import { sql } from 'kysely'
import { systemActor } from '../../../platform/auth/actor'
import { inTransaction } from '../../../platform/db/database'
import { defineJob, enqueueJob } from '../../../platform/jobs/queue'
import type { EscalationTrigger } from '../../../../../common/src/sla/sla-policy.types'
import type { SlaTargetKey } from '../sla.tables'
import { recomputeTicketSla } from '../live/recompute-ticket-sla'
import { runEscalationActions } from './escalation-actions'
import { ESCALATE_JOB, escalationKey, rulesFor } from './schedule-escalations'

export interface EscalatePayload { ticketId: string; target: SlaTargetKey; cycle: number; kind: EscalationTrigger }

/**
 * `escalateSla`: at a target's warning or due instant, recomputes the ticket's SLA as of now and,
 * if the warning share was reached (or the target breached) and nothing has met it, runs the
 * policy's escalation actions once — the sla_escalations row is the once-only guard, so a job
 * that runs twice (a retry, a restart, a second instance) does nothing the second time. A
 * warning found already breached is recorded without acting (the breach escalation follows).
 * If the instant moved later while this job was running, a follow-up job is queued for it.
 */
export async function escalateSla(now: Date, db: Parameters<typeof inTransaction>[0], p: EscalatePayload): Promise<'fired' | 'skipped' | 'rescheduled'> {
  return inTransaction(db, async (trx) => {
    const locked = (await sql`select id from tickets where id = ${p.ticketId} for update`.execute(trx)).rows.length
    if (!locked) return 'skipped'
    const computed = await recomputeTicketSla(trx, p.ticketId, { now })
    const t = computed?.targets[p.target]
    if (!computed || !t || t.cycle !== p.cycle || t.metAt !== null) return 'skipped'
    const due = p.kind === 'breach' ? t.state === 'breached' : t.warning
    if (!due) {
      const at = p.kind === 'breach' ? t.dueAt : t.warningAt
      if (t.state !== 'running' || at === null) return 'skipped'
      await enqueueJob(trx, ESCALATE_JOB, { ...p }, { uniqueKey: `${escalationKey(p.ticketId, p.target, p.cycle, p.kind)}@${at}`, runAt: new Date(at) })
      return 'rescheduled'
    }
    const superseded = p.kind === 'warning' && t.state === 'breached'
    const rules = superseded ? [] : rulesFor(computed.policy?.escalations, p.kind, p.target)
    const actions = rules.flatMap((r) => r.actions)
    const inserted = (await sql`insert into sla_escalations (ticket_id, target, cycle, kind, fired_at, suppressed, actions)
      values (${p.ticketId}, ${p.target}, ${p.cycle}, ${p.kind}, ${now}, ${superseded}, ${JSON.stringify(actions)}::jsonb)
      on conflict do nothing returning ticket_id`.execute(trx)).rows.length
    if (!inserted || superseded) return 'skipped'
    await runEscalationActions(trx, { actor: systemActor(), now }, {
      ticket: computed.ticket, target: p.target, kind: p.kind, result: t, policyId: computed.policy?.id ?? null, actions,
      policyName: computed.policy?.name ?? null, calendarId: computed.calendarId,
    })
    return 'fired'
  })
}

defineJob(ESCALATE_JOB, async (ctx, payload) => {
  await escalateSla(ctx.now(), ctx.db, payload as unknown as EscalatePayload)
})
