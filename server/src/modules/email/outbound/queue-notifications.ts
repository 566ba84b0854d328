import { sql } from 'kysely'
import type { AppContext } from '../../../platform/context'
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
  const now = ctx.now()
  return inTransaction(ctx.db, async (trx) => {
    let queued = 0
    const thread = await threadMessageIds(trx, ticket.id)
    for (const p of wanted) {
      if (await queueOne(trx, { ctx, event, ticket, plan: p, sender, secret: secrets[0], thread, helpdeskName: settings.helpdeskName, failing: failing.has(p.recipient.email), now })) queued++
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
  const override = await loadTemplateOverride(trx, plan.template, plan.recipient.locale)
  const rendered = renderNotification({ event: plan.template, locale: plan.recipient.locale, context, override })
  const headers = buildOutboundHeaders({
    ticketId: ticket.id, ticketNumber: ticket.number, recipient: to, mailbox: { address: sender.address, name: sender.name },
    messageIdDomain: sender.messageIdDomain, secret, thread: input.thread, plusAddressing: sender.mailbox?.plusAddressing ?? false,
    automatic: plan.automatic,
  })
  const extraHeaders = { ...headers.headers, 'X-Loop': sender.address }
  const row = (await sql<{ id: string }>`insert into outbound_messages (ticket_id, mailbox_id, event_id, template, locale, recipient_id, to_address,
      from_address, reply_to, subject, body_text, body_html, message_id, in_reply_to, "references", headers, reply_token, status, error, created_at, updated_at)
    values (${ticket.id}, ${sender.mailbox?.id ?? null}, ${input.event.id}, ${plan.template}, ${plan.recipient.locale}, ${plan.recipient.id}, ${to},
      ${sender.from}, ${headers.replyTo}, ${rendered.subject}, ${rendered.text}, ${rendered.html}, ${headers.messageId}, ${headers.inReplyTo ?? null},
      ${headers.references}, ${JSON.stringify(extraHeaders)}::jsonb, ${createReplyToken(ticket.id, to, secret)},
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
    body_html: string | null; message_id: string; in_reply_to: string | null; references: string[]; headers: Record<string, string>
  }>`select id, status, to_address, from_address, reply_to, subject, body_text, body_html, message_id, in_reply_to, "references", headers
    from outbound_messages where id = ${outboundId}`.execute(ctx.db)).rows[0]
  if (!row || row.status === 'sent' || row.status === 'suppressed') return
  try {
    await ctx.mailer.send({
      from: row.from_address, to: row.to_address, replyTo: row.reply_to ?? undefined, subject: row.subject, text: row.body_text,
      html: row.body_html ?? undefined, messageId: row.message_id, inReplyTo: row.in_reply_to ?? undefined,
      references: row.references.length ? row.references : undefined, headers: row.headers,
    })
  } catch (err) {
    const final = attempt.attempts >= attempt.maxAttempts
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000)
    await sql`update outbound_messages set attempts = ${attempt.attempts}, error = ${message}, status = ${final ? 'failed' : 'queued'},
      updated_at = ${ctx.now()} where id = ${outboundId}`.execute(ctx.db)
    throw err
  }
  await sql`update outbound_messages set status = 'sent', attempts = ${attempt.attempts}, error = null, sent_at = ${ctx.now()}, updated_at = ${ctx.now()}
    where id = ${outboundId}`.execute(ctx.db)
}
