import { sql } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction } from '../../../platform/db/database'
import { NotFoundError, ValidationError } from '../../../platform/http/errors'
import { StrictObject, errorResponses } from '../../../platform/http/schemas'
import { recordAudit } from '../../../platform/audit/audit'
import { DEFAULTS_EN } from './defaults.en'
import { DEFAULTS_ES } from './defaults.es'
import { EVENT_VARIABLES, NOTIFICATION_EVENTS, type NotificationEvent, type NotificationLocale } from './notification-events'
import { renderNotification, validateTemplateOverride, type TemplateOverride } from './render-notification'
import { trustedHtml, type TemplateContext } from './template-language'
import { loadTemplateOverride } from '../outbound/template-overrides'
import { fileList } from '../outbound/reply-files'
import { digestList } from '../outbound/cutoff-digest'

const Lang = Type.Union([Type.Literal('es'), Type.Literal('en')])
const Event = Type.String({ minLength: 1, maxLength: 60 })
const Params = StrictObject({ event: Event, lang: Lang })
const TemplateText = Type.Union([Type.String({ maxLength: 20000 }), Type.Null()])
const PutBody = StrictObject({ subject: TemplateText, body: TemplateText }, { description: 'null (o vacío) en ambos restaura la plantilla predeterminada.' })
const PreviewBody = StrictObject({ event: Event, lang: Lang, subject: Type.Optional(TemplateText), body: Type.Optional(TemplateText) })

const Problem = Type.Object({ field: Type.String(), code: Type.String(), detail: Type.String() })
const TemplateOut = Type.Object({
  event: Type.String(),
  lang: Type.String(),
  audience: Type.String(),
  subject: Type.String(),
  body: Type.String(),
  defaultSubject: Type.String(),
  defaultBody: Type.String(),
  overridden: Type.Boolean(),
  variables: Type.Array(Type.String()),
})
const ListOut = Type.Object({
  items: Type.Array(Type.Object({ event: Type.String(), audience: Type.String(), overridden: Type.Object({ es: Type.Boolean(), en: Type.Boolean() }) })),
})
const PreviewOut = Type.Object({ subject: Type.String(), text: Type.String(), html: Type.String(), problems: Type.Array(Problem) })

const DEFAULTS = { es: DEFAULTS_ES, en: DEFAULTS_EN }

function eventOf(value: string): NotificationEvent {
  if (!(NOTIFICATION_EVENTS as readonly string[]).includes(value)) throw new NotFoundError('email.template_unknown_event', { event: value })
  return value as NotificationEvent
}

/** Made-up values for the preview, in the preview's language. */
function sampleContext(lang: NotificationLocale): TemplateContext & { ticket: TemplateContext & { number: number } } {
  const es = lang === 'es'
  return {
    ticket: { number: 11768, subject: es ? 'No puedo timbrar facturas' : 'I cannot issue invoices', url: 'https://ayuda.ejemplo.mx/portal/tickets/11768', status: es ? 'Resuelto' : 'Resolved', priority: es ? 'Alta' : 'High' },
    recipient: { name: 'Juan Pérez' },
    helpdesk: { name: es ? 'Mesa de ayuda' : 'Help desk' },
    agent: { name: 'Laura Gómez' },
    comment: { body: trustedHtml(es ? '<p>Ya quedó corregido el certificado.</p>' : '<p>The certificate is fixed now.</p>', es ? 'Ya quedó corregido el certificado.' : 'The certificate is fixed now.') },
    links: { confirm: 'https://ayuda.ejemplo.mx/api/v1/email/actions/confirm?token=…', reopen: 'https://ayuda.ejemplo.mx/api/v1/email/actions/reopen?token=…' },
    auto_close_days: 7,
    third_party: { name: 'Telcel' },
    outage: { title: es ? 'Falla en facturación' : 'Invoicing outage', message: es ? 'El proveedor reporta intermitencia.' : 'The provider reports intermittent failures.', status: es ? 'En proceso' : 'Open' },
    merged_into: { number: 11770, url: 'https://ayuda.ejemplo.mx/portal/tickets/11770' },
    assigned_by: { name: 'Supervisor' },
    mentioned_by: { name: 'Pedro Ruiz' },
    requester: { name: 'Juan Pérez' },
    assignee: { name: 'Laura Gómez' },
    sla: { target: es ? 'primera respuesta' : 'first response', due_at: es ? '2 mar 2026, 10:00 (America/Mexico_City)' : 'Mar 2, 2026, 10:00 AM (America/Mexico_City)', policy: es ? 'Soporte general' : 'General support' },
    cutoff: { name: es ? 'Cortes de facturación' : 'Invoicing cut-offs', time: '13:00', timezone: 'America/Mexico_City' },
    tickets: {
      count: 3, url: 'https://ayuda.ejemplo.mx/agent/tickets',
      list: digestList([
        { number: 11768, subject: es ? 'No puedo timbrar facturas' : 'I cannot issue invoices', status: 'open', dueAt: new Date('2026-03-02T18:40:00Z'), url: 'https://ayuda.ejemplo.mx/agent/tickets/11768' },
        { number: 11771, subject: es ? 'Portabilidad rechazada' : 'Number port rejected', status: 'new', dueAt: new Date('2026-03-02T20:00:00Z'), url: 'https://ayuda.ejemplo.mx/agent/tickets/11771' },
        { number: 11702, subject: es ? 'Cambio de plan' : 'Plan change', status: 'on_hold', dueAt: null, url: 'https://ayuda.ejemplo.mx/agent/tickets/11702' },
      ], 'America/Mexico_City', lang, new Date('2026-03-02T19:00:00Z')),
    },
    files: {
      linked: fileList([{ id: '', filename: es ? 'bitacora-servidor.zip' : 'server-log.zip', size: 18_400_000, contentType: 'application/zip' }], 'https://ayuda.ejemplo.mx/portal/tickets/11768'),
      received: fileList([{ id: '', filename: es ? 'captura-error.png' : 'error-screenshot.png', size: 245_000, contentType: 'image/png' }], null),
    },
  }
}

