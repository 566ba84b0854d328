import { sql } from 'kysely'
import type { Trx } from '../../../../platform/db/database'
import { ConflictError, NotFoundError } from '../../../../platform/http/errors'
import type { CommandContext } from '../../history/append-history'
import { authorize } from '../../tickets.policy'
import { loadTicket } from '../../queries/load-ticket'
import { lockLinkGraph } from '../link-graph'
import type { LinkKind } from '../links.tables'
import { recordLinkChange } from './add-link'

/**
 * Removes a link of a ticket the actor may link. The duplicate link a merge left is permanent (409).
 * Writes a `link_removed` history row on both tickets and a `ticket.unlinked` event for each.
 */
export async function removeLink(trx: Trx, ctx: CommandContext, ticketId: string, linkId: string): Promise<void> {
  await lockLinkGraph(trx)
  const self = await loadTicket(trx, ticketId, { forUpdate: true })
  authorize(ctx.actor, 'link', self)
  const row = (await sql<{ id: string; kind: LinkKind; source_id: string; target_id: string }>`
    select id, kind, source_id, target_id from ticket_links where id = ${linkId} and (source_id = ${ticketId} or target_id = ${ticketId})
    for update`.execute(trx)).rows[0]
  if (!row) throw new NotFoundError('links.not_found')
  const otherId = row.source_id === ticketId ? row.target_id : row.source_id
  const other = (await loadTicket(trx, otherId, { forUpdate: true }))!
  const source = row.source_id === self.id ? self : other
  if (row.kind === 'duplicate_of' && source.merged_into_id === row.target_id) throw new ConflictError('link_locked', 'links.merge_link_locked')
  await sql`delete from ticket_links where id = ${row.id}`.execute(trx)
  await recordLinkChange(trx, ctx, row, [self, other], 'removed')
}
