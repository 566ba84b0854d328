import { sql } from 'kysely'
import type { Actor } from '../../../../platform/auth/actor'
import type { Executor } from '../../../../platform/db/database'
import type { StatusCode, Priority } from '../../../../../../common/src/tickets/tickets.types'
import { visibleTicketsWhere } from '../../tickets.policy'
import { linkFromSide, type LinkType } from '../link-types'
import type { LinkKind } from '../links.tables'

export interface PresentedLink {
  id: string
  type: LinkType
  ticket: { id: string; number: number; subject: string; status: StatusCode; priority: Priority; mergedIntoId: string | null }
  createdAt: string
  createdBy: { id: string; name: string } | null
}

/**
 * The links of a ticket in both directions, read from its side (parent, child, related,
 * duplicate_of, duplicated_by). Only links to tickets the actor may see are listed.
 */
export async function listLinks(db: Executor, actor: Actor, ticketId: string): Promise<PresentedLink[]> {
  const rows = (await sql<{
    id: string; kind: LinkKind; source_id: string; target_id: string; created_at: Date; created_by: string | null; creator_name: string | null
    other_id: string; number: number; subject: string; status: StatusCode; priority: Priority; merged_into_id: string | null
  }>`
    select l.id, l.kind, l.source_id, l.target_id, l.created_at, l.created_by, u.name as creator_name,
      t.id as other_id, t.number, t.subject, t.status, t.priority, t.merged_into_id
    from ticket_links l
    join tickets t on t.id = case when l.source_id = ${ticketId} then l.target_id else l.source_id end
    left join users u on u.id = l.created_by
    where (l.source_id = ${ticketId} or l.target_id = ${ticketId}) and ${visibleTicketsWhere(actor, 't')}
    order by l.created_at, l.id`.execute(db)).rows
  return rows.map((r) => ({
    id: r.id,
    type: linkFromSide(r, ticketId).type,
    ticket: { id: r.other_id, number: r.number, subject: r.subject, status: r.status, priority: r.priority, mergedIntoId: r.merged_into_id },
    createdAt: new Date(r.created_at).toISOString(),
    createdBy: actor.role === 'customer' || !r.created_by ? null : { id: r.created_by, name: r.creator_name ?? '' },
  }))
}
