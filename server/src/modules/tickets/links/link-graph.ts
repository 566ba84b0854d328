import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'

// Graph questions asked before a link is stored, inside the linking transaction (which holds
// LINK_GRAPH_LOCK, so two links that together would close a cycle cannot both pass).

/** Advisory lock key serialising changes to the parent/child and duplicate graphs. */
export const LINK_GRAPH_LOCK = 7_150_001

export async function lockLinkGraph(trx: Executor) {
  await sql`select pg_advisory_xact_lock(${LINK_GRAPH_LOCK})`.execute(trx)
}

/** Whether `ancestorId` is `ticketId` or one of its ancestors through parent_of links. */
export async function isAncestorOrSelf(db: Executor, ancestorId: string, ticketId: string): Promise<boolean> {
  if (ancestorId === ticketId) return true
  const res = await sql<{ found: boolean }>`
    with recursive up(id, depth) as (
      select source_id, 1 from ticket_links where kind = 'parent_of' and target_id = ${ticketId}
      union
      select l.source_id, up.depth + 1 from ticket_links l join up on l.target_id = up.id
      where l.kind = 'parent_of' and up.depth < 1000
    )
    select exists (select 1 from up where id = ${ancestorId}) as found`.execute(db)
  return res.rows[0].found
}

/** Whether following duplicate_of links from `fromId` reaches `ticketId` (or starts there). */
export async function duplicateChainReaches(db: Executor, fromId: string, ticketId: string): Promise<boolean> {
  if (fromId === ticketId) return true
  const res = await sql<{ found: boolean }>`
    with recursive chain(id, depth) as (
      select target_id, 1 from ticket_links where kind = 'duplicate_of' and source_id = ${fromId}
      union
      select l.target_id, chain.depth + 1 from ticket_links l join chain on l.source_id = chain.id
      where l.kind = 'duplicate_of' and chain.depth < 1000
    )
    select exists (select 1 from chain where id = ${ticketId}) as found`.execute(db)
  return res.rows[0].found
}
