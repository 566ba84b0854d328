import { sql, type Selectable } from 'kysely'
import type { Executor, Trx } from '../../../../platform/db/database'
import type { CommandContext } from '../../history/append-history'
import type { ReceivedFile } from '../receive-uploads'
import type { StagedAttachmentsTable } from '../attachments.tables'

export type StagedAttachmentRow = Selectable<StagedAttachmentsTable>

/** How long a staged upload waits for its ticket before the blob collector removes it. */
export const STAGED_TTL_MS = 24 * 3_600_000

/** Bytes a user has staged and not yet used (unexpired): counted against the per-ticket limit. */
export async function stagedBytes(db: Executor, userId: string, now: Date): Promise<number> {
  return Number((await sql<{ n: number }>`select coalesce(sum(size), 0)::bigint as n from staged_attachments
    where uploaded_by = ${userId} and expires_at > ${now}`.execute(db)).rows[0].n)
}

/**
 * Records files already in blob storage as the actor's staged uploads, for a ticket they are
 * about to file (createTicket's `attachmentIds`). No ticket yet, so no history or event; each row
 * expires after STAGED_TTL_MS.
 */
export async function stageAttachments(trx: Trx, ctx: CommandContext, files: ReceivedFile[]): Promise<StagedAttachmentRow[]> {
  if (files.length === 0) return []
  const expiresAt = new Date(ctx.now.getTime() + STAGED_TTL_MS)
  return trx.insertInto('staged_attachments').values(files.map((f) => ({
    sha256: f.sha256, size: f.size, filename: f.filename, content_type: f.contentType, declared_type: f.declaredType.slice(0, 200) || null,
    uploaded_by: ctx.actor.id, via_token_id: ctx.actor.tokenId ?? null, created_at: ctx.now, expires_at: expiresAt,
  }))).returningAll().execute()
}
