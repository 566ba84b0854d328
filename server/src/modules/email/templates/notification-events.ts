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
] as const

export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number]
export type NotificationLocale = 'es' | 'en'

/** Variables every template may use. */
const COMMON = ['ticket.number', 'ticket.subject', 'ticket.url', 'ticket.status', 'recipient.name', 'helpdesk.name']

/** Who receives each event and which variables its template may use (checked when admins edit). */
export const EVENT_VARIABLES: Record<NotificationEvent, { audience: 'customer' | 'agent'; variables: string[] }> = {
  ticket_created: { audience: 'customer', variables: [...COMMON, 'comment.body'] },
  agent_reply: { audience: 'customer', variables: [...COMMON, 'agent.name', 'comment.body'] },
  status_pending: { audience: 'customer', variables: [...COMMON, 'agent.name', 'comment.body'] },
  status_on_hold: { audience: 'customer', variables: [...COMMON, 'agent.name', 'comment.body', 'third_party.name'] },
  ticket_resolved: { audience: 'customer', variables: [...COMMON, 'agent.name', 'comment.body', 'links.confirm', 'links.reopen', 'auto_close_days'] },
  ticket_closed: { audience: 'customer', variables: [...COMMON, 'comment.body'] },
  ticket_reopened: { audience: 'customer', variables: [...COMMON, 'comment.body'] },
  ticket_merged: { audience: 'customer', variables: [...COMMON, 'merged_into.number', 'merged_into.url'] },
  outage_update: { audience: 'customer', variables: [...COMMON, 'outage.title', 'outage.message', 'outage.status'] },
  agent_assigned: { audience: 'agent', variables: [...COMMON, 'assigned_by.name', 'ticket.priority', 'requester.name', 'comment.body'] },
  agent_mentioned: { audience: 'agent', variables: [...COMMON, 'mentioned_by.name', 'comment.body'] },
  agent_customer_reply: { audience: 'agent', variables: [...COMMON, 'requester.name', 'comment.body'] },
}
