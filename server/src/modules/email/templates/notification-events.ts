/** The emails we send, one template each per language. */
export const NOTIFICATION_EVENTS = [
  'ticket_created',
  'agent_reply',
  'status_pending',
  'status_on_hold',
  'ticket_resolved',
  'ticket_closed',
  'ticket_reopened',
  'ticket_merged',
  'outage_update',
  'agent_assigned',
  'agent_mentioned',
  'agent_customer_reply',
  'sla_warning',
  'sla_breached',
  'sla_cutoff_reminder',
] as const

export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number]
/** The SLA engine's emails to staff (defaults in sla-defaults.*.ts). */
export type SlaNotificationEvent = Extract<NotificationEvent, `sla_${string}`>
export type NotificationLocale = 'es' | 'en'

/** Variables every template may use. */
const COMMON = ['ticket.number', 'ticket.subject', 'ticket.url', 'ticket.status', 'recipient.name', 'helpdesk.name']

/** SLA warning and breach: the target ("primera respuesta"…), its due time in the calendar's zone, the policy. */
const SLA = ['ticket.priority', 'requester.name', 'assignee.name', 'sla.target', 'sla.due_at', 'sla.policy']

/** Who receives each event and which variables its template may use (checked when admins edit). */
export const EVENT_VARIABLES: Record<NotificationEvent, { audience: 'customer' | 'agent'; variables: string[] }> = {
  ticket_created: { audience: 'customer', variables: [...COMMON, 'comment.body', 'files.received'] },
  agent_reply: { audience: 'customer', variables: [...COMMON, 'agent.name', 'comment.body', 'files.linked'] },
  status_pending: { audience: 'customer', variables: [...COMMON, 'agent.name', 'comment.body', 'files.linked'] },
  status_on_hold: { audience: 'customer', variables: [...COMMON, 'agent.name', 'comment.body', 'files.linked', 'third_party.name'] },
  ticket_resolved: { audience: 'customer', variables: [...COMMON, 'agent.name', 'comment.body', 'files.linked', 'links.confirm', 'links.reopen', 'auto_close_days'] },
  ticket_closed: { audience: 'customer', variables: [...COMMON, 'comment.body', 'files.linked'] },
  ticket_reopened: { audience: 'customer', variables: [...COMMON, 'comment.body', 'files.linked'] },
  ticket_merged: { audience: 'customer', variables: [...COMMON, 'merged_into.number', 'merged_into.url'] },
  outage_update: { audience: 'customer', variables: [...COMMON, 'outage.title', 'outage.message', 'outage.status', 'files.linked'] },
  agent_assigned: { audience: 'agent', variables: [...COMMON, 'assigned_by.name', 'ticket.priority', 'requester.name', 'comment.body'] },
  agent_mentioned: { audience: 'agent', variables: [...COMMON, 'mentioned_by.name', 'comment.body'] },
  agent_customer_reply: { audience: 'agent', variables: [...COMMON, 'requester.name', 'comment.body', 'files.linked'] },
  sla_warning: { audience: 'agent', variables: [...COMMON, ...SLA] },
  sla_breached: { audience: 'agent', variables: [...COMMON, ...SLA] },
  // One digest per assignee and cut-off run: about several tickets, so no ticket.* values.
  sla_cutoff_reminder: { audience: 'agent', variables: ['recipient.name', 'helpdesk.name', 'cutoff.name', 'cutoff.time', 'cutoff.timezone', 'tickets.count', 'tickets.list', 'tickets.url'] },
}

/** Emails about several tickets (digests): no "[#number]" subject tag, no reply footer. */
export const DIGEST_EVENTS: readonly NotificationEvent[] = ['sla_cutoff_reminder']
