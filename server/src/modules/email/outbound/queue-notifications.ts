import { sql } from 'kysely'
import type { AppContext } from '../../../platform/context'
import { embedInlineImages } from './inline-images'
import { fileList, planReplyFiles, ticketCreationFiles, type ReplyFile, type ReplyFilesPlan } from './reply-files'
import { storageFor } from '../../../platform/storage/storage'
import { inTransaction, type Trx } from '../../../platform/db/database'
import { enqueueJob } from '../../../platform/jobs/queue'
import { loadEvent } from '../../../platform/events/events'
import { loadTicket, type TicketRow } from '../../tickets/queries/load-ticket'
import { cachedEmailSettings } from '../email.settings'
import { emailSecrets } from '../email-secrets'
import { signActionToken } from '../actions/action-token'
import { createReplyToken } from '../reply-token'
import { renderNotification } from '../templates/render-notification'
import { buildOutboundHeaders } from './headers'
import { loadTemplateOverride } from './template-overrides'
import { failingAmong } from '../inbound/sender-guard'
import { planNotifications, type NotifiableEvent, type PlannedEmail } from './plan-notifications'
import { senderForTicket, threadMessageIds, type Sender } from './ticket-mailbox'

type RenderContext = Parameters<typeof renderNotification>[0]['context']

const LINK_DAYS = 30
export const DELIVER_JOB = 'deliverEmail'
export const DELIVERY_ATTEMPTS = 6

/**
 * Runs for every subscribed ticket event after its commit: plans the emails, renders each in its
 * recipient's language (admin override or default) with threading headers and reply token, and
 * writes them to the outbox with one delivery job each, in one transaction. Idempotent per
 * (event, template, address): a retried job does not queue an email twice.
 */
export async function queueNotificationsForEvent(ctx: AppContext, payload: Record<string, unknown>): Promise<number> {
  const eventId = Number(payload.eventId)
  const ticketId = typeof payload.ticketId === 'string' ? payload.ticketId : null
  if (!Number.isFinite(eventId) || !ticketId) return 0
  const stored = await loadEvent(ctx.db, eventId)
  const ticket = await loadTicket(ctx.db, ticketId)
  if (!stored || !ticket) return 0
  const event: NotifiableEvent = {
    id: eventId, type: stored.type, ticketId, actorId: stored.actor_id, payload: stored.payload, createdAt: new Date(stored.created_at),
  }
  const planned = await planNotifications(ctx.db, event, ticket, ctx.config.publicUrl)
  if (planned.length === 0) return 0
  const sender = await senderForTicket(ctx.db, ticket, ctx.config.publicUrl)
  const secrets = await emailSecrets(ctx)
  const settings = await cachedEmailSettings(ctx)
  const ours = new Set((await sql<{ address: string }>`select address from mailboxes`.execute(ctx.db)).rows.map((r) => r.address))
  const wanted = planned.filter((p) => !ours.has(p.recipient.email.replace(/\+[^@]*@/, '@')))
  const failing = await failingAmong(ctx.db, wanted.map((p) => p.recipient.email))
  const files = await filesOfEmails(ctx, ticket.id, wanted, settings.maxAttachmentBytes)
  const now = ctx.now()
  return inTransaction(ctx.db, async (trx) => {
    let queued = 0
    const thread = await threadMessageIds(trx, ticket.id)
    for (const p of wanted) {
      if (await queueOne(trx, { ctx, event, ticket, plan: p, sender, secret: secrets[0], thread, helpdeskName: settings.helpdeskName, failing: failing.has(p.recipient.email), now, files })) queued++
    }
    return queued
  })
}

interface QueueOneInput {
  ctx: AppContext
  event: NotifiableEvent
  ticket: TicketRow
  plan: PlannedEmail
  sender: Sender
  secret: string
  thread: string[]
  helpdeskName: string | null
  failing: boolean
  now: Date
  files: EmailFiles
}

interface EmailFiles { byComment: Map<string, ReplyFilesPlan>; received: ReplyFile[] }

/**
 * The files the planned emails carry, read once per event: a public staff comment's files
 * (within the per-mail cap, the rest listed as links) and, for the new-ticket confirmation, the
 * files the requester sent with it (listed only).
 */
async function filesOfEmails(ctx: AppContext, ticketId: string, emails: readonly PlannedEmail[], cap: number): Promise<EmailFiles> {
  const byComment = new Map<string, ReplyFilesPlan>()
  for (const id of new Set(emails.map((e) => e.commentId).filter((c): c is string => !!c))) {
    byComment.set(id, await planReplyFiles(ctx.db, ticketId, id, cap))
  }
  const received = emails.some((e) => e.template === 'ticket_created') ? await ticketCreationFiles(ctx.db, ticketId) : []
  return { byComment, received }
}

