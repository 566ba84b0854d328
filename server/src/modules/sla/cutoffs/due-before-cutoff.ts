import { sql } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import { visibleTicketsWhere } from '../../tickets/tickets.policy'
import { andAll, filterConditions, type TicketFilters } from '../../tickets/queries/ticket-filters'
import { NEVER_DUE } from '../live/store-ticket-sla'
import { cutoffZone, nextCutoffAt, type CutoffRow } from './cutoff-commands'

/**
 * GET /api/v1/sla/cutoffs/:id/due: the viewer's open tickets matching the cut-off's filter that
 * are due before its next run (or already overdue), soonest first — what to work before the corte.
 */
export async function dueBeforeCutoff(db: Executor, actor: Actor, cutoff: CutoffRow, now: Date, limit = 200) {
  const zone = await cutoffZone(db, cutoff)
  const next = nextCutoffAt(cutoff, zone, now)
  const until = next ?? now
  const conditions = [visibleTicketsWhere(actor), ...(await filterConditions(db, actor, cutoff.filter as TicketFilters, { now }))]
  const rows = (await sql<{ id: string; number: number; subject: string; status: string; priority: string; assignee_id: string | null; assignee_name: string | null; next_due_at: Date; overdue_since: Date | null }>`
    select t.id, t.number, t.subject, t.status, t.priority, t.assignee_id, a.name as assignee_name, sla.next_due_at, sla.overdue_since
    from tickets t join ticket_sla_summary sla on sla.ticket_id = t.id left join users a on a.id = t.assignee_id
    where t.status not in ('resolved', 'closed', 'cancelled') and (sla.next_due_at < ${until} or sla.overdue_since is not null)
      and ${andAll(conditions)}
    order by sla.due_order_at, t.number
    limit ${limit}`.execute(db)).rows
  return {
    cutoff: { id: cutoff.id, name: cutoff.name },
    nextCutoffAt: next ? next.toISOString() : null,
    items: rows.map((r) => ({
      id: r.id, number: Number(r.number), subject: r.subject, status: r.status, priority: r.priority,
      assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name ?? '' } : null,
      nextDueAt: new Date(r.next_due_at).getTime() >= NEVER_DUE.getTime() ? null : new Date(r.next_due_at).toISOString(),
      overdue: r.overdue_since !== null || new Date(r.next_due_at).getTime() <= now.getTime(),
    })),
  }
}
