import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import { arrayParam } from '../../../platform/db/plan-cache'
import type { SlaPriority, SlaStatus } from '../../../../../common/src/sla/sla.types'
import type { SlaTargetKey } from '../sla.tables'
import type { TimelineComment, TimelineHistoryRow, TimelineTicket } from './ticket-timeline'
import { isUuid } from '../../../platform/db/uuid'

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

export interface LoadedSlaInputs extends SlaInputs {
  /** sla_config.version as of this read: whether a cached copy of policies and calendars is current. */
  configVersion: string
  /** The targets stored for each ticket before this recomputation: ticket → target → cycle. */
  stored: Map<string, Map<SlaTargetKey, number>>
}

type JsonHistory = { at: string; action: string; field: string | null; old_value: unknown; new_value: unknown; actor_id: string | null; actor_role: string | null; via: string }
type JsonComment = { at: string; author_id: string | null; author_role: string | null; internal: boolean }

/**
 * Reads what the SLA clock needs for some tickets in one statement that also locks them (one
 * writer per ticket: commands hold the lock already, background recomputations wait for it):
 * each ticket with its SLA-relevant history and its comments (authors' roles) as JSON, its
 * category's path, the targets stored for it so far, and the SLA configuration's version. Categories a ticket left (named in its
 * history) take one more query, only when there are some. One ticket and a batch of thousands go
 * through the same code.
 */
export async function loadSlaInputs(db: Executor, ids: readonly string[]): Promise<LoadedSlaInputs> {
  const list = [...ids]
  const rows = (await sql<{
    id: string; number: number; created_at: Date; status: SlaStatus; priority: SlaPriority; type_code: string; category_id: string | null
    organization_id: string | null; tier: string | null; channel: string; requester_id: string; status_changed_at: Date
    first_response_at: Date | null; resolved_at: Date | null; closed_at: Date | null; cancelled_at: Date | null
    assignee_id: string | null; team_id: string | null; support_level: number | null; category_path: string[] | null
    history: JsonHistory[]; comments: JsonComment[]; stored: Array<{ target: SlaTargetKey; cycle: number }> | null; config_version: string
  }>`select t.id, t.number, t.created_at, t.status, t.priority, ty.code as type_code, t.category_id, t.organization_id, o.tier,
      t.channel, t.requester_id, t.status_changed_at, t.first_response_at, t.resolved_at, t.closed_at, t.cancelled_at,
      t.assignee_id, t.team_id, t.support_level, cat.path as category_path,
      coalesce((select json_agg(json_build_object('at', h.at, 'action', h.action, 'field', h.field, 'old_value', h.old_value,
          'new_value', h.new_value, 'actor_id', h.actor_id, 'actor_role', u.role, 'via', h.via) order by h.id)
        from ticket_history h left join users u on u.id = h.actor_id
        where h.ticket_id = t.id
          and (h.action in ('status_changed', 'imported') or (h.action = 'field_changed' and h.field in (${sql.join(FACT_FIELDS.map((f) => sql.lit(f)))})))), '[]') as history,
      coalesce((select json_agg(json_build_object('at', c.created_at, 'author_id', c.author_id, 'author_role', u.role, 'internal', c.internal)
          order by c.created_at, c.id)
        from comments c left join users u on u.id = c.author_id where c.ticket_id = t.id), '[]') as comments,
      (select json_agg(json_build_object('target', s.target, 'cycle', s.cycle)) from ticket_sla s where s.ticket_id = t.id) as stored,
      (select version from sla_config)::text as config_version
    from tickets t join ticket_types ty on ty.id = t.type_id left join organizations o on o.id = t.organization_id
      left join categories cat on cat.id = t.category_id
    where t.id = any(${arrayParam(list, 'uuid')})
    order by t.id
    for update of t`.execute(db)).rows

  const history = new Map<string, TimelineHistoryRow[]>()
  const comments = new Map<string, TimelineComment[]>()
  const categoryPaths = new Map<string, string[]>()
  const leftCategories = new Set<string>()
  const stored = new Map<string, Map<SlaTargetKey, number>>()
  for (const t of rows) {
    if (t.stored?.length) stored.set(t.id, new Map(t.stored.map((x) => [x.target, Number(x.cycle)])))
    history.set(t.id, t.history.map((r): TimelineHistoryRow => ({
      at: new Date(r.at), action: r.action, field: r.field, oldValue: r.old_value, newValue: r.new_value, actorId: r.actor_id, actorRole: r.actor_role, via: r.via,
    })))
    comments.set(t.id, t.comments.map((r): TimelineComment => ({ at: new Date(r.at), authorId: r.author_id, authorRole: r.author_role, internal: r.internal })))
    if (t.category_id && t.category_path) categoryPaths.set(t.category_id, [...t.category_path].reverse())
    for (const r of t.history) {
      if (r.field !== 'category') continue
      for (const v of [r.old_value, r.new_value]) if (typeof v === 'string' && isUuid(v) && !categoryPaths.has(v)) leftCategories.add(v)
    }
  }
  if (leftCategories.size) {
    const paths = (await sql<{ id: string; path: string[] }>`select id, path from categories where id = any(${[...leftCategories]}::uuid[])`.execute(db)).rows
    for (const p of paths) categoryPaths.set(p.id, [...p.path].reverse())
  }

  return {
    tickets: rows.map((t) => ({
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
    categoryPaths,
    configVersion: rows[0]?.config_version ?? '',
    stored,
  }
}

/** Custom status keys → status codes (imports may write keys in their history). */
export async function loadStatusKeys(db: Executor): Promise<Map<string, SlaStatus>> {
  const rows = (await sql<{ key: string; category: SlaStatus }>`select key, category from ticket_statuses`.execute(db)).rows
  return new Map(rows.map((r) => [r.key, r.category]))
}
