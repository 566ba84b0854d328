import type { AppContext } from '../../../platform/context'
import type { Trx } from '../../../platform/db/database'
import { storageFor } from '../../../platform/storage/storage'
import { cleanFilename, sniffContentType } from '../../../platform/storage/content-type'
import type { ReceivedFile } from '../../tickets/attachments/receive-uploads'
import { loadAttachmentLimits } from '../../tickets/attachments/attachment-limits'
import { ticketAttachmentBytes } from '../../tickets/attachments/commands/record-attachments'
import type { InboundAttachment } from './inbound-message'

/** A file of an inbound message, already in blob storage, with its Content-ID for cid: links. */
export interface StoredInboundFile extends ReceivedFile {
  contentId: string | null
  inline: boolean
}

/** Stores the raw message in blob storage (content-addressed: storing it again is harmless). */
export async function storeRawMessage(ctx: AppContext, raw: Buffer): Promise<{ sha256: string; size: number }> {
  const blob = await storageFor(ctx).putBytes(raw)
  return { sha256: blob.sha256, size: blob.size }
}

/**
 * Stores the attachments and inline images of a message before the transaction, so the
 * transaction only records rows. Empty parts are skipped; the type is sniffed from the bytes.
 */
export async function storeInboundFiles(ctx: AppContext, attachments: readonly InboundAttachment[]): Promise<StoredInboundFile[]> {
  const out: StoredInboundFile[] = []
  for (const a of attachments) {
    if (a.content.length === 0) continue
    const blob = await storageFor(ctx).putBytes(a.content)
    out.push({
      sha256: blob.sha256, size: blob.size, filename: cleanFilename(a.filename), contentType: await sniffContentType(blob.head),
      declaredType: a.contentType, contentId: a.contentId, inline: a.inline,
    })
  }
  return out
}

/**
 * The files that fit the attachment limits of a ticket (per file and what is left per ticket;
 * `ticketId` null: a ticket about to be created), in order; the others are reported so the
 * comment can say what was left out.
 */
export async function filesWithinLimits(trx: Trx, ticketId: string | null, files: readonly StoredInboundFile[]) {
  const limits = await loadAttachmentLimits(trx)
  let left = limits.maxTicketBytes - (ticketId ? await ticketAttachmentBytes(trx, ticketId) : 0)
  const kept: StoredInboundFile[] = []
  const skipped: StoredInboundFile[] = []
  for (const f of files) {
    if (f.size > limits.maxFileBytes || f.size > left) skipped.push(f)
    else {
      kept.push(f)
      left -= f.size
    }
  }
  return { kept, skipped, limits }
}
