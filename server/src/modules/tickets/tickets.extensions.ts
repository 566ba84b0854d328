import type { Actor } from '../../platform/auth/actor'
import type { Executor, Trx } from '../../platform/db/database'
import { ValidationError } from '../../platform/http/errors'
import type { CommandContext } from './history/append-history'

/**
 * Extension points for part B (attachments): a comment claims files uploaded to its ticket
 * beforehand (POST /api/v1/tickets/:id/attachments), and presented comments list them.
 */
export interface AttachmentClaim { ticketId: string; commentId: string; attachmentIds: string[]; internal: boolean }
export type AttachmentClaimer = (trx: Trx, ctx: CommandContext, claim: AttachmentClaim) => Promise<void>

let claimer: AttachmentClaimer | null = null

/** Registered once by the attachments module. */
export function registerAttachmentClaimer(fn: AttachmentClaimer) {
  claimer = fn
}

/** Called by addComment in its transaction; without a registered claimer, attachments are refused. */
export async function claimAttachments(trx: Trx, ctx: CommandContext, claim: AttachmentClaim) {
  if (claim.attachmentIds.length === 0) return
  if (!claimer) throw new ValidationError('tickets.attachments_unsupported', {}, [{ field: 'attachmentIds', rule: 'unsupported' }])
  await claimer(trx, ctx, claim)
}

/** Lists the attachments of comments (already filtered for the viewer) by comment id. */
export type CommentAttachmentsLoader = (db: Executor, actor: Actor, commentIds: string[]) => Promise<Map<string, Array<Record<string, unknown>>>>

let attachmentsLoader: CommentAttachmentsLoader | null = null

/** Registered once by the attachments module; comments then carry `attachments`. */
export function registerCommentAttachmentsLoader(fn: CommentAttachmentsLoader) {
  attachmentsLoader = fn
}

/** The attachments per comment, or null when no attachments module is installed. */
export async function loadCommentAttachments(db: Executor, actor: Actor, commentIds: string[]) {
  return attachmentsLoader && commentIds.length ? attachmentsLoader(db, actor, commentIds) : null
}
