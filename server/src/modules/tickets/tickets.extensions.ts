import type { Trx } from '../../platform/db/database'
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
