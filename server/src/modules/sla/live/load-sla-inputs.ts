import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import type { SlaPriority, SlaStatus } from '../../../../../common/src/sla/sla.types'
import type { TimelineComment, TimelineHistoryRow, TimelineTicket } from './ticket-timeline'

/** A ticket as the SLA engine reads it: the timeline's facts plus who to escalate to. */
export interface SlaTicketRow extends TimelineTicket {
  id: string
  number: number
  assigneeId: string | null
  teamId: string | null
  supportLevel: number | null
}

export interface SlaInputs {
  tickets: SlaTicketRow[]
  history: Map<string, TimelineHistoryRow[]>
  comments: Map<string, TimelineComment[]>
  /** Category id → its path (self first). */
  categoryPaths: Map<string, string[]>
}

const FACT_FIELDS = ['type', 'category', 'priority', 'organization']

function groupBy<R extends { ticket_id: string }, T>(rows: readonly R[], map: (r: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const r of rows) {
    const list = out.get(r.ticket_id)
    if (list) list.push(map(r))
    else out.set(r.ticket_id, [map(r)])
  }
  return out
}

/**
 * Reads what the SLA clock needs for some tickets in four queries (tickets, SLA-relevant history,
 * comments with their authors' roles, category paths), so one ticket and a batch of thousands go
 * through the same code.
 */
export async function loadSlaInputs(db: Executor, ids: readonly string[]): Promise<SlaInputs> {
  const list = [...ids]
  const tickets = (await sql<{
    id: string; number: number; created_at: Date; status: SlaStatus; priority: SlaPriority; type_code: string; category_id: string | null
    organization_id: string | null; tier: string | null; channel: string; requester_id: string; status_changed_at: Date
    first_response_at: Date | null; resolved_at: Date | null; closed_at: Date | null; cancelled_at: Date | null
    assignee_id: string | null; team_id: string | null; support_level: number | null
  }>`select t.id, t.number, t.created_at, t.status, t.priority, ty.code as type_code, t.category_id, t.organization_id, o.tier,
      t.channel, t.requester_id, t.status_changed_at, t.first_response_at, t.resolved_at, t.closed_at, t.cancelled_at,
      t.assignee_id, t.team_id, t.support_level
    from tickets t join ticket_types ty on ty.id = t.type_id left join organizations o on o.id = t.organization_id
    where t.id = any(${list}::uuid[])`.execute(db)).rows

  const historyRows = (await sql<{ ticket_id: string; at: Date; action: string; field: string | null; old_value: unknown; new_value: unknown; actor_id: string | null; actor_role: string | null; via: string }>`
    select h.ticket_id, h.at, h.action, h.field, h.old_value, h.new_value, h.actor_id, u.role as actor_role, h.via
    from ticket_history h left join users u on u.id = h.actor_id
    where h.ticket_id = any(${list}::uuid[])
      and (h.action in ('status_changed', 'imported') or (h.action = 'field_changed' and h.field = any(${FACT_FIELDS}::text[])))
    order by h.ticket_id, h.id`.execute(db)).rows
  const history = groupBy(historyRows, (r): TimelineHistoryRow => ({
    at: new Date(r.at), action: r.action, field: r.field, oldValue: r.old_value, newValue: r.new_value, actorId: r.actor_id, actorRole: r.actor_role, via: r.via,
  }))

  const commentRows = (await sql<{ ticket_id: string; created_at: Date; author_id: string | null; author_role: string | null; internal: boolean }>`
    select c.ticket_id, c.created_at, c.author_id, u.role as author_role, c.internal
    from comments c left join users u on u.id = c.author_id
    where c.ticket_id = any(${list}::uuid[]) order by c.ticket_id, c.created_at, c.id`.execute(db)).rows
  const comments = groupBy(commentRows, (r): TimelineComment => ({ at: new Date(r.created_at), authorId: r.author_id, authorRole: r.author_role, internal: r.internal }))

  const categoryIds = new Set<string>()
  for (const t of tickets) if (t.category_id) categoryIds.add(t.category_id)
  for (const r of historyRows) {
    if (r.field !== 'category') continue
    for (const v of [r.old_value, r.new_value]) if (typeof v === 'string' && /^[0-9a-f-]{36}$/i.test(v)) categoryIds.add(v)
  }
  const paths = categoryIds.size
    ? (await sql<{ id: string; path: string[] }>`select id, path from categories where id = any(${[...categoryIds]}::uuid[])`.execute(db)).rows
    : []

  return {
    tickets: tickets.map((t) => ({
      id: t.id, number: Number(t.number), createdAt: new Date(t.created_at), status: t.status, priority: t.priority, typeCode: t.type_code,
      categoryId: t.category_id, organizationId: t.organization_id, tier: t.tier, channel: t.channel, requesterId: t.requester_id,
      statusChangedAt: new Date(t.status_changed_at), firstResponseAt: t.first_response_at ? new Date(t.first_response_at) : null,
      resolvedAt: t.resolved_at ? new Date(t.resolved_at) : null, closedAt: t.closed_at ? new Date(t.closed_at) : null,
      cancelledAt: t.cancelled_at ? new Date(t.cancelled_at) : null,
      imported: (history.get(t.id) ?? []).some((h) => h.action === 'imported'),
      assigneeId: t.assignee_id, teamId: t.team_id, supportLevel: t.support_level,
    })),
    history,
    comments,
    categoryPaths: new Map(paths.map((p) => [p.id, [...p.path].reverse()])),
  }
}

/** Custom status keys → status codes (imports may write keys in their history). */
export async function loadStatusKeys(db: Executor): Promise<Map<string, SlaStatus>> {
  const rows = (await sql<{ key: string; category: SlaStatus }>`select key, category from ticket_statuses`.execute(db)).rows
  return new Map(rows.map((r) => [r.key, r.category]))
}
