import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import type { Role } from '../../../platform/db/platform.tables'
import { PRIORITY_LABELS, STATUS_LABELS } from '../../../../../common/src/tickets/tickets.labels'
import type { TicketHead } from '../../tickets/queries/load-ticket'
import { canView, type Viewer } from '../../tickets/tickets.policy'
import { trustedHtml, type TemplateContext } from '../templates/template-language'
import type { NotificationEvent, NotificationLocale } from '../templates/notification-events'
import { wantsAgentEmail } from './notification-prefs'
import { SLA_TEMPLATES, slaContext, slaRecipientIds } from './sla-context'
import type { NotificationReads, NotifiedUser } from './notification-reads'
import { isUuid } from '../../../platform/db/uuid'
import { t } from '../../../platform/i18n/messages'

/** An event as the notifier reads it (the job payload plus the event's transaction time). */
export interface NotifiableEvent {
  id: number
  type: string
  ticketId: string
  actorId: string | null
  payload: Record<string, unknown>
  createdAt: Date
}

export interface Recipient {
  id: string
  email: string
  name: string
  role: Role
  locale: NotificationLocale
  prefs: Record<string, boolean>
  viewer: Viewer
}

/** One email to write: which template, to whom, with what values (links are added per recipient later). */
export interface PlannedEmail {
  template: NotificationEvent
  recipient: Recipient
  /** A notification the system writes (Auto-Submitted), not a person's reply. */
  automatic: boolean
  context: TemplateContext
  /** Add one-click confirm/reopen links for this recipient. */
  actionLinks?: boolean
  /** The public comment this email carries (an agent's reply, or the customer's reply told to its assignee): its public files travel with it. */
  commentId?: string
}

interface CommentRow { id: string; body_text: string; body_html: string; internal: boolean; author_id: string | null; author_name: string | null; author_role: Role | null }

const STATUS_TEMPLATES: Partial<Record<string, NotificationEvent>> = {
  pending: 'status_pending', on_hold: 'status_on_hold', resolved: 'ticket_resolved', closed: 'ticket_closed',
}

/**
 * Decides who gets which email for one ticket event: customers hear of their ticket's creation,
 * agents' public replies, status changes (pending, on hold, resolved with confirm/reopen links,
 * closed, reopened), merges and outage updates; agents of assignments, mentions and customer
 * replies (and reopenings by the customer's side without one), and SLA warnings and breaches (each
 * switchable; cut-off digests: cutoff-digest.ts). Internal notes never reach a customer. A reply
 * made together with a status change sends one email (the status one, carrying the reply, not
 * Auto-Submitted; with resolved, whose links are the requester's, the customer watchers get the
 * reply itself). `reads`: what the events planned together read as one (notification-reads.ts).
 */
