import { sql } from 'kysely'
import type { AppContext } from '../../../platform/context'
import { fileList, planReplyFiles, ticketCreationFiles, type ReplyFile, type ReplyFilesPlan } from './reply-files'
import { inTransaction, type Executor, type Trx } from '../../../platform/db/database'
import { enqueueJobs, type NewJob } from '../../../platform/jobs/queue'
import { loadEvents } from '../../../platform/events/events'
import { loadTickets, type TicketRow } from '../../tickets/queries/load-ticket'
import { cachedEmailSettings } from '../email.settings'
import { cachedMailboxes } from '../mailboxes/mailbox-directory'
import { emailSecrets } from '../email-secrets'
import { signActionToken } from '../actions/action-token'
import { createReplyToken } from '../reply-token'
import { renderNotification } from '../templates/render-notification'
import { buildOutboundHeaders } from './headers'
import { loadTemplateOverride } from './template-overrides'
import { failingAmong } from '../inbound/sender-guard'
import { systemFromAddress } from '../../auth/system-address'
import { planNotifications, type NotifiableEvent, type PlannedEmail } from './plan-notifications'
import { DELIVER_JOB, DELIVERY_ATTEMPTS } from './deliver-outbound'
import { senderForTicket, threadMessageIds, type Sender } from './ticket-mailbox'

type RenderContext = Parameters<typeof renderNotification>[0]['context']

const LINK_DAYS = 30

/**
 * Runs for every subscribed ticket event after its commit: plans the emails, renders each in its
 * recipient's language (admin override or default) with threading headers and reply token, and
 * writes them to the outbox with one delivery job each, in one transaction. Idempotent per
 * (event, template, address): a retried job does not queue an email twice.
 */
export async function queueNotificationsForEvent(ctx: AppContext, payload: Record<string, unknown>): Promise<number> {
  return (await queueNotificationsForEvents(ctx, [payload]))[0]
}

/**
 * queueNotificationsForEvent for several events at once (the worker's batch of them): their
 * events and tickets read together, the emails of all of them written in one transaction with
 * one statement for all their delivery jobs. Returns how many emails each event queued.
 */
export async function queueNotificationsForEvents(ctx: AppContext, payloads: ReadonlyArray<Record<string, unknown>>): Promise<number[]> {
  const asked = payloads.map((payload) => {
    const eventId = Number(payload.eventId)
    const ticketId = typeof payload.ticketId === 'string' ? payload.ticketId : null
    return Number.isFinite(eventId) && ticketId ? { eventId, ticketId } : null
  })
  const valid = asked.filter((a): a is { eventId: number; ticketId: string } => a !== null)
  if (valid.length === 0) return payloads.map(() => 0)
  const stored = await loadEvents(ctx.db, valid.map((a) => a.eventId))
  const tickets = await loadTickets(ctx.db, valid.map((a) => a.ticketId))
  // The mailboxes as this process cached them (an admin's change shows within seconds).
  const mailboxes = await cachedMailboxes(ctx)
  const secrets = await emailSecrets(ctx)
  const settings = await cachedEmailSettings(ctx)
  const ours = new Set(mailboxes.map((m) => m.address))
  const systemSender = once(() => systemFromAddress(ctx.db, ctx.config.publicUrl))
  const plans: Array<EventEmails | null> = []
  for (const a of asked) {
    const row = a && stored.get(a.eventId)
    const ticket = a && tickets.get(a.ticketId)
    if (!a || !row || !ticket) { plans.push(null); continue }
    const event: NotifiableEvent = {
      id: a.eventId, type: row.type, ticketId: a.ticketId, actorId: row.actor_id, payload: row.payload, createdAt: new Date(row.created_at),
    }
    const planned = await planNotifications(ctx.db, event, ticket, ctx.config.publicUrl)
    if (planned.length === 0) { plans.push(null); continue }
    const sender = await senderForTicket(ctx.db, ticket, ctx.config.publicUrl, mailboxes, systemSender)
    const wanted = planned.filter((p) => !ours.has(p.recipient.email.replace(/\+[^@]*@/, '@')))
    const files = await filesOfEmails(ctx, ticket.id, wanted, settings.maxAttachmentBytes)
    plans.push({ event, ticket, wanted, sender, files })
  }
  if (plans.every((p) => p === null)) return payloads.map(() => 0)
  // Addresses that bounce for good get no mail (recorded as suppressed): one look for the batch.
  const failing = await failingAmong(ctx.db, plans.flatMap((p) => p?.wanted.map((w) => w.recipient.email) ?? []))
  const now = ctx.now()
  return inTransaction(ctx.db, async (trx) => {
    const threads = new Map<string, string[]>()
    const overrides = templateOverrides(trx)
    const deliveries: NewJob[] = []
    const counts: number[] = []
    for (const plan of plans) {
      if (!plan) { counts.push(0); continue }
      const { event, ticket, sender, files } = plan
      // Later mail of this ticket threads under the earlier ones, also within the batch.
      const thread = threads.get(ticket.id) ?? await threadMessageIds(trx, ticket.id)
      threads.set(ticket.id, thread)
      let queued = 0
      for (const p of plan.wanted) {
        const id = await queueOne(trx, {
          ctx, event, ticket, plan: p, sender, secret: secrets[0], thread, helpdeskName: settings.helpdeskName, failing: failing.has(p.recipient.email), now, files, overrides,
        })
        if (id) {
          deliveries.push({ name: DELIVER_JOB, payload: { outboundId: id }, opts: { uniqueKey: `email:${id}`, maxAttempts: DELIVERY_ATTEMPTS } })
          queued++
        }
      }
      counts.push(queued)
    }
    await enqueueJobs(trx, deliveries, now)
    return counts
  })
}

/** One event's planned emails with what writing them needs. */
interface EventEmails {
  event: NotifiableEvent
  ticket: TicketRow
  wanted: PlannedEmail[]
  sender: Sender
  files: EmailFiles
}

/** The first call's promise, for every call. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | null = null
  return () => (loaded ??= load())
}

/** The admin's template overrides, each read once per transaction. */
function templateOverrides(db: Executor) {
  const seen = new Map<string, ReturnType<typeof loadTemplateOverride>>()
  return (event: PlannedEmail['template'], locale: PlannedEmail['recipient']['locale']) => {
    const key = `${event} ${locale}`
    const hit = seen.get(key) ?? loadTemplateOverride(db, event, locale)
    seen.set(key, hit)
    return hit
  }
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
  overrides: ReturnType<typeof templateOverrides>
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

/** Writes one planned email to the outbox; returns its id when it is to be delivered (not a repeat, not suppressed). */
async function queueOne(trx: Trx, input: QueueOneInput): Promise<string | null> {
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
  const override = await input.overrides(plan.template, plan.recipient.locale)
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
  if (!row || input.failing) return null
  // Later mail of this ticket threads under this one.
  input.thread.push(headers.messageId)
  return row.id
}