function assertValid(event: NotificationEvent, override: TemplateOverride) {
  const problems = validateTemplateOverride(event, override)
  if (problems.length) {
    const summary = problems.map((p) => `${p.field}: ${p.code} (${p.detail})`).join('; ')
    throw new ValidationError('email.template_invalid', { summary }, problems.map((p) => ({ field: p.field, rule: p.code, value: p.detail })), 'template_invalid')
  }
}

/** Admin API for notification templates: list, read, override (validated) and preview. */
export const templatesRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  const read = async (event: NotificationEvent, lang: NotificationLocale) => {
    const override = await loadTemplateOverride(ctx.db, event, lang)
    const defaults = DEFAULTS[lang][event]
    return {
      event, lang, audience: EVENT_VARIABLES[event].audience,
      subject: override?.subject || defaults.subject, body: override?.body || defaults.body,
      defaultSubject: defaults.subject, defaultBody: defaults.body, overridden: !!override, variables: EVENT_VARIABLES[event].variables,
    }
  }
  const paramsOf = (request: FastifyRequest) => {
    const p = request.params as { event: string; lang: NotificationLocale }
    return { event: eventOf(p.event), lang: p.lang }
  }

  app.get('/api/v1/email-templates', {
    config: { access: 'email.manage' },
    schema: { tags: ['email'], summary: 'Plantillas de notificación por evento, indicando cuáles personalizó un administrador', response: { 200: ListOut, ...errorResponses } },
  }, async () => {
    const rows = (await sql<{ event: string; locale: string }>`select event, locale from email_template_overrides`.execute(ctx.db)).rows
    return {
      items: NOTIFICATION_EVENTS.map((event) => ({
        event, audience: EVENT_VARIABLES[event].audience,
        overridden: { es: rows.some((r) => r.event === event && r.locale === 'es'), en: rows.some((r) => r.event === event && r.locale === 'en') },
      })),
    }
  })

  app.get('/api/v1/email-templates/:event/:lang', {
    config: { access: 'email.manage' },
    schema: { tags: ['email'], summary: 'Ver una plantilla (la personalizada o la predeterminada) y sus variables', params: Params, response: { 200: TemplateOut, ...errorResponses } },
  }, async (request) => {
    const { event, lang } = paramsOf(request)
    return read(event, lang)
  })

  app.put('/api/v1/email-templates/:event/:lang', {
    config: { access: 'email.manage' },
    schema: { tags: ['email'], summary: 'Personalizar una plantilla (se valida: sintaxis y variables permitidas)', params: Params, body: PutBody, response: { 200: TemplateOut, ...errorResponses } },
  }, async (request) => {
    const { event, lang } = paramsOf(request)
    const body = request.body as { subject: string | null; body: string | null }
    const override = { subject: body.subject?.trim() || null, body: body.body?.trim() || null }
    assertValid(event, override)
    const actor = requireActor(request)
    await inTransaction(ctx.db, async (trx) => {
      if (!override.subject && !override.body) {
        await sql`delete from email_template_overrides where event = ${event} and locale = ${lang}`.execute(trx)
      } else {
        await sql`insert into email_template_overrides (event, locale, subject, body, updated_by, updated_at)
          values (${event}, ${lang}, ${override.subject}, ${override.body}, ${actor.id}, ${ctx.now()})
          on conflict (event, locale) do update set subject = excluded.subject, body = excluded.body, updated_by = excluded.updated_by,
            updated_at = excluded.updated_at`.execute(trx)
      }
      await recordAudit(trx, { actorId: actor.id, action: 'email.template_changed', targetType: 'email_template', targetId: `${event}/${lang}`, ip: request.ip,
        details: { reset: !override.subject && !override.body } })
    })
    return read(event, lang)
  })

  app.post('/api/v1/email-templates/preview', {
    config: { access: 'email.manage' },
    schema: {
      tags: ['email'], summary: 'Vista previa de una plantilla con datos de ejemplo (sin guardar); lista los errores en lugar de fallar',
      body: PreviewBody, response: { 200: PreviewOut, ...errorResponses },
    },
  }, async (request) => {
    const body = request.body as { event: string; lang: NotificationLocale; subject?: string | null; body?: string | null }
    const event = eventOf(body.event)
    const stored = await loadTemplateOverride(ctx.db, event, body.lang)
    const override: TemplateOverride = {
      subject: body.subject !== undefined ? body.subject : stored?.subject ?? null,
      body: body.body !== undefined ? body.body : stored?.body ?? null,
    }
    const problems = validateTemplateOverride(event, override)
    // With errors, preview the parts that are valid and the defaults for the others.
    const usable: TemplateOverride = {
      subject: problems.some((p) => p.field === 'subject') ? null : override.subject,
      body: problems.some((p) => p.field === 'body') ? null : override.body,
    }
    const rendered = renderNotification({ event, locale: body.lang, context: sampleContext(body.lang), override: usable })
    return { ...rendered, problems }
  })
}
