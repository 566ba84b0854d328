import type { SlaNotificationEvent } from './notification-events'

/** Defaults in Spanish (México) of the SLA emails to staff: por vencer, vencido, resumen de corte por agente. */
export const SLA_DEFAULTS_ES: Record<SlaNotificationEvent, { subject: string; body: string }> = {
  sla_warning: {
    subject: '[#{{ticket.number}}] Por vencer ({{sla.target}}): {{ticket.subject}}',
    body: `El ticket #{{ticket.number}} está por vencer su tiempo de {{sla.target}}.

Asunto: {{ticket.subject}}
Prioridad: {{ticket.priority}}
Estatus: {{ticket.status}}
{{#if requester.name}}Solicitante: {{requester.name}}
{{/if}}{{#if assignee.name}}Asignado a: {{assignee.name}}
{{/if}}{{#if sla.due_at}}Vence: {{sla.due_at}}
{{/if}}{{#if sla.policy}}Política de SLA: {{sla.policy}}
{{/if}}
{{ticket.url}}`,
  },
  sla_breached: {
    subject: '[#{{ticket.number}}] Vencido ({{sla.target}}): {{ticket.subject}}',
    body: `El ticket #{{ticket.number}} venció su tiempo de {{sla.target}} y sigue pendiente.

Asunto: {{ticket.subject}}
Prioridad: {{ticket.priority}}
Estatus: {{ticket.status}}
{{#if requester.name}}Solicitante: {{requester.name}}
{{/if}}{{#if assignee.name}}Asignado a: {{assignee.name}}
{{else}}Sin asignar
{{/if}}{{#if sla.due_at}}Vencía: {{sla.due_at}}
{{/if}}{{#if sla.policy}}Política de SLA: {{sla.policy}}
{{/if}}
{{ticket.url}}`,
  },
  sla_cutoff_reminder: {
    subject: 'Corte de las {{cutoff.time}} — tickets abiertos asignados a usted: {{tickets.count}}',
    body: `Hola{{#if recipient.name}} {{recipient.name}}{{/if}}:

Recordatorio del corte «{{cutoff.name}}» de las {{cutoff.time}}: tickets asignados a usted que siguen abiertos ({{tickets.count}}), primero los vencidos y luego del vencimiento más próximo al más lejano (horas de {{cutoff.timezone}}).

{{tickets.list}}

{{#if tickets.url}}Sus tickets: {{tickets.url}}{{/if}}`,
  },
}