async function queueOne(trx: Trx, input: QueueOneInput): Promise<boolean> {
  const { plan, ticket, sender, secret, now } = input
  const to = plan.recipient.email
  const context: RenderContext = { ticket: { number: ticket.number }, ...plan.context, helpdesk: { name: input.helpdeskName ?? sender.name ?? 'Atiende' } }
  if (plan.actionLinks) {
    const exp = Math.floor(now.getTime() / 1000) + LINK_DAYS * 86_400
    const link = (action: 'confirm' | 'reopen') =>
      `${input.ctx.config.publicUrl}/api/v1/email/actions/${action}?token=${signActionToken({ ticketId: ticket.id, userId: plan.recipient.id, action, exp }, secret)}`
    Object.assign(context, { links: { confirm: link('confirm'), reopen: link('reopen') } })
  }
  const replyFiles = plan.commentId ? input.files.byComment.get(plan.commentId) ?? null : null
  const url = (context.ticket as { url?: unknown }).url
  if (replyFiles?.linked.length) Object.assign(context, { files: { linked: fileList(replyFiles.linked, typeof url === 'string' ? url : null) } })
  else if (plan.template === 'ticket_created' && input.files.received.length) Object.assign(context, { files: { received: fileList(input.files.received, null) } })
  const override = await loadTemplateOverride(trx, plan.template, plan.recipient.locale)
  const rendered = renderNotification({ event: plan.template, locale: plan.recipient.locale, context, override })
  const headers = buildOutboundHeaders({
    ticketId: ticket.id, ticketNumber: ticket.number, recipient: to, mailbox: { address: sender.address, name: sender.name },
    messageIdDomain: sender.messageIdDomain, secret, thread: input.thread, plusAddressing: sender.mailbox?.plusAddressing ?? false,
    automatic: plan.automatic,
  })
  const extraHeaders = { ...headers.headers, 'X-Loop': sender.address }
  const row = (await sql<{ id: string }>`insert into outbound_messages (ticket_id, mailbox_id, event_id, template, locale, recipient_id, to_address,
      from_address, reply_to, subject, body_text, body_html, message_id, in_reply_to, "references", headers, reply_token, attachment_ids, status, error, created_at, updated_at)
    values (${ticket.id}, ${sender.mailbox?.id ?? null}, ${input.event.id}, ${plan.template}, ${plan.recipient.locale}, ${plan.recipient.id}, ${to},
      ${sender.from}, ${headers.replyTo}, ${rendered.subject}, ${rendered.text}, ${rendered.html}, ${headers.messageId}, ${headers.inReplyTo ?? null},
      ${headers.references}, ${JSON.stringify(extraHeaders)}::jsonb, ${createReplyToken(ticket.id, to, secret)},
      ${(replyFiles?.attach ?? []).map((f) => f.id)}::uuid[],
      ${input.failing ? 'suppressed' : 'queued'}, ${input.failing ? 'address_failing' : null}, ${now}, ${now})
    on conflict (event_id, template, to_address) where event_id is not null do nothing
    returning id`.execute(trx)).rows[0]
  if (!row || input.failing) return false
  await enqueueJob(trx, DELIVER_JOB, { outboundId: row.id }, { uniqueKey: `email:${row.id}`, maxAttempts: DELIVERY_ATTEMPTS })
  // Later mail of this ticket threads under this one.
  input.thread.push(headers.messageId)
  return true
}

/**
 * Sends one outbox row through the mailer (SMTP_URL, or .eml files in development) with its
 * threading headers. A failure is recorded on the row and rethrown, so the job queue retries
 * with backoff; after the last attempt the row stays `failed` for the outbox screen.
 */
export async function deliverOutbound(ctx: AppContext, outboundId: string, attempt: { attempts: number; maxAttempts: number }) {
  const row = (await sql<{
    id: string; status: string; to_address: string; from_address: string; reply_to: string | null; subject: string; body_text: string
    body_html: string | null; message_id: string; in_reply_to: string | null; references: string[]; headers: Record<string, string>; ticket_id: string | null
    attachment_ids: string[]
  }>`select id, status, to_address, from_address, reply_to, subject, body_text, body_html, message_id, in_reply_to, "references", headers, ticket_id,
      attachment_ids from outbound_messages where id = ${outboundId}`.execute(ctx.db)).rows[0]
  if (!row || row.status === 'sent' || row.status === 'suppressed') return
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
    const final = attempt.attempts >= attempt.maxAttempts
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000)
    await sql`update outbound_messages set attempts = ${attempt.attempts}, error = ${message}, status = ${final ? 'failed' : 'queued'},
      updated_at = ${ctx.now()} where id = ${outboundId}`.execute(ctx.db)
    throw err
  }
  await sql`update outbound_messages set status = 'sent', attempts = ${attempt.attempts}, error = null, sent_at = ${ctx.now()}, updated_at = ${ctx.now()}
    where id = ${outboundId}`.execute(ctx.db)
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
