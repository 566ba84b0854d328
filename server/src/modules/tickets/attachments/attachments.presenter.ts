import type { Actor } from '../../../platform/auth/actor'
import { servingHeaders } from '../../../platform/storage/content-type'
import type { AttachmentRow } from './queries/load-attachments'
import type { StagedAttachmentRow } from './commands/stage-attachments'

/** An attachment for one viewer (customers never see the internal flag set: they never get internal files). */
export function presentAttachment(row: AttachmentRow & { uploader_name?: string | null }, actor: Actor) {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    commentId: row.comment_id,
    filename: row.filename,
    size: Number(row.size),
    contentType: row.content_type,
    inline: servingHeaders(row.content_type, row.filename)['content-disposition'].startsWith('inline'),
    internal: actor.role === 'customer' ? false : row.internal,
    uploadedBy: row.uploaded_by ? { id: row.uploaded_by, name: row.uploader_name ?? null } : null,
    createdAt: new Date(row.created_at).toISOString(),
    url: `/api/v1/attachments/${row.id}`,
  }
}

/** A staged upload, for its uploader only. */
export function presentStagedAttachment(row: StagedAttachmentRow) {
  return {
    id: row.id,
    filename: row.filename,
    size: Number(row.size),
    contentType: row.content_type,
    createdAt: new Date(row.created_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
  }
}
