import { sql } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import type { Lang } from '../../../platform/i18n/locale'
import { STATUS_CODES, type StatusCode } from '../../../../../common/src/tickets/tickets.types'
import { visibleTicketsWhere } from '../tickets.policy'
import { andAll, filterConditions, type TicketFilters } from './ticket-filters'
import { matchesSearch } from './list-tickets'

/**
 * Counts of the viewer's visible tickets by status code and by (custom) status, under the same
 * filters and search as the list (minus the status filters): the dashboard summary (R11). This is the one
 * place that counts over the whole table.
 */
export async function countTickets(db: Executor, actor: Actor, filters: TicketFilters, lang: Lang, opts: { now?: Date; q?: string } = {}) {
  const conditions = [visibleTicketsWhere(actor), ...(await filterConditions(db, actor, { ...filters, status: undefined, statusCategory: undefined }, { now: opts.now }))]
  if (opts.q?.trim()) conditions.push(matchesSearch(actor, opts.q))
  const rows = (await sql<{ status_id: string; n: number }>`
    select t.status_id, count(*)::int as n from tickets t where ${andAll(conditions)} group by t.status_id`.execute(db)).rows
  const statuses = (await sql<{ id: string; key: string; category: StatusCode; label_es: string; label_en: string; position: number }>`
    select id, key, category, label_es, label_en, position from ticket_statuses order by position, key`.execute(db)).rows
  const byId = new Map(rows.map((r) => [r.status_id, r.n]))
  const byStatus = Object.fromEntries(STATUS_CODES.map((c) => [c, 0])) as Record<StatusCode, number>
  for (const s of statuses) byStatus[s.category] += byId.get(s.id) ?? 0
  return {
    total: rows.reduce((a, r) => a + r.n, 0),
    byStatus,
    byCustomStatus: statuses.filter((s) => byId.has(s.id)).map((s) => ({
      id: s.id, key: s.key, status: s.category, label: lang === 'en' ? s.label_en : s.label_es, count: byId.get(s.id)!,
    })),
  }
}
