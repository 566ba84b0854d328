import { sql } from 'kysely'
import { DateTime, IANAZone } from 'luxon'
import type { Executor } from '../../../platform/db/database'
import type { TicketHead } from '../../tickets/queries/load-ticket'
import type { TemplateContext } from '../templates/template-language'
import type { NotificationLocale, SlaNotificationEvent } from '../templates/notification-events'
import type { NotifiableEvent } from './plan-notifications'

/** The SLA events that send email, and their templates. */
export const SLA_TEMPLATES: Record<string, SlaNotificationEvent> = {
  'sla.warning': 'sla_warning', 'sla.breached': 'sla_breached',
}

const TARGET_LABELS: Record<string, Record<NotificationLocale, string>> = {
  firstResponse: { es: 'primera respuesta', en: 'first response' },
  nextResponse: { es: 'siguiente respuesta', en: 'next response' },
  resolution: { es: 'resolución', en: 'resolution' },
}

const FALLBACK_ZONE = 'America/Mexico_City'

/** An instant as staff read it: in the SLA calendar's zone, in their language, zone named. */
export function formatDue(iso: unknown, zone: unknown, locale: NotificationLocale): string {
  if (typeof iso !== 'string') return ''
  const z = typeof zone === 'string' && IANAZone.isValidZone(zone) ? zone : FALLBACK_ZONE
  const at = DateTime.fromISO(iso, { zone: z })
  if (!at.isValid) return ''
  // Spanish: 24-hour clock, as Mexican support teams write it; English: the usual US medium form.
  const text = locale === 'en' ? at.setLocale('en-US').toLocaleString(DateTime.DATETIME_MED) : at.setLocale('es-MX').toFormat('d LLL yyyy, HH:mm')
  return `${text} (${z})`
}

/** Staff named by the event (`recipientIds`, chosen by the SLA engine: assignee, team lead, supervisors). */
export function slaRecipientIds(event: NotifiableEvent): string[] {
  const ids = event.payload.recipientIds
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : []
}

/**
 * Values of the SLA emails for one recipient language: which target (its label), when it is or
 * was due, the policy, requester and assignee.
 */
export async function slaContext(db: Executor, event: NotifiableEvent, ticket: TicketHead): Promise<(locale: NotificationLocale) => TemplateContext> {
  const p = event.payload
  const people = (await sql<{ requester: string | null; assignee: string | null }>`select
      (select name from users where id = ${ticket.requester_id}) as requester,
      (select name from users where id = ${ticket.assignee_id}) as assignee`.execute(db)).rows[0]
  const due = event.type === 'sla.breached' ? p.breachedAt ?? p.dueAt : p.dueAt
  return (locale) => ({
    requester: { name: people?.requester ?? '' },
    assignee: { name: people?.assignee ?? '' },
    sla: {
      target: typeof p.target === 'string' ? TARGET_LABELS[p.target]?.[locale] ?? p.target : '',
      due_at: formatDue(due, p.timezone, locale),
      policy: typeof p.policyName === 'string' ? p.policyName : '',
    },
  })
}
