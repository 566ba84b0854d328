import { sql, type RawBuilder } from 'kysely'
import { DateTime } from 'luxon'
import type { Actor } from '../../../platform/auth/actor'
import type { TicketListFilter, TicketListJoin, TicketListSort } from '../../tickets/tickets.extensions'
import { SLA_LIST_FILTERS, type SlaListFilter } from '../../../../../common/src/sla/sla.types'

/** Ticket lists join each ticket's SLA summary (one row per ticket) as `sla`. */
export const SLA_JOIN: TicketListJoin = { alias: 'sla', sql: sql`join ticket_sla_summary sla on sla.ticket_id = t.id` }

/** End of the viewer's local day ("hoy" in their time zone). */
export function endOfToday(actor: Pick<Actor, 'timezone'>, now: Date): Date {
  const zone = DateTime.now().setZone(actor.timezone).isValid ? actor.timezone : 'America/Mexico_City'
  return DateTime.fromJSDate(now, { zone }).endOf('day').plus({ milliseconds: 1 }).toJSDate()
}

/** One `sla=` value as a condition on the summary columns of `s` (an alias, or none inside a subquery). */
function one(value: SlaListFilter, s: string, actor: Actor, now: Date): RawBuilder<boolean> {
  const col = (name: string) => sql.ref(s ? `${s}.${name}` : name)
  switch (value) {
    case 'due_today': return sql<boolean>`(${col('next_due_at')} >= ${now} and ${col('next_due_at')} < ${endOfToday(actor, now)})`
    case 'breached': return sql<boolean>`(${col('overdue_since')} is not null or ${col('next_due_at')} <= ${now})`
    case 'warning': return sql<boolean>`(${col('warning_at')} <= ${now} and ${col('next_due_at')} > ${now})`
  }
}

/**
 * `sla=due_today|breached|warning` on GET /api/v1/tickets (several values: any of them): due later
 * today ("vencen hoy", the viewer's day), breached and still owed ("vencidos"), past the warning
 * share ("por vencer"). Lists sort by next due time unless told otherwise.
 */
export const slaListFilter: TicketListFilter = {
  join: SLA_JOIN,
  defaultSort: 'sla_due',
  condition(values, { actor, now, alias }) {
    const known = values.filter((v): v is SlaListFilter => SLA_LIST_FILTERS.includes(v as SlaListFilter))
    if (!known.length) return sql<boolean>`false`
    if (alias) return sql<boolean>`(${sql.join(known.map((v) => one(v, alias, actor, now)), sql` or `)})`
    return sql<boolean>`t.id in (select ticket_id from ticket_sla_summary where ${sql.join(known.map((v) => one(v, '', actor, now)), sql` or `)})`
  },
}

/**
 * `sort=sla_due`: overdue tickets first (most overdue first), then the next running deadline;
 * tickets with nothing running or owed (paused, resolved, closed, cancelled) last. Walks
 * `ticket_sla_summary_due_order_idx`.
 */
export const slaDueSort: TicketListSort = { join: SLA_JOIN, column: 'sla.due_order_at', kind: 'timestamp' }
