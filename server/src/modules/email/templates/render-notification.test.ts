import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { renderNotification, validateTemplateOverride } from './render-notification'
import { DIGEST_EVENTS, NOTIFICATION_EVENTS, EVENT_VARIABLES } from './notification-events'
import { DEFAULTS_EN } from './defaults.en'
import { DEFAULTS_ES } from './defaults.es'
import { trustedHtml } from './template-language'
import { stripQuotedText } from '../inbound/strip-quoted'
import { findTicketNumbersInSubject } from '../inbound/threading'

const context = {
  ticket: { number: 11768, subject: 'No puedo facturar', url: 'https://ayuda.ejemplo.mx/t/11768', status: 'Resuelto' },
  recipient: { name: 'Juan Pérez' },
  agent: { name: 'Laura Gómez' },
  helpdesk: { name: 'Mesa de Ayuda' },
  comment: { body: trustedHtml('<p>Ya quedó <b>timbrada</b>.</p>', 'Ya quedó timbrada.') },
  links: { confirm: 'https://ayuda.ejemplo.mx/c/abc?ok=1', reopen: 'https://ayuda.ejemplo.mx/r/abc' },
  auto_close_days: 3,
  outage: { title: 'Falla en facturación', message: 'El SAT reporta intermitencia.', status: 'En proceso' },
  assigned_by: { name: 'Supervisor' },
  mentioned_by: { name: 'Pedro' },
  requester: { name: 'Juan Pérez' },
  merged_into: { number: 11800, url: 'https://ayuda.ejemplo.mx/portal/tickets/11800' },
}

describe('renderNotification', () => {
  it('renders every event in es-MX and English with the ticket tag in the subject', () => {
    for (const event of NOTIFICATION_EVENTS.filter((e) => !DIGEST_EVENTS.includes(e))) {
      for (const locale of ['es', 'en'] as const) {
        const email = renderNotification({ event, locale, context })
        assert.deepEqual(findTicketNumbersInSubject(email.subject), [11768], `${event}/${locale}: ${email.subject}`)
        assert.match(email.text, /#11768/, `${event}/${locale}`)
        assert.doesNotMatch(email.text, /\{\{|\}\}/, `${event}/${locale}`)
        assert.match(email.html, new RegExp(`<html lang="${locale === 'es' ? 'es-MX' : 'en'}">`))
      }
    }
  })

  it('only uses variables it documents, in both languages', () => {
    for (const event of NOTIFICATION_EVENTS) {
      assert.deepEqual(validateTemplateOverride(event, DEFAULTS_ES[event]), [], `es ${event}`)
      assert.deepEqual(validateTemplateOverride(event, DEFAULTS_EN[event]), [], `en ${event}`)
      if (!DIGEST_EVENTS.includes(event)) assert.ok(EVENT_VARIABLES[event].variables.includes('ticket.number'))
    }
  })

  it('renders a digest (cut-off reminder) without a ticket tag or reply marker, its list as a block', () => {
    const list = trustedHtml('<table><tr><td>#7</td></tr></table>', '- #7 Portabilidad — Nuevo — vence 4 mar, 13:30')
    for (const locale of ['es', 'en'] as const) {
      const email = renderNotification({ event: 'sla_cutoff_reminder', locale, context: { cutoff: { name: 'Mediodía', time: '13:00', timezone: 'America/Mexico_City' }, tickets: { count: 1, list } } })
      assert.deepEqual(findTicketNumbersInSubject(email.subject), [], email.subject)
      assert.match(email.subject, /13:00.*tickets.*: 1$/)
      assert.doesNotMatch(email.text, /##-/)
      assert.match(email.text, /- #7 Portabilidad — Nuevo — vence 4 mar, 13:30/)
      assert.match(email.html, /<div><table><tr><td>#7<\/td><\/tr><\/table><\/div>/)
    }
  })

  it('writes the resolved email with one-click confirm and reopen links', () => {
    const email = renderNotification({ event: 'ticket_resolved', locale: 'es', context })
    assert.equal(email.subject, '[#11768] Resuelto: No puedo facturar')
    assert.match(email.text, /Sí, confirmar la solución: https:\/\/ayuda\.ejemplo\.mx\/c\/abc\?ok=1\nNo, reabrir el ticket: https:\/\/ayuda\.ejemplo\.mx\/r\/abc/)
    assert.match(email.text, /se cerrará en 3 días/)
    assert.match(email.html, /<a href="https:\/\/ayuda\.ejemplo\.mx\/c\/abc\?ok=1">/)
    assert.match(email.html, /<div><p>Ya quedó <b>timbrada<\/b>.<\/p><\/div>/)
  })

  it('asks for the missing information when pending, and leaves out empty sections', () => {
    const withQuestion = renderNotification({ event: 'status_pending', locale: 'es', context: { ...context, comment: { body: '¿Cuál es su RFC?' } } })
    assert.match(withQuestion.text, /necesitamos información adicional\.\n\n¿Cuál es su RFC\?\n\nPor favor responda/)
    const bare = renderNotification({ event: 'status_pending', locale: 'en', context: { ticket: { number: 5 } } })
    assert.match(bare.text, /^##- Please type your reply above this line -##\n\nHello,\n\nTo continue with your ticket #5/)
    assert.doesNotMatch(bare.text, /\n{3,}/)
  })

  it('starts with the reply marker, so a quoted reply to it is cut when it comes back', () => {
    const email = renderNotification({ event: 'agent_reply', locale: 'es', context })
    const reply = `Gracias, ya funciona.\n\n${email.text.split('\n').map((l) => `> ${l}`).join('\n')}`
    assert.equal(stripQuotedText(reply).visible, 'Gracias, ya funciona.')
    const unquoted = `Gracias.\n\n${email.text}`
    assert.equal(stripQuotedText(unquoted).visible, 'Gracias.')
  })

  it('uses an admin override, escaping its values in HTML, and keeps the ticket tag', () => {
    const email = renderNotification({
      event: 'ticket_created',
      locale: 'es',
      context: { ...context, ticket: { ...context.ticket, subject: '<img src=x onerror=alert(1)>' } },
      override: { subject: 'Folio {{ticket.number}} recibido', body: 'Recibimos: {{ticket.subject}}' },
    })
    assert.equal(email.subject, '[#11768] Folio 11768 recibido')
    assert.match(email.html, /<p>Recibimos: &lt;img src=x onerror=alert\(1\)&gt;<\/p>/)
    assert.match(email.text, /Recibimos: <img src=x onerror=alert\(1\)>/)
    const keepsDefaultBody = renderNotification({ event: 'ticket_created', locale: 'en', context, override: { subject: 'Got it [#{{ticket.number}}]' } })
    assert.equal(keepsDefaultBody.subject, 'Got it [#11768]')
    assert.match(keepsDefaultBody.text, /We received your request/)
  })

  it('keeps header injection out of subjects', () => {
    const email = renderNotification({ event: 'agent_reply', locale: 'en', context: { ticket: { number: 1, subject: 'a\r\nBcc: x@evil.example' } } })
    assert.equal(email.subject, '[#1] a Bcc: x@evil.example')
  })
})

describe('validateTemplateOverride', () => {
  it('reports unknown variables and syntax errors per field', () => {
    assert.deepEqual(validateTemplateOverride('ticket_closed', { subject: '{{links.confirm}}', body: '{{#if ticket.url}}x' }), [
      { field: 'subject', code: 'unknown_variable', detail: 'links.confirm' },
      { field: 'body', code: 'unclosed_if', detail: 'ticket.url' },
    ])
  })
})
