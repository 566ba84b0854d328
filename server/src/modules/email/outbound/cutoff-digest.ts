import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { DateTime, IANAZone } from 'luxon'
import type { AppContext } from '../../../platform/context'
import { inTransaction } from '../../../platform/db/database'
import { enqueueJob } from '../../../platform/jobs/queue'
import { STATUS_LABELS } from '../../../../../common/src/tickets/tickets.labels'
import type { StatusCode } from '../../../../../common/src/tickets/tickets.types'
import type { CutoffDigestPayload } from '../../sla/cutoffs/cutoff-commands'
import { NEVER_DUE } from '../../sla/live/store-ticket-sla'
import { cachedEmailSettings } from '../email.settings'
import { failingAmong } from '../inbound/sender-guard'
import { escapeHtml, trustedHtml, type SafeHtml } from '../templates/template-language'
import type { NotificationLocale } from '../templates/notification-events'
import { renderNotification, validateTemplateOverride } from '../templates/render-notification'
import { wantsAgentEmail } from './notification-prefs'
import { loadRecipients, ticketUrl } from './plan-notifications'
import { notificationReads } from './notification-reads'
import { DELIVER_JOB, DELIVERY_ATTEMPTS } from './deliver-outbound'
import { loadTemplateOverride } from './template-overrides'
import { defaultSender } from './ticket-mailbox'
import { isUuid } from '../../../platform/db/uuid'

const TEMPLATE = 'sla_cutoff_reminder'

/**
 * One line of the digest. `dueAt`: the earliest deadline still owed — in the past for an overdue
 * ticket ("vencido desde"), else the next running one; null when nothing runs (paused).
 */
export interface DigestTicket { number: number; subject: string; status: StatusCode; dueAt: Date | null; url: string }

/**
 * The tickets as a template value (`tickets.list`): an HTML table and its text twin, one line per
 * ticket (number, subject, status, due time in the calendar's zone, link), in the given order.
 */
export function digestList(tickets: readonly DigestTicket[], zone: string, locale: NotificationLocale, now: Date): SafeHtml {
  const z = IANAZone.isValidZone(zone) ? zone : 'America/Mexico_City'
  const due = (t: DigestTicket) => {
    if (!t.dueAt) return locale === 'es' ? 'sin vencimiento' : 'no due time'
    const at = DateTime.fromJSDate(t.dueAt, { zone: z })
    const text = locale === 'es' ? at.setLocale('es-MX').toFormat('d LLL, HH:mm') : at.setLocale('en-US').toFormat('LLL d, h:mm a')
    return t.dueAt.getTime() <= now.getTime() ? (locale === 'es' ? `vencido desde ${text}` : `overdue since ${text}`) : (locale === 'es' ? `vence ${text}` : `due ${text}`)
  }
  const head = locale === 'es' ? ['Ticket', 'Asunto', 'Estatus', 'Vence'] : ['Ticket', 'Subject', 'Status', 'Due']
  const cell = 'style="padding:4px 8px;border-bottom:1px solid #e4e7eb;text-align:left"'
  const html = `<table style="border-collapse:collapse"><thead><tr>${head.map((h) => `<th ${cell}>${h}</th>`).join('')}</tr></thead><tbody>${tickets.map((t) =>
    `<tr><td ${cell}><a href="${escapeHtml(t.url)}">#${t.number}</a></td><td ${cell}>${escapeHtml(t.subject)}</td><td ${cell}>${escapeHtml(STATUS_LABELS[t.status][locale])}</td><td ${cell}>${escapeHtml(due(t))}</td></tr>`).join('')}</tbody></table>`
  const text = tickets.map((t) => `- #${t.number} ${t.subject} — ${STATUS_LABELS[t.status][locale]} — ${due(t)}\n  ${t.url}`).join('\n')
  return trustedHtml(html, text)
}

/**
 * `sendSlaCutoffDigest`: one email to one assignee listing their tickets of one cut-off run,
 * overdue first (most overdue first), then soonest due, in their language, from the admin-editable `sla_cutoff_reminder` template.
 * Staff only, and only while their `cutoffReminder` switch is on. Tickets closed or handed to
 * someone else since the run are left out (none left: no email). Written to the outbox with one
 * delivery job in one transaction; its Message-ID is derived from (cut-off, time, assignee), so a
 * retried job never queues it twice.
 */