export async function planNotifications(reads: NotificationReads, event: NotifiableEvent, ticket: TicketHead, publicUrl: string): Promise<PlannedEmail[]> {
  const db = reads.db
  const p = event.payload
  const base = (r: Recipient, extra: TemplateContext = {}): TemplateContext => ({
    ticket: {
      number: ticket.number, subject: ticket.subject, url: ticketUrl(publicUrl, r.role, ticket.number),
      status: STATUS_LABELS[ticket.status][r.locale], priority: PRIORITY_LABELS[ticket.priority][r.locale],
    },
    recipient: { name: r.name },
    ...extra,
  })
  const plan = (template: NotificationEvent, recipients: Recipient[], extra: (r: Recipient) => TemplateContext, automatic = true, actionLinks = false) =>
    recipients.map((r) => ({ template, recipient: r, automatic, context: base(r, extra(r)), actionLinks }))
  const actor = event.actorId ? (await loadRecipients(reads, [event.actorId], { anyEmail: true }))[0] ?? null : null
  const actorName = actor?.name ?? null

  switch (event.type) {
    case 'ticket.created': {
      const out: PlannedEmail[] = []
      // Tickets opened by automated mail we accepted (monitoring alerts) get no acknowledgement.
      // A follow-up staff opened by answering a closed ticket is announced by that answer (its first reply), not as a request received.
      const staffFollowUp = typeof p.followUpOfId === 'string' && actor !== null && actor.role !== 'customer'
      if (!staffFollowUp && (ticket.channel !== 'email' || await reads.acknowledged.load(ticket.id))) {
        out.push(...plan('ticket_created', (await customers(reads, ticket, { watchers: false })).filter((r) => r.id !== event.actorId || r.role === 'customer'), () => ({})))
      }
      if (typeof p.assigneeId === 'string' && p.assigneeId !== event.actorId) {
        const extra = await assignedContext(reads, actorName, ticket)
        out.push(...plan('agent_assigned', await agents(reads, [p.assigneeId], 'agent_assigned', ticket), () => extra))
      }
      return out
    }
    case 'comment.added': {
      if (p.internal !== false || typeof p.commentId !== 'string') return []
      const comment = await loadComment(db, p.commentId)
      if (!comment || comment.internal) return []
      const body = { comment: { body: trustedHtml(comment.body_html, comment.body_text) } }
      if (p.byRequester === true) {
        // The assignee when the reply arrived (the event's scope), not whoever holds the ticket when the job runs.
        const scope = p.scope as { assigneeId?: string | null } | undefined
        const assignee = scope && 'assigneeId' in scope ? scope.assigneeId ?? null : ticket.assignee_id
        const to = assignee && assignee !== comment.author_id ? [assignee] : []
        // The reply's files travel with it, as they do in the customer's mail of an agent's reply.
        const toStaff = plan('agent_customer_reply', await agents(reads, to, 'agent_customer_reply', ticket), () => ({ ...body, requester: { name: comment.author_name ?? '' } }))
        // A colleague's reply (an organization manager's) is news to the requester and the ticket's other
        // customers — unless a status mail of the same change (a reopening) already carries it.
        const colleague = comment.author_id !== ticket.requester_id && !(await sameTransactionEvents(db, event)).some((e) => statusMailFor(e, ticket.id))
        const toCustomers = colleague
          ? plan('agent_reply', (await customers(reads, ticket, { watchers: true })).filter((r) => r.id !== comment.author_id), () => ({ ...body, agent: { name: comment.author_name ?? '' } }), false)
          : []
        return withComment([...toStaff, ...toCustomers], comment.id)
      }
      if (comment.author_role === 'customer') return []
      const sameTx = await sameTransactionEvents(db, event)
      if (sameTx.some((e) => e.type === 'ticket.status_changed' && e.ticket_id === ticket.id && STATUS_TEMPLATES[String(e.payload.to)] && e.payload.by !== 'requester')) return []
      const recipients = (await customers(reads, ticket, { watchers: true })).filter((r) => r.id !== comment.author_id)
      const broadcast = sameTx.find((e) => e.type === 'ticket.broadcast_sent' && Array.isArray(e.payload.posted) && (e.payload.posted as unknown[]).includes(ticket.number))
      if (broadcast?.ticket_id) {
        const parent = (await sql<{ subject: string; status: TicketHead['status'] }>`select subject, status from tickets where id = ${broadcast.ticket_id}`.execute(db)).rows[0]
        return withComment(plan('outage_update', recipients, (r) => ({
          outage: { title: parent?.subject ?? '', message: trustedHtml(comment.body_html, comment.body_text), status: parent ? STATUS_LABELS[parent.status][r.locale] : '' },
        })), comment.id)
      }
      return withComment(plan('agent_reply', recipients, () => ({ ...body, agent: { name: comment.author_name ?? '' } }), false), comment.id)
    }
    case 'comment.mentioned': {
      const ids = Array.isArray(p.mentionedUserIds) ? (p.mentionedUserIds as unknown[]).filter((x): x is string => typeof x === 'string' && x !== event.actorId) : []
      const comment = typeof p.commentId === 'string' ? await loadComment(db, p.commentId) : null
      return plan('agent_mentioned', await agents(reads, ids, 'agent_mentioned', ticket), () => ({
        mentioned_by: { name: actorName ?? '' }, ...(comment ? { comment: { body: trustedHtml(comment.body_html, comment.body_text) } } : {}),
      }))
    }
    case 'ticket.status_changed': {
      // A reopening by the customer's side (the one-click link, the portal) is news to the assignee, as a reply is.
      // The mail of a customer reply, saying what they did.
      const toAssignee = p.by === 'requester' && p.reopen === true
        ? plan('agent_customer_reply', await reopenNoticeRecipients(reads, event, ticket), (r) => ({
          requester: { name: actorName ?? '' }, comment: { body: t(r.locale, 'email.reopened_notice') },
        }))
        : []
      // The requester's own change needs no mail; a colleague's (an organization manager confirming or reopening it) is news to the requester.
      if (p.by === 'requester' && (!event.actorId || event.actorId === ticket.requester_id)) return toAssignee
      const template = p.reopen === true ? 'ticket_reopened' : STATUS_TEMPLATES[String(p.to)]
      if (!template) return []
      const comment = await commentOfSameTransaction(db, event)
      const extra = (): TemplateContext => ({
        agent: { name: actorName ?? '' },
        third_party: { name: ticket.third_party ?? '' },
        ...(comment ? { comment: { body: trustedHtml(comment.body_html, comment.body_text) } } : {}),
      })
      // Carrying a person's reply, the mail is that reply (no Auto-Submitted), not an automatic notice.
      const automatic = !comment || comment.author_role === null
      if (template === 'ticket_resolved') {
        const settings = (await sql<{ value: { reopenWindowDays?: number } | null }>`select value from settings where key = 'tickets'`.execute(db)).rows[0]
        const days = settings?.value?.reopenWindowDays ?? 7
        const toRequester = plan(template, await customers(reads, ticket, { watchers: false }), () => ({ ...extra(), auto_close_days: days }), automatic, true)
        // The confirm/reopen links are the requester's; the customers watching get the reply itself, as with any other status.
        const toWatchers = comment
          ? plan('agent_reply', (await customers(reads, ticket, { watchers: true }))
            .filter((r) => r.id !== ticket.requester_id && r.id !== event.actorId && r.id !== comment.author_id),
          () => ({ comment: { body: trustedHtml(comment.body_html, comment.body_text) }, agent: { name: comment.author_name ?? '' } }), automatic)
          : []
        return withComment([...toRequester, ...toWatchers], comment?.id)
      }
      return [...withComment(plan(template, (await customers(reads, ticket, { watchers: true })).filter((r) => r.id !== event.actorId), extra, automatic), comment?.id), ...toAssignee]
    }
    case 'ticket.updated': {
      if (typeof p.assigneeId !== 'string' || p.assigneeId === event.actorId) return []
      const extra = await assignedContext(reads, actorName, ticket)
      return plan('agent_assigned', await agents(reads, [p.assigneeId], 'agent_assigned', ticket), () => extra)
    }
    case 'ticket.merged': {
      const targetNumber = typeof p.targetNumber === 'number' ? p.targetNumber : null
      if (targetNumber === null) return []
      // Another requester's ticket is not named to this one (its number is not theirs to know).
      const theirs = p.sameRequester === true
      return plan('ticket_merged', await customers(reads, ticket, { watchers: false }), (r) => ({
        merged_into: theirs ? { number: targetNumber, url: ticketUrl(publicUrl, r.role, targetNumber) } : { number: '', url: '' },
      }))
    }
    case 'sla.warning': case 'sla.breached': {
      // Staff only (agents() drops customers), each unless they switched this email off.
      const template = SLA_TEMPLATES[event.type]
      const extra = await slaContext(db, event, ticket)
      return plan(template, await agents(reads, slaRecipientIds(event), template, ticket), (r) => extra(r.locale))
    }
    default:
      return []
  }
}

