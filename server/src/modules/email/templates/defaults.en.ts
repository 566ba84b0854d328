import type { NotificationEvent } from './notification-events'
import { SLA_DEFAULTS_EN } from './sla-defaults.en'

/** English default subject and body per event (the admin can override both). */
export const DEFAULTS_EN: Record<NotificationEvent, { subject: string; body: string }> = {
  ticket_created: {
    subject: '[#{{ticket.number}}] We received your request: {{ticket.subject}}',
    body: `Hello{{#if recipient.name}} {{recipient.name}}{{/if}},

We received your request and logged it as ticket #{{ticket.number}}. An agent will look into it shortly.

Subject: {{ticket.subject}}

{{#if files.received}}Files received with your request:
{{files.received}}

{{/if}}You can follow its progress at {{ticket.url}}
To add information, reply to this email without changing the subject.`,
  },
  agent_reply: {
    subject: '[#{{ticket.number}}] {{ticket.subject}}',
    body: `{{comment.body}}

{{#if files.linked}}These files did not fit in this email; open them on the ticket page:
{{files.linked}}

{{/if}}{{agent.name}}
{{helpdesk.name}}

Ticket #{{ticket.number}}: {{ticket.url}}`,
  },
  status_pending: {
    subject: '[#{{ticket.number}}] We need more information: {{ticket.subject}}',
    body: `Hello{{#if recipient.name}} {{recipient.name}}{{/if}},

To continue with your ticket #{{ticket.number}} we need some more information.

{{#if comment.body}}{{comment.body}}

{{/if}}{{#if files.linked}}These files did not fit in this email; open them on the ticket page:
{{files.linked}}

{{/if}}Please reply to this email with the details requested. Until then, the ticket is waiting for information.

{{ticket.url}}`,
  },
  status_on_hold: {
    subject: '[#{{ticket.number}}] Waiting on a third party: {{ticket.subject}}',
    body: `Hello{{#if recipient.name}} {{recipient.name}}{{/if}},

Your ticket #{{ticket.number}} depends on a third party{{#if third_party.name}} ({{third_party.name}}){{/if}}. We will let you know as soon as we hear back.

{{#if comment.body}}{{comment.body}}

{{/if}}{{#if files.linked}}These files did not fit in this email; open them on the ticket page:
{{files.linked}}

{{/if}}{{ticket.url}}`,
  },
  ticket_resolved: {
    subject: '[#{{ticket.number}}] Resolved: {{ticket.subject}}',
    body: `Hello{{#if recipient.name}} {{recipient.name}}{{/if}},

We marked your ticket #{{ticket.number}} as resolved.

{{#if comment.body}}{{comment.body}}

{{/if}}{{#if files.linked}}These files did not fit in this email; open them on the ticket page:
{{files.linked}}

{{/if}}Is your problem solved?
Yes, confirm the solution: {{links.confirm}}
No, reopen the ticket: {{links.reopen}}

{{#if auto_close_days}}If we do not hear from you, the ticket will close in {{auto_close_days}} {{#one auto_close_days}}day{{else}}days{{/one}}.{{/if}}`,
  },
  ticket_closed: {
    subject: '[#{{ticket.number}}] Closed: {{ticket.subject}}',
    body: `Hello{{#if recipient.name}} {{recipient.name}}{{/if}},

Your ticket #{{ticket.number}} has been closed. Thank you for contacting us.

{{#if comment.body}}{{comment.body}}

{{/if}}{{#if files.linked}}These files did not fit in this email; open them on the ticket page:
{{files.linked}}

{{/if}}If the problem comes back, reply to this email and we will open a follow-up ticket.`,
  },
  ticket_reopened: {
    subject: '[#{{ticket.number}}] Reopened: {{ticket.subject}}',
    body: `Hello{{#if recipient.name}} {{recipient.name}}{{/if}},

Your ticket #{{ticket.number}} has been reopened and an agent will look at it again.

{{#if comment.body}}{{comment.body}}

{{/if}}{{#if files.linked}}These files did not fit in this email; open them on the ticket page:
{{files.linked}}

{{/if}}{{ticket.url}}`,
  },
  ticket_merged: {
    subject: '[#{{ticket.number}}] Merged with another ticket: {{ticket.subject}}',
    body: `Hello{{#if recipient.name}} {{recipient.name}}{{/if}},

{{#if merged_into.number}}Your ticket #{{ticket.number}} is about the same issue as ticket #{{merged_into.number}}, so we merged them. We will continue in ticket #{{merged_into.number}}; you do not need to do anything else.{{else}}Your ticket #{{ticket.number}} is about the same issue as another one we are already working on, so we merged them; you do not need to do anything else.{{/if}}

{{#if merged_into.url}}{{merged_into.url}}{{/if}}`,
  },
  outage_update: {
    subject: '[#{{ticket.number}}] Update: {{outage.title}}',
    body: `Hello{{#if recipient.name}} {{recipient.name}}{{/if}},

An update on the outage affecting your ticket #{{ticket.number}}: {{outage.title}}.

{{outage.message}}

{{#if files.linked}}These files did not fit in this email; open them on the ticket page:
{{files.linked}}

{{/if}}{{#if outage.status}}Status: {{outage.status}}

{{/if}}{{ticket.url}}`,
  },
  agent_assigned: {
    subject: '[#{{ticket.number}}] Assigned to you: {{ticket.subject}}',
    body: `{{#if assigned_by.name}}{{assigned_by.name}} assigned you{{else}}You were assigned{{/if}} ticket #{{ticket.number}}.

Subject: {{ticket.subject}}
{{#if requester.name}}Requester: {{requester.name}}
{{/if}}{{#if ticket.priority}}Priority: {{ticket.priority}}
{{/if}}
{{#if comment.body}}{{comment.body}}

{{/if}}{{ticket.url}}`,
  },
  agent_mentioned: {
    subject: '[#{{ticket.number}}] {{mentioned_by.name}} mentioned you: {{ticket.subject}}',
    body: `{{mentioned_by.name}} mentioned you on ticket #{{ticket.number}}:

{{comment.body}}

{{ticket.url}}`,
  },
  agent_customer_reply: {
    subject: '[#{{ticket.number}}] New reply from the customer: {{ticket.subject}}',
    body: `{{#if requester.name}}{{requester.name}}{{else}}The customer{{/if}} replied on ticket #{{ticket.number}}:

{{comment.body}}

{{#if files.linked}}These files did not fit in this email; open them on the ticket page:
{{files.linked}}
{{/if}}{{ticket.url}}`,
  },
  ...SLA_DEFAULTS_EN,
}
