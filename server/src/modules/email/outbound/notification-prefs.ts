import type { NotificationEvent } from '../templates/notification-events'

/** The agent emails each user can switch off, and their keys in users.notification_prefs. */
export const AGENT_EMAIL_PREFS = {
  agent_assigned: 'email.agent_assigned',
  agent_mentioned: 'email.agent_mentioned',
  agent_customer_reply: 'email.agent_customer_reply',
  sla_warning: 'email.sla_warning',
  sla_breached: 'email.sla_breached',
  sla_cutoff_reminder: 'email.sla_cutoff_reminder',
} as const satisfies Partial<Record<NotificationEvent, string>>

/** On unless the user switched it off. Emails not listed are always sent. */
export function wantsAgentEmail(prefs: Record<string, boolean>, template: NotificationEvent): boolean {
  const key = (AGENT_EMAIL_PREFS as Partial<Record<NotificationEvent, string>>)[template]
  return !key || prefs[key] !== false
}
