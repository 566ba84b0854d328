import { sql, type Insertable } from 'kysely'
import type { AppContext } from '../../../platform/context'
import { fileList, planReplyFiles, type ReplyFile, type ReplyFilesPlan } from './reply-files'
import { inTransaction, type Executor, type Trx } from '../../../platform/db/database'
import { enqueueJobs } from '../../../platform/jobs/queue'
import { loadEvents } from '../../../platform/events/events'
import { loadTicketHeads, type TicketHead } from '../../tickets/queries/load-ticket'
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
import { senderForTicket, threadFor, threadsOf, type Sender } from './ticket-mailbox'
import { notificationReads, type NotificationReads } from './notification-reads'
import { arrayParam } from '../../../platform/db/plan-cache'
import type { OutboundMessagesTable } from '../email.tables'

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
  const tickets = await loadTicketHeads(ctx.db, valid.map((a) => a.ticketId))
  // The mailboxes as this process cached them (an admin's change shows within seconds).
  const mailboxes = await cachedMailboxes(ctx)
  const secrets = await emailSecrets(ctx)
  const settings = await cachedEmailSettings(ctx)
  const ours = new Set(mailboxes.map((m) => m.address))
  const systemSender = once(() => systemFromAddress(ctx.db, ctx.config.publicUrl))
  // The events are planned together: each kind of read is one statement for all of them.
  const reads = notificationReads(ctx.db)
  const plans: Array<EventEmails | null> = await Promise.all(asked.map(async (a) => {
    const row = a && stored.get(a.eventId)
    const ticket = a && tickets.get(a.ticketId)
    if (!a || !row || !ticket) return null
    const event: NotifiableEvent = {
      id: a.eventId, type: row.type, ticketId: a.ticketId, actorId: row.actor_id, payload: row.payload, createdAt: new Date(row.created_at),
    }
    const planned = await planNotifications(reads, event, ticket, ctx.config.publicUrl)
    if (planned.length === 0) return null
    const sender = await senderForTicket(reads, ticket, ctx.config.publicUrl, mailboxes, systemSender)
    const wanted = planned.filter((p) => !ours.has(p.recipient.email.replace(/\+[^@]*@/, '@')))
    const files = await filesOfEmails(reads, ticket.id, wanted, settings.maxAttachmentBytes)
    return { event, ticket, wanted, sender, files }
  }))
  if (plans.every((p) => p === null)) return payloads.map(() => 0)
  // Addresses that bounce for good get no mail (recorded as suppressed): one look for the batch.
  const failing = await failingAmong(ctx.db, plans.flatMap((p) => p?.wanted.map((w) => w.recipient.email) ?? []))
  const now = ctx.now()
  return inTransaction(ctx.db, async (trx) => {
    const written = plans.filter((p): p is EventEmails => p !== null)
    // Later mail of a ticket threads under the earlier ones, also within the batch.
    const threads = await threadsOf(trx, written.map((p) => p.ticket.id))
    const repeats = await alreadyQueued(trx, written.map((p) => p.event.id))
    const overrides = templateOverrides(trx)
    const emails: OutboxRow[] = []
    const counts: number[] = []
    for (const plan of plans) {
      if (!plan) { counts.push(0); continue }
      const { event, ticket, sender, files } = plan
      const thread = threads.get(ticket.id) ?? []
      let queued = 0
      for (const p of plan.wanted) {
        // A retried job does not queue an email twice (idempotent per event, template and address).
        if (repeats.has(outboxKey(event.id, p.template, p.recipient.email))) continue
        const email = await renderOne({
          ctx, event, ticket, plan: p, sender, secret: secrets[0], thread: threadFor(thread, p.recipient.email, p.recipient.role !== 'customer'), helpdeskName: settings.helpdeskName, failing: failing.has(p.recipient.email), now, files, overrides,
        })
        emails.push(email)
        thread.push({ messageId: email.message_id, to: p.recipient.email.toLowerCase(), public: true })
        if (email.status === 'queued') queued++
      }
      counts.push(queued)
    }
    const ids = await writeOutbox(trx, emails)
    await enqueueJobs(trx, ids.map((id) => ({ name: DELIVER_JOB, payload: { outboundId: id }, opts: { uniqueKey: `email:${id}`, maxAttempts: DELIVERY_ATTEMPTS } })), now)
    return counts
  })
}

