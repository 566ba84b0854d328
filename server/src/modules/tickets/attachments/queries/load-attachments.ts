import { sql, type Selectable } from 'kysely'
import type { Actor } from '../../../../platform/auth/actor'
import type { Executor } from '../../../../platform/db/database'
import { NotFoundError } from '../../../../platform/http/errors'
import { canView } from '../../tickets.policy'
import { loadTicket } from '../../queries/load-ticket'
import type { AttachmentsTable } from '../attachments.tables'

export type AttachmentRow = Selectable<AttachmentsTable>

/** An attachment with the names the presenter shows. */
export type AttachmentListRow = AttachmentRow & { uploader_name: string | null }

/**
 * The customer-visibility rule in SQL (alias `a`): never a staff upload not yet made public, never
 * a file of an internal note — checked on the comment too, so a file moved with a note stays hidden.
 */
function customerVisible(alias = 'a') {
  const a = sql.ref(alias)
  return sql<boolean>`(not ${a}.internal and not exists (select 1 from comments c where c.id = ${a}.comment_id and c.internal))`
}

/**
 * One attachment for a download: 404 unless the actor may see its ticket, and for customers
 * unless it is public (not of an internal note, not an unclaimed staff upload).
 */
export async function loadAttachmentForViewer(db: Executor, actor: Actor, id: string): Promise<AttachmentRow> {
  const row = (await sql<AttachmentRow & { customer_visible: boolean }>`
    select a.*, ${customerVisible()} as customer_visible from attachments a where a.id = ${id}`.execute(db)).rows[0]
  const notFound = new NotFoundError('attachments.not_found')
  if (!row) throw notFound
  const ticket = await loadTicket(db, row.ticket_id)
  if (!ticket || !canView(actor, ticket)) throw notFound
  if (actor.role === 'customer' && !row.customer_visible) throw notFound
  const { customer_visible: _, ...attachment } = row
  return attachment
}

/** The attachments of a ticket the actor may see (the caller has checked the ticket is visible), oldest first. */
export async function listTicketAttachments(db: Executor, actor: Actor, ticketId: string): Promise<AttachmentListRow[]> {
  return (await sql<AttachmentListRow>`
    select a.*, u.name as uploader_name from attachments a left join users u on u.id = a.uploaded_by
    where a.ticket_id = ${ticketId} ${actor.role === 'customer' ? sql`and ${customerVisible()}` : sql``}
    order by a.created_at, a.id`.execute(db)).rows
}

/** Attachments of the given comments the actor may see, by comment id (for the comment presenter). */
export async function attachmentsByComment(db: Executor, actor: Actor, commentIds: string[]): Promise<Map<string, AttachmentListRow[]>> {
  const out = new Map<string, AttachmentListRow[]>()
  if (commentIds.length === 0) return out
  const rows = (await sql<AttachmentListRow>`
    select a.*, u.name as uploader_name from attachments a left join users u on u.id = a.uploaded_by
    where a.comment_id = any(${commentIds}::uuid[]) ${actor.role === 'customer' ? sql`and ${customerVisible()}` : sql``}
    order by a.created_at, a.id`.execute(db)).rows
  for (const r of rows) {
    const list = out.get(r.comment_id!) ?? []
    list.push(r)
    out.set(r.comment_id!, list)
  }
  return out
}