/**
 * Who is told when the customer's side reopens a ticket without replying (the one-click link of
 * the "resolved" mail, the portal): the assignee, unless they did it. A reopening by reply needs
 * no notice: the reply's own mail (comment.added) tells them.
 */
async function reopenNoticeRecipients(reads: NotificationReads, event: NotifiableEvent, ticket: TicketHead): Promise<Recipient[]> {
  if (!ticket.assignee_id || ticket.assignee_id === event.actorId) return []
  const replied = (await sameTransactionEvents(reads.db, event))
    .some((e) => e.type === 'comment.added' && e.ticket_id === ticket.id && e.payload.byRequester === true)
  return replied ? [] : agents(reads, [ticket.assignee_id], 'agent_customer_reply', ticket)
}

/** Whether an event of the same change is a status change that mails the ticket's customers itself (with the change's comment). */
function statusMailFor(e: EventRow, ticketId: string): boolean {
  return e.type === 'ticket.status_changed' && e.ticket_id === ticketId && (e.payload.reopen === true || !!STATUS_TEMPLATES[String(e.payload.to)])
}

/** Marks the emails that carry a public staff comment, so its files go with them. */
function withComment(emails: PlannedEmail[], commentId: string | undefined): PlannedEmail[] {
  return commentId ? emails.map((e) => ({ ...e, commentId })) : emails
}

/** Where a recipient opens the ticket: the portal for customers, the agent app for staff. */
export function ticketUrl(publicUrl: string, role: Role, number: number): string {
  return `${publicUrl}/${role === 'customer' ? 'portal' : 'agent'}/tickets/${number}`
}