/** One event's planned emails with what writing them needs. */
interface EventEmails {
  event: NotifiableEvent
  ticket: TicketHead
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

interface RenderOneInput {
  ctx: AppContext
  event: NotifiableEvent
  ticket: TicketHead
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
async function filesOfEmails(reads: NotificationReads, ticketId: string, emails: readonly PlannedEmail[], cap: number): Promise<EmailFiles> {
  const byComment = new Map<string, ReplyFilesPlan>()
  for (const id of new Set(emails.map((e) => e.commentId).filter((c): c is string => !!c))) {
    byComment.set(id, await planReplyFiles(reads.db, ticketId, id, cap))
  }
  const received = emails.some((e) => e.template === 'ticket_created') ? await reads.creationFiles.load(ticketId) : []
  return { byComment, received }
}

/** One email as the outbox stores it. */
type OutboxRow = Omit<Insertable<OutboundMessagesTable>, 'headers' | 'references' | 'attachment_ids'>
  & { headers: Record<string, string>; references: string[]; attachment_ids: string[]; message_id: string; status: 'queued' | 'suppressed' }

const outboxKey = (eventId: number, template: string, address: string) => `${eventId} ${template} ${address}`

/** The emails already in the outbox for these events (a retried job's), by outboxKey. */
async function alreadyQueued(trx: Trx, eventIds: readonly number[]): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set()
  const rows = await trx.selectFrom('outbound_messages').select(['event_id', 'template', 'to_address'])
    .where('event_id', '=', sql<number>`any(${arrayParam(eventIds, 'bigint')})`).execute()
  return new Set(rows.map((r) => outboxKey(Number(r.event_id), r.template, r.to_address)))
}

/**
 * Writes the emails to the outbox in one statement (a JSON array of rows); returns the ids of
 * those to deliver (not suppressed, not already there from a job that ran at the same time).
 */
async function writeOutbox(trx: Trx, emails: readonly OutboxRow[]): Promise<string[]> {
  if (emails.length === 0) return []
  const rows = (await sql<{ id: string; status: string }>`insert into outbound_messages (ticket_id, mailbox_id, event_id, template, locale, recipient_id,
      to_address, from_address, reply_to, subject, body_text, body_html, message_id, in_reply_to, "references", headers, reply_token, attachment_ids,
      status, error, created_at, updated_at)
    select ticket_id, mailbox_id, event_id, template, locale, recipient_id, to_address, from_address, reply_to, subject, body_text, body_html,
      message_id, in_reply_to, "references", headers, reply_token, attachment_ids, status, error, created_at, updated_at
    from jsonb_to_recordset(${JSON.stringify(emails)}::jsonb) as e(ticket_id uuid, mailbox_id uuid, event_id bigint, template text, locale text,
      recipient_id uuid, to_address text, from_address text, reply_to text, subject text, body_text text, body_html text, message_id text,
      in_reply_to text, "references" text[], headers jsonb, reply_token text, attachment_ids uuid[], status text, error text,
      created_at timestamptz, updated_at timestamptz)
    on conflict (event_id, template, to_address) where event_id is not null do nothing
    returning id, status`.execute(trx)).rows
  return rows.filter((r) => r.status === 'queued').map((r) => r.id)
}

/** Renders one planned email in its recipient's language with its threading headers and reply token. */
async function renderOne(input: RenderOneInput): Promise<OutboxRow> {
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
  return {
    ticket_id: ticket.id, mailbox_id: sender.mailbox?.id ?? null, event_id: input.event.id, template: plan.template, locale: plan.recipient.locale,
    recipient_id: plan.recipient.id, to_address: to, from_address: sender.from, reply_to: headers.replyTo, subject: rendered.subject,
    body_text: rendered.text, body_html: rendered.html, message_id: headers.messageId, in_reply_to: headers.inReplyTo ?? null,
    references: headers.references, headers: { ...headers.headers, 'X-Loop': sender.address }, reply_token: createReplyToken(ticket.id, to, secret),
    attachment_ids: (replyFiles?.attach ?? []).map((f) => f.id),
    status: input.failing ? 'suppressed' : 'queued', error: input.failing ? 'address_failing' : null, created_at: now, updated_at: now,
  }
}
