import { sql } from 'kysely'
import type { AppContext } from '../../../platform/context'
import { storageFor } from '../../../platform/storage/storage'
import { cachedEmailSettings } from '../email.settings'
import { embedInlineImages } from './inline-images'

export const DELIVER_JOB = 'deliverEmail'
export const DELIVERY_ATTEMPTS = 6

/** An outbox row as delivery reads it. */
interface OutboxRow {
  id: string; status: string; to_address: string; from_address: string; reply_to: string | null; subject: string; body_text: string
  body_html: string | null; message_id: string; in_reply_to: string | null; references: string[]; headers: Record<string, string>; ticket_id: string | null
  attachment_ids: string[]
}

/** One delivery to make: the outbox row and the attempt its job is on. */
export interface Delivery { outboundId: string; attempts: number; maxAttempts: number }

/** Rows sent are marked in one statement per batch, or sooner when sending has taken this long (a crash re-sends at most this much mail). */
const MARK_SENT_MS = 1000

/**
 * Sends one outbox row through the mailer (SMTP_URL, or .eml files in development) with its
 * threading headers. A failure is recorded on the row and rethrown, so the job queue retries
 * with backoff; after the last attempt the row stays `failed` for the outbox screen.
 */
export async function deliverOutbound(ctx: AppContext, outboundId: string, attempt: { attempts: number; maxAttempts: number }) {
  const [answer] = await deliverOutbounds(ctx, [{ outboundId, ...attempt }])
  if (answer !== true) throw answer
}

/**
 * deliverOutbound for several rows (the worker's batch of delivery jobs): read in one statement,
 * sent one after the other, marked sent together. Answers each delivery, in order, with true
 * (sent, or nothing to send) or the error its send failed with (recorded on its row).
 */
export async function deliverOutbounds(ctx: AppContext, deliveries: readonly Delivery[]): Promise<Array<true | Error>> {
  const rows = new Map((await sql<OutboxRow>`select id, status, to_address, from_address, reply_to, subject, body_text, body_html, message_id,
      in_reply_to, "references", headers, ticket_id, attachment_ids from outbound_messages
    where id = any(${[...new Set(deliveries.map((d) => d.outboundId))]}::uuid[])`.execute(ctx.db)).rows.map((r) => [r.id, r]))
  const answers: Array<true | Error> = []
  // Sent, not yet marked: their positions in `answers`.
  let unmarked: number[] = []
  let since = performance.now()
  const mark = async () => {
    try {
      await markSent(ctx, unmarked.map((i) => deliveries[i]))
    } catch (err) {
      // Not marked: each such job is retried later (with backoff) and sends again, as a lone
      // delivery whose update failed would; never at once, as running the batch again would.
      for (const i of unmarked) answers[i] = err instanceof Error ? err : new Error(String(err))
    }
    unmarked = []
    since = performance.now()
  }
  for (const [i, delivery] of deliveries.entries()) {
    const row = rows.get(delivery.outboundId)
    if (!row || row.status === 'sent' || row.status === 'suppressed') {
      answers.push(true)
      continue
    }
    try {
      await send(ctx, row)
      row.status = 'sent'
      unmarked.push(i)
      answers.push(true)
    } catch (err) {
      const final = delivery.attempts >= delivery.maxAttempts
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000)
      await sql`update outbound_messages set attempts = ${delivery.attempts}, error = ${message}, status = ${final ? 'failed' : 'queued'},
        updated_at = ${ctx.now()} where id = ${row.id}`.execute(ctx.db)
      answers.push(err instanceof Error ? err : new Error(message))
    }
    if (unmarked.length && performance.now() - since >= MARK_SENT_MS) await mark()
  }
  if (unmarked.length) await mark()
  return answers
}

async function send(ctx: AppContext, row: OutboxRow) {
  let files: Awaited<ReturnType<typeof replyAttachments>> = []
  try {
    // Images pasted into a reply travel inside the mail (cid:), since mail clients cannot open our URLs.
    const cap = (await cachedEmailSettings(ctx)).maxAttachmentBytes
    const inline = row.body_html ? await embedInlineImages(ctx, row.ticket_id, row.body_html, cap) : null
    // The reply's files chosen when the mail was queued, streamed from blob storage.
    files = await replyAttachments(ctx, row.ticket_id, row.attachment_ids)
    const attachments = [...(inline?.attachments ?? []), ...files]
    await ctx.mailer.send({
      from: row.from_address, to: row.to_address, replyTo: row.reply_to ?? undefined, subject: row.subject, text: row.body_text,
      html: inline?.html ?? row.body_html ?? undefined, messageId: row.message_id, inReplyTo: row.in_reply_to ?? undefined,
      references: row.references.length ? row.references : undefined, headers: row.headers,
      ...(attachments.length ? { attachments } : {}),
    })
  } catch (err) {
    // A send that failed before reading a file leaves its stream open.
    for (const f of files) f.content.destroy()
    throw err
  }
}

async function markSent(ctx: AppContext, deliveries: readonly Delivery[]) {
  const now = ctx.now()
  await sql`update outbound_messages o set status = 'sent', attempts = d.attempts, error = null, sent_at = ${now}, updated_at = ${now}
    from unnest(${deliveries.map((d) => d.outboundId)}::uuid[], ${deliveries.map((d) => d.attempts)}::int[]) as d(id, attempts)
    where o.id = d.id`.execute(ctx.db)
}

/**
 * The files of an outbox row as MIME attachments (original name, sniffed type, the stored blob
 * as a stream), re-checked at sending: still on the row's ticket and still public.
 */
async function replyAttachments(ctx: AppContext, ticketId: string | null, ids: readonly string[]) {
  if (!ticketId || ids.length === 0) return []
  const rows = (await sql<{ id: string; sha256: string; filename: string; content_type: string }>`
    select id, sha256, filename, content_type from attachments
    where id = any(${ids}::uuid[]) and ticket_id = ${ticketId} and internal = false`.execute(ctx.db)).rows
  const out = []
  for (const id of ids) {
    const row = rows.find((r) => r.id === id)
    if (row) out.push({ filename: row.filename, contentType: row.content_type, content: await storageFor(ctx).get(row.sha256) })
  }
  return out
}
