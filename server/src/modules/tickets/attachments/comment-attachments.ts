import { registerCommentAttachmentsLoader } from '../tickets.extensions'
import { attachmentsByComment } from './queries/load-attachments'
import { presentAttachment } from './attachments.presenter'

// Presented comments carry their attachments (already filtered for the viewer: a customer gets
// none of an internal note's files).
registerCommentAttachmentsLoader(async (db, actor, commentIds) => {
  const rows = await attachmentsByComment(db, actor, commentIds)
  return new Map([...rows].map(([commentId, list]) => [commentId, list.map((r) => presentAttachment(r, actor))]))
})
