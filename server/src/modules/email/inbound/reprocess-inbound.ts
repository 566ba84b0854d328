import { sql } from 'kysely'
import type { AppContext } from '../../../platform/context'
import { ConflictError, NotFoundError } from '../../../platform/http/errors'
import { storageFor } from '../../../platform/storage/storage'
import { listMailboxRecords } from '../mailboxes/mailbox-directory'
import type { InboundSource } from '../email.tables'
import { receiveInbound, type InboundOutcome } from './receive-inbound'

/** Reads a stored blob back into memory (raw messages are bounded by the size limit). */
export async function readBlob(ctx: AppContext, sha256: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of await storageFor(ctx).get(sha256)) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/**
 * Runs a message whose processing failed through the inbound pipeline again, from its stored
 * raw .eml (after a fix, or once the ticket it answers can take it). 409 unless it failed.
 */
export async function reprocessInbound(ctx: AppContext, id: string): Promise<InboundOutcome> {
  const row = (await sql<{ mailbox_id: string; source: InboundSource; raw_sha256: string; status: string; envelope_from: string | null; envelope_to: string[]
    imap_uid_validity: number | null; imap_uid: number | null }>`
    select mailbox_id, source, raw_sha256, status, envelope_from, envelope_to, imap_uid_validity, imap_uid from inbound_messages where id = ${id}`.execute(ctx.db)).rows[0]
  if (!row) throw new NotFoundError('email.inbound_not_found')
  if (row.status !== 'failed') throw new ConflictError('not_failed', 'email.inbound_not_failed')
  const mailbox = (await listMailboxRecords(ctx.db)).find((m) => m.id === row.mailbox_id)
  if (!mailbox) throw new NotFoundError('email.mailbox_not_found')
  const raw = await readBlob(ctx, row.raw_sha256)
  return receiveInbound(ctx, {
    raw, mailbox, source: row.source, envelopeFrom: row.envelope_from, envelopeTo: row.envelope_to,
    imap: row.imap_uid !== null && row.imap_uid_validity !== null ? { uid: Number(row.imap_uid), uidValidity: Number(row.imap_uid_validity) } : undefined,
  })
}