async function assignedContext(reads: NotificationReads, actorName: string | null, ticket: TicketHead): Promise<TemplateContext> {
  const requester = await reads.users.load(ticket.requester_id)
  return { assigned_by: { name: actorName ?? '' }, requester: { name: requester?.name ?? '' } }
}

/** The requester (and, for most events, customers watching the ticket, e.g. CC'd colleagues). */
async function customers(reads: NotificationReads, ticket: TicketHead, opts: { watchers: boolean }): Promise<Recipient[]> {
  const ids = [ticket.requester_id]
  if (opts.watchers) {
    ids.push(...(await sql<{ user_id: string }>`select user_id from ticket_watchers where ticket_id = ${ticket.id} order by created_at`.execute(reads.db)).rows.map((r) => r.user_id))
  }
  const list = await loadRecipients(reads, [...new Set(ids)], {})
  // Staff watching a ticket are not customers: they follow it in the app.
  return list.filter((r) => r.id === ticket.requester_id || r.role === 'customer')
}

/** Staff to write to about the ticket: those who want this mail and may open the ticket (a team-restricted agent of another team may not). */
async function agents(reads: NotificationReads, ids: string[], template: NotificationEvent, ticket: TicketHead): Promise<Recipient[]> {
  return (await loadRecipients(reads, ids, {})).filter((r) => r.role !== 'customer' && wantsAgentEmail(r.prefs, template) && canView(r.viewer, ticket))
}

/** Active users with an email address, in the order asked (read with the other events' users: `reads`). */
export async function loadRecipients(reads: NotificationReads, ids: readonly string[], opts: { anyEmail?: boolean }): Promise<Recipient[]> {
  const valid = ids.filter((id) => isUuid(id)).map((id) => id.toLowerCase())
  if (valid.length === 0) return []
  return (await reads.users.loadMany(valid))
    .filter((r): r is NotifiedUser => !!r && !(r instanceof Error) && (opts.anyEmail || (r.active && !!r.email)))
    .map((r) => ({
      id: r.id, email: (r.email ?? '').toLowerCase(), name: r.name, role: r.role, locale: r.locale.toLowerCase().startsWith('en') ? 'en' : 'es',
      prefs: r.notification_prefs ?? {},
      viewer: { id: r.id, role: r.role, organizationId: r.organization_id, orgManager: r.org_manager, ticketScope: r.ticket_scope, teamIds: r.team_ids ?? [] },
    }))
}

async function loadComment(db: Executor, id: string): Promise<CommentRow | null> {
  return (await sql<CommentRow>`select c.id, c.body_text, c.body_html, c.internal, c.author_id, u.name as author_name, u.role as author_role
    from comments c left join users u on u.id = c.author_id where c.id = ${id}`.execute(db)).rows[0] ?? null
}

const SAME_TX_WINDOW = 5000

interface EventRow { id: number; type: string; ticket_id: string | null; payload: Record<string, unknown> }

/** Events recorded in the same transaction (they share now(), the transaction's start time). */
async function sameTransactionEvents(db: Executor, event: { id: number }): Promise<EventRow[]> {
  // Compared in SQL: a JS Date would lose the microseconds of timestamptz. One transaction's
  // events have neighbouring ids, so the primary key bounds the search.
  return (await sql<EventRow>`select id, type, ticket_id, payload from events
    where id between ${event.id - SAME_TX_WINDOW} and ${event.id + SAME_TX_WINDOW} and id <> ${event.id}
      and created_at = (select created_at from events where id = ${event.id}) order by id`.execute(db)).rows
}

/**
 * The id of the public staff reply posted in the same transaction as an event ("reply and set
 * pending"), if any: the reply a status mail carries (also how the ticket page puts that mail under it).
 */
export async function staffReplyIdOfSameTransaction(db: Executor, event: { id: number; ticketId: string | null }): Promise<string | null> {
  const added = (await sameTransactionEvents(db, event)).find((e) => e.type === 'comment.added' && e.ticket_id === event.ticketId
    && e.payload.internal === false && e.payload.byRequester !== true && typeof e.payload.commentId === 'string')
  return added ? (added.payload.commentId as string) : null
}

/** The public staff reply posted with a status change, if any. */
async function commentOfSameTransaction(db: Executor, event: NotifiableEvent): Promise<CommentRow | null> {
  const id = await staffReplyIdOfSameTransaction(db, event)
  const comment = id ? await loadComment(db, id) : null
  return comment && !comment.internal ? comment : null
}
