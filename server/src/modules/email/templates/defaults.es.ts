import type { NotificationEvent } from './notification-events'
import { SLA_DEFAULTS_ES } from './sla-defaults.es'

/** es-MX default subject and body per event (the admin can override both). */
export const DEFAULTS_ES: Record<NotificationEvent, { subject: string; body: string }> = {
  ticket_created: {
    subject: '[#{{ticket.number}}] Recibimos su solicitud: {{ticket.subject}}',
    body: `Hola{{#if recipient.name}} {{recipient.name}}{{/if}}:

Recibimos su solicitud y la registramos con el número de ticket #{{ticket.number}}. Un agente la atenderá a la brevedad.

Asunto: {{ticket.subject}}

{{#if files.received}}Archivos recibidos con su solicitud:
{{files.received}}

{{/if}}Puede consultar el avance en {{ticket.url}}
Para agregar información, responda a este correo sin cambiar el asunto.`,
  },
  agent_reply: {
    subject: '[#{{ticket.number}}] {{ticket.subject}}',
    body: `{{comment.body}}

{{#if files.linked}}Estos archivos no cupieron en este correo; puede abrirlos en la página del ticket:
{{files.linked}}

{{/if}}{{agent.name}}
{{helpdesk.name}}

Ticket #{{ticket.number}}: {{ticket.url}}`,
  },
  status_pending: {
    subject: '[#{{ticket.number}}] Necesitamos información: {{ticket.subject}}',
    body: `Hola{{#if recipient.name}} {{recipient.name}}{{/if}}:

Para continuar con su ticket #{{ticket.number}} necesitamos información adicional.

{{#if comment.body}}{{comment.body}}

{{/if}}{{#if files.linked}}Estos archivos no cupieron en este correo; puede abrirlos en la página del ticket:
{{files.linked}}

{{/if}}Por favor responda a este correo con los datos solicitados. Mientras tanto, el ticket queda en espera de información.

{{ticket.url}}`,
  },
  status_on_hold: {
    subject: '[#{{ticket.number}}] En espera de un tercero: {{ticket.subject}}',
    body: `Hola{{#if recipient.name}} {{recipient.name}}{{/if}}:

Su ticket #{{ticket.number}} depende de un tercero{{#if third_party.name}} ({{third_party.name}}){{/if}}. Le avisaremos en cuanto tengamos novedades.

{{#if comment.body}}{{comment.body}}

{{/if}}{{#if files.linked}}Estos archivos no cupieron en este correo; puede abrirlos en la página del ticket:
{{files.linked}}

{{/if}}{{ticket.url}}`,
  },
  ticket_resolved: {
    subject: '[#{{ticket.number}}] Resuelto: {{ticket.subject}}',
    body: `Hola{{#if recipient.name}} {{recipient.name}}{{/if}}:

Marcamos su ticket #{{ticket.number}} como resuelto.

{{#if comment.body}}{{comment.body}}

{{/if}}{{#if files.linked}}Estos archivos no cupieron en este correo; puede abrirlos en la página del ticket:
{{files.linked}}

{{/if}}¿Quedó resuelto su problema?
Sí, confirmar la solución: {{links.confirm}}
No, reabrir el ticket: {{links.reopen}}

{{#if auto_close_days}}Si no recibimos respuesta, el ticket se cerrará en {{auto_close_days}} {{#one auto_close_days}}día{{else}}días{{/one}}.{{/if}}`,
  },
  ticket_closed: {
    subject: '[#{{ticket.number}}] Cerrado: {{ticket.subject}}',
    body: `Hola{{#if recipient.name}} {{recipient.name}}{{/if}}:

Su ticket #{{ticket.number}} fue cerrado. Gracias por contactarnos.

{{#if comment.body}}{{comment.body}}

{{/if}}{{#if files.linked}}Estos archivos no cupieron en este correo; puede abrirlos en la página del ticket:
{{files.linked}}

{{/if}}Si el problema vuelve a presentarse, responda a este correo y abriremos un ticket de seguimiento.`,
  },
  ticket_reopened: {
    subject: '[#{{ticket.number}}] Reabierto: {{ticket.subject}}',
    body: `Hola{{#if recipient.name}} {{recipient.name}}{{/if}}:

Su ticket #{{ticket.number}} fue reabierto y un agente lo revisará nuevamente.

{{#if comment.body}}{{comment.body}}

{{/if}}{{#if files.linked}}Estos archivos no cupieron en este correo; puede abrirlos en la página del ticket:
{{files.linked}}

{{/if}}{{ticket.url}}`,
  },
  ticket_merged: {
    subject: '[#{{ticket.number}}] Unificado con otro ticket: {{ticket.subject}}',
    body: `Hola{{#if recipient.name}} {{recipient.name}}{{/if}}:

{{#if merged_into.number}}Su ticket #{{ticket.number}} trata el mismo asunto que el ticket #{{merged_into.number}}, por lo que los unificamos. La atención continúa en el ticket #{{merged_into.number}}; no necesita hacer nada más.{{else}}Su ticket #{{ticket.number}} trata el mismo asunto que otro que ya estamos atendiendo, por lo que los unificamos; no necesita hacer nada más.{{/if}}

{{#if merged_into.url}}{{merged_into.url}}{{/if}}`,
  },
  outage_update: {
    subject: '[#{{ticket.number}}] Actualización: {{outage.title}}',
    body: `Hola{{#if recipient.name}} {{recipient.name}}{{/if}}:

Le informamos sobre la falla que afecta a su ticket #{{ticket.number}}: {{outage.title}}.

{{outage.message}}

{{#if files.linked}}Estos archivos no cupieron en este correo; puede abrirlos en la página del ticket:
{{files.linked}}

{{/if}}{{#if outage.status}}Estatus: {{outage.status}}

{{/if}}{{ticket.url}}`,
  },
  agent_assigned: {
    subject: '[#{{ticket.number}}] Se le asignó: {{ticket.subject}}',
    body: `{{#if assigned_by.name}}{{assigned_by.name}} le asignó{{else}}Se le asignó{{/if}} el ticket #{{ticket.number}}.

Asunto: {{ticket.subject}}
{{#if requester.name}}Solicitante: {{requester.name}}
{{/if}}{{#if ticket.priority}}Prioridad: {{ticket.priority}}
{{/if}}
{{#if comment.body}}{{comment.body}}

{{/if}}{{ticket.url}}`,
  },
  agent_mentioned: {
    subject: '[#{{ticket.number}}] {{mentioned_by.name}} lo mencionó: {{ticket.subject}}',
    body: `{{mentioned_by.name}} lo mencionó en el ticket #{{ticket.number}}:

{{comment.body}}

{{ticket.url}}`,
  },
  agent_customer_reply: {
    subject: '[#{{ticket.number}}] Nueva respuesta del cliente: {{ticket.subject}}',
    body: `{{#if requester.name}}{{requester.name}}{{else}}El cliente{{/if}} respondió en el ticket #{{ticket.number}}:

{{comment.body}}

{{#if files.linked}}Estos archivos no cupieron en este correo; puede abrirlos en la página del ticket:
{{files.linked}}
{{/if}}{{ticket.url}}`,
  },
  ...SLA_DEFAULTS_ES,
}
