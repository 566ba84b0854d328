import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import type { EscalationAction, EscalationRecipient, EscalationTrigger } from '../../../../../common/src/sla/sla-policy.types'
import { SLA_PRIORITIES, type SlaPriority } from '../../../../../common/src/sla/sla.types'
import type { CommandContext } from '../../tickets/history/append-history'
import { recordTicketEvent } from '../../tickets/commands/record-ticket-event'
import { updateTicket, type UpdateTicketInput } from '../../tickets/commands/update-ticket'
import type { SlaTargetKey } from '../sla.tables'
import type { ComputedTarget } from '../live/recompute-ticket-sla'
import type { SlaTicketRow } from '../live/load-sla-inputs'
import { TARGET_NAME } from './schedule-escalations'

/** Urgent ← high ← normal ← low: one step up, or null when already urgent. */
export function raisedPriority(p: SlaPriority): SlaPriority | null {
  const i = SLA_PRIORITIES.indexOf(p)
  return i > 0 ? SLA_PRIORITIES[i - 1] : null
}

/** Active staff to tell: the assignee, the lead of the ticket's team, every supervisor. */
async function recipientIds(trx: Trx, ticket: SlaTicketRow, who: readonly EscalationRecipient[]): Promise<string[]> {
  const ids = new Set<string>()
  if (who.includes('assignee') && ticket.assigneeId) ids.add(ticket.assigneeId)
  if (who.includes('team_lead') && ticket.teamId) {
    const lead = (await sql<{ lead_user_id: string | null }>`select lead_user_id from teams where id = ${ticket.teamId}`.execute(trx)).rows[0]?.lead_user_id
    if (lead) ids.add(lead)
  }
  if (who.includes('supervisors')) {
    for (const r of (await sql<{ id: string }>`select id from users where role = 'supervisor' and active order by name`.execute(trx)).rows) ids.add(r.id)
  }
  if (!ids.size) return []
  return (await sql<{ id: string }>`select id from users where id = any(${[...ids]}::uuid[]) and active and role <> 'customer'`.execute(trx)).rows.map((r) => r.id)
}

/**
 * Runs one escalation's actions in the caller's transaction, through the tickets' own commands
 * (so history, events and a fresh SLA computation follow): raise the priority one step, move to
 * another team and/or support level, and record one `sla.warning` / `sla.breached` event naming
 * the staff to notify (`recipientIds`), which the email module turns into mail (with the policy's
 * name and the calendar's zone for the due time).
 */
export async function runEscalationActions(trx: Trx, ctx: CommandContext, input: {
  ticket: SlaTicketRow; target: SlaTargetKey; kind: EscalationTrigger; result: ComputedTarget; policyId: string | null; actions: EscalationAction[]
  policyName?: string | null; calendarId?: string | null
}): Promise<{ recipientIds: string[]; changed: string[] }> {
  const { ticket, actions } = input
  const who = new Set<EscalationRecipient>()
  const change: UpdateTicketInput = {}
  for (const a of actions) {
    if (a.type === 'notify') a.recipients.forEach((r) => who.add(r))
    else if (a.type === 'raise_priority') {
      const raised = raisedPriority(change.priority ?? ticket.priority)
      if (raised) change.priority = raised
    } else if (a.type === 'move') {
      if (a.teamId && a.teamId !== ticket.teamId) change.teamId = a.teamId
      if (a.level != null && a.level !== ticket.supportLevel) change.supportLevel = a.level
    }
  }
  const recipients = await recipientIds(trx, ticket, [...who])
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())
  // The calendar's zone, so the email shows due times as the team reads them.
  const timezone = input.calendarId
    ? (await sql<{ timezone: string }>`select timezone from sla_calendars where id = ${input.calendarId}`.execute(trx)).rows[0]?.timezone ?? null
    : null
  await recordTicketEvent(trx, ctx, ticket.id, input.kind === 'warning' ? 'sla.warning' : 'sla.breached', {
    number: ticket.number, target: TARGET_NAME[input.target], cycle: input.result.cycle, policyId: input.policyId, policyName: input.policyName ?? null, timezone,
    dueAt: iso(input.result.dueAt), warningAt: iso(input.result.warningAt), breachedAt: iso(input.result.breachedAt),
    notify: [...who], recipientIds: recipients, internal: true,
  })
  const changed = Object.keys(change).length ? (await updateTicket(trx, ctx, ticket.id, change)).changed : []
  return { recipientIds: recipients, changed }
}