export async function sendCutoffDigest(ctx: AppContext, payload: CutoffDigestPayload): Promise<boolean> {
  const recipient = (await loadRecipients(notificationReads(ctx.db), [payload.assigneeId], {}))[0]
  if (!recipient || recipient.role === 'customer' || !wantsAgentEmail(recipient.prefs, TEMPLATE)) return false
  const ids = Array.isArray(payload.ticketIds) ? payload.ticketIds.filter((id) => isUuid(id)) : []
  if (ids.length === 0) return false
  const rows = (await sql<{ number: number; subject: string; status: StatusCode; due_order_at: Date | null }>`
    select t.number, t.subject, t.status, sla.due_order_at from tickets t left join ticket_sla_summary sla on sla.ticket_id = t.id
    where t.id = any(${ids}::uuid[]) and t.assignee_id = ${recipient.id} and t.status not in ('resolved', 'closed', 'cancelled')
    order by sla.due_order_at nulls last, t.number`.execute(ctx.db)).rows
  if (rows.length === 0) return false
  const publicUrl = ctx.config.publicUrl
  const tickets: DigestTicket[] = rows.map((r) => {
    const due = r.due_order_at ? new Date(r.due_order_at) : null
    return { number: Number(r.number), subject: r.subject, status: r.status, dueAt: due && due.getTime() < NEVER_DUE.getTime() ? due : null, url: ticketUrl(publicUrl, recipient.role, Number(r.number)) }
  })
  const sender = await defaultSender(ctx.db, publicUrl)
  if (sender.address === recipient.email) return false
  const settings = await cachedEmailSettings(ctx)
  const failing = (await failingAmong(ctx.db, [recipient.email])).has(recipient.email)
  const now = ctx.now()
  const stored = await loadTemplateOverride(ctx.db, TEMPLATE, recipient.locale)
  // An override written for the old one-ticket reminder (ticket.* values) falls back to the default part.
  const problems = stored ? validateTemplateOverride(TEMPLATE, stored) : []
  const override = stored && {
    subject: problems.some((p) => p.field === 'subject') ? null : stored.subject,
    body: problems.some((p) => p.field === 'body') ? null : stored.body,
  }
  const rendered = renderNotification({
    event: TEMPLATE, locale: recipient.locale, override,
    context: {
      recipient: { name: recipient.name },
      helpdesk: { name: settings.helpdeskName ?? sender.name ?? 'Atiende' },
      cutoff: { name: payload.cutoffName, time: payload.cutoffTime, timezone: payload.timezone },
      tickets: { count: tickets.length, list: digestList(tickets, payload.timezone, recipient.locale, now), url: `${publicUrl}/agent/tickets` },
    },
  })
  const key = createHash('sha256').update(`${payload.cutoffId}|${payload.scheduledFor}|${recipient.id}`).digest('hex').slice(0, 32)
  const messageId = `<cutoff-digest.${key}@${sender.messageIdDomain}>`
  const headers = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', 'X-Loop': sender.address }
  return inTransaction(ctx.db, async (trx) => {
    const row = (await sql<{ id: string }>`insert into outbound_messages (ticket_id, mailbox_id, event_id, template, locale, recipient_id, to_address,
        from_address, reply_to, subject, body_text, body_html, message_id, "references", headers, attachment_ids, status, error, created_at, updated_at)
      values (null, ${sender.mailbox?.id ?? null}, null, ${TEMPLATE}, ${recipient.locale}, ${recipient.id}, ${recipient.email},
        ${sender.from}, null, ${rendered.subject}, ${rendered.text}, ${rendered.html}, ${messageId}, ${[]}::text[], ${JSON.stringify(headers)}::jsonb,
        ${[]}::uuid[], ${failing ? 'suppressed' : 'queued'}, ${failing ? 'address_failing' : null}, ${now}, ${now})
      on conflict (message_id) do nothing
      returning id`.execute(trx)).rows[0]
    if (!row || failing) return false
    await enqueueJob(trx, DELIVER_JOB, { outboundId: row.id }, { uniqueKey: `email:${row.id}`, maxAttempts: DELIVERY_ATTEMPTS })
    return true
  })
}
