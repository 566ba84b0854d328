import type { SlaNotificationEvent } from './notification-events'

/** English defaults of the SLA emails to staff: due soon, breached, cut-off digest per agent. */
export const SLA_DEFAULTS_EN: Record<SlaNotificationEvent, { subject: string; body: string }> = {
  sla_warning: {
    subject: '[#{{ticket.number}}] Due soon ({{sla.target}}): {{ticket.subject}}',
    body: `Ticket #{{ticket.number}} is close to its {{sla.target}} time.

Subject: {{ticket.subject}}
Priority: {{ticket.priority}}
Status: {{ticket.status}}
{{#if requester.name}}Requester: {{requester.name}}
{{/if}}{{#if assignee.name}}Assignee: {{assignee.name}}
{{/if}}{{#if sla.due_at}}Due: {{sla.due_at}}
{{/if}}{{#if sla.policy}}SLA policy: {{sla.policy}}
{{/if}}
{{ticket.url}}`,
  },
  sla_breached: {
    subject: '[#{{ticket.number}}] Breached ({{sla.target}}): {{ticket.subject}}',
    body: `Ticket #{{ticket.number}} is past its {{sla.target}} time and still open.

Subject: {{ticket.subject}}
Priority: {{ticket.priority}}
Status: {{ticket.status}}
{{#if requester.name}}Requester: {{requester.name}}
{{/if}}{{#if assignee.name}}Assignee: {{assignee.name}}
{{else}}Unassigned
{{/if}}{{#if sla.due_at}}Was due: {{sla.due_at}}
{{/if}}{{#if sla.policy}}SLA policy: {{sla.policy}}
{{/if}}
{{ticket.url}}`,
  },
  sla_cutoff_reminder: {
    subject: '{{cutoff.time}} cut-off — open tickets assigned to you: {{tickets.count}}',
    body: `Hello{{#if recipient.name}} {{recipient.name}}{{/if}},

Reminder of the «{{cutoff.name}}» cut-off at {{cutoff.time}}: tickets assigned to you that are still open ({{tickets.count}}), overdue ones first, then the soonest due (times in {{cutoff.timezone}}).

{{tickets.list}}

{{#if tickets.url}}Your tickets: {{tickets.url}}{{/if}}`,
  },
}
