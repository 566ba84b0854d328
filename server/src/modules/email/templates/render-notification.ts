import { REPLY_ABOVE_MARKERS } from '../inbound/strip-quoted'
import { DEFAULTS_EN } from './defaults.en'
import { DEFAULTS_ES } from './defaults.es'
import { DIGEST_EVENTS, EVENT_VARIABLES, type NotificationEvent, type NotificationLocale } from './notification-events'
import {
  TemplateError,
  chunksToHtml,
  chunksToText,
  escapeHtml,
  parseTemplate,
  renderChunks,
  templateVariables,
  type TemplateContext,
} from './template-language'

/** An admin's version of one event's email; either part may be left out to keep the default. */
export interface TemplateOverride {
  subject?: string | null
  body?: string | null
}

export interface RenderedEmail {
  subject: string
  text: string
  html: string
}

export interface RenderNotificationInput {
  event: NotificationEvent
  locale: NotificationLocale
  /** Must hold ticket.number, except for digests (DIGEST_EVENTS); see EVENT_VARIABLES for the rest. */
  context: TemplateContext & { ticket?: TemplateContext & { number: number | string } }
  override?: TemplateOverride | null
}

const DEFAULTS = { es: DEFAULTS_ES, en: DEFAULTS_EN }
const DIGEST_FOOTER = {
  es: 'Este es un resumen automático; las respuestas a este correo no llegan a ningún ticket.',
  en: 'This is an automatic summary; replies to this email do not reach any ticket.',
}
const FOOTER = {
  es: (n: string) => `Este correo se refiere al ticket #${n}. Responda a este mensaje para agregar un comentario.`,
  en: (n: string) => `This email is about ticket #${n}. Reply to this message to add a comment.`,
}

/**
 * Renders one notification to subject, text and HTML in the recipient's language, from the
 * admin's override when given, else our default. The subject always carries the "[#number]"
 * tag (added when an override dropped it) so replies thread; the body starts with the
 * "reply above this line" marker that inbound quote stripping cuts at. Values are escaped in
 * the HTML version unless our code marked them with trustedHtml().
 */
export function renderNotification(input: RenderNotificationInput): RenderedEmail {
  const defaults = DEFAULTS[input.locale][input.event]
  if (DIGEST_EVENTS.includes(input.event)) return renderDigest(input, defaults)
  const number = String(input.context.ticket?.number ?? '')
  const subjectSource = input.override?.subject?.trim() || defaults.subject
  const bodySource = input.override?.body?.trim() || defaults.body

  let subject = chunksToText(renderChunks(parseTemplate(subjectSource), input.context)).replace(/\s+/g, ' ').trim()
  if (!subject.includes(`[#${number}]`)) subject = `[#${number}] ${subject}`.trim()

  const chunks = renderChunks(parseTemplate(bodySource), input.context)
  const marker = REPLY_ABOVE_MARKERS[input.locale === 'es' ? 0 : 1]
  const footer = FOOTER[input.locale](number)
  const bodyText = chunksToText(chunks).replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim()
  const text = `${marker}\n\n${bodyText}\n\n-- \n${footer}\n`
  const html = layout(input.locale, marker, chunksToHtml(chunks), footer)
  return { subject, text, html }
}

/**
 * A digest about several tickets (cut-off reminder): no "[#number]" tag (no single ticket to
 * thread under) and no reply marker; the footer says replies reach no ticket.
 */
function renderDigest(input: RenderNotificationInput, defaults: { subject: string; body: string }): RenderedEmail {
  const subjectSource = input.override?.subject?.trim() || defaults.subject
  const bodySource = input.override?.body?.trim() || defaults.body
  const subject = chunksToText(renderChunks(parseTemplate(subjectSource), input.context)).replace(/\s+/g, ' ').trim()
  const chunks = renderChunks(parseTemplate(bodySource), input.context)
  const footer = DIGEST_FOOTER[input.locale]
  const bodyText = chunksToText(chunks).replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim()
  return { subject, text: `${bodyText}\n\n-- \n${footer}\n`, html: layout(input.locale, null, chunksToHtml(chunks), footer) }
}

/** Problems in an admin's override, for the editor and its preview: syntax and unknown variables. */
export function validateTemplateOverride(event: NotificationEvent, override: TemplateOverride): { field: 'subject' | 'body'; code: string; detail: string }[] {
  const allowed = new Set(EVENT_VARIABLES[event].variables)
  const problems: { field: 'subject' | 'body'; code: string; detail: string }[] = []
  for (const field of ['subject', 'body'] as const) {
    const source = override[field]
    if (!source) continue
    try {
      for (const variable of templateVariables(parseTemplate(source))) {
        if (!allowed.has(variable)) problems.push({ field, code: 'unknown_variable', detail: variable })
      }
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error
      problems.push({ field, code: error.code, detail: error.detail })
    }
  }
  return problems
}

function layout(locale: NotificationLocale, marker: string | null, body: string, footer: string): string {
  const lang = locale === 'es' ? 'es-MX' : 'en'
  return `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>
<body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;line-height:1.5;color:#1f2933">
${marker === null ? '' : `<div style="color:#9aa5b1;font-size:12px">${escapeHtml(marker)}</div>\n`}${body}
<hr style="border:none;border-top:1px solid #e4e7eb">
<p style="color:#7b8794;font-size:12px">${escapeHtml(footer)}</p>
</body>
</html>
`
}
