import { sql } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { actorForUser } from '../../../platform/auth/load-actor'
import { inTransaction } from '../../../platform/db/database'
import { AppError } from '../../../platform/http/errors'
import { StrictObject } from '../../../platform/http/schemas'
import { t } from '../../../platform/i18n/messages'
import type { Lang } from '../../../platform/i18n/locale'
import { STATUS_LABELS } from '../../../../../common/src/tickets/tickets.labels'
import { changeStatus } from '../../tickets/commands/change-status'
import { loadTicket } from '../../tickets/queries/load-ticket'
import { escapeHtml } from '../templates/template-language'
import { emailSecrets } from '../email-secrets'
import { verifyActionToken, type ActionClaims, type TicketAction } from './action-token'

const Params = StrictObject({ action: Type.Union([Type.Literal('confirm'), Type.Literal('reopen')]) })
const Query = StrictObject({ token: Type.String({ minLength: 10, maxLength: 1000 }) })
const FormBody = StrictObject({ token: Type.String({ minLength: 10, maxLength: 1000 }) })

/** A small self-contained page (no scripts) in the recipient's language. */
function page(reply: FastifyReply, lang: Lang, status: number, title: string, content: string) {
  return reply.status(status).type('text/html; charset=utf-8').headers({
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  }).send(`<!doctype html><html lang="${lang === 'es' ? 'es-MX' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title></head><body style="font-family:Arial,Helvetica,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1f2933">
<h1 style="font-size:1.3rem">${escapeHtml(title)}</h1>${content}</body></html>`)
}

/**
 * The one-click links of the "resolved" email. GET shows a page with one button (link scanners
 * that prefetch URLs must not close or reopen tickets); its POST does it as the recipient, through
 * changeStatus and the transition table: confirm closes, reopen moves back to open within the
 * reopen window. The signed token is the only credential; it names the ticket, user and action.
 */
export const actionsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  // Scoped to this plugin: the confirmation form posts application/x-www-form-urlencoded.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })

  const claimsFor = async (action: TicketAction, token: string): Promise<{ claims: ActionClaims; lang: Lang; number: number } | null> => {
    const claims = verifyActionToken(token, await emailSecrets(ctx), ctx.now())
    if (!claims || claims.action !== action) return null
    const [actor, ticket] = [await actorForUser(ctx.db, claims.userId), await loadTicket(ctx.db, claims.ticketId)]
    if (!actor || !ticket || ticket.requester_id !== actor.id) return null
    return { claims, lang: actor.locale.startsWith('en') ? 'en' : 'es', number: ticket.number }
  }

  /**
   * What the page says after the action, so it is not a dead end: after a reopen, how to tell us
   * what still fails (a reply to our mail reaches the ticket); for someone who can sign in to the
   * portal, a link to the ticket there (an email-only contact has no password to sign in with).
   */
  const nextSteps = async (claims: ActionClaims, lang: Lang, number: number) => {
    const portal = (await sql<{ ok: boolean }>`select password_hash is not null as ok from users where id = ${claims.userId}`.execute(ctx.db)).rows[0]?.ok
    return [
      claims.action === 'reopen' ? `<p>${escapeHtml(t(lang, 'email.action.reopen_next'))}</p>` : '',
      portal ? `<p><a href="/portal/tickets/${number}">${escapeHtml(t(lang, 'email.action.see_ticket', { number }))}</a></p>` : '',
    ].join('')
  }

  app.get('/api/v1/email/actions/:action', {
    config: { access: 'public' },
    schema: { tags: ['email'], summary: 'Enlace de un clic del correo «resuelto»: página para confirmar o reabrir', params: Params, querystring: Query },
  }, async (request, reply) => {
    const { action } = request.params as { action: TicketAction }
    const { token } = request.query as { token: string }
    const found = await claimsFor(action, token)
    if (!found) return page(reply, request.lang, 400, t(request.lang, 'email.action.invalid'), '')
    const { lang, number } = found
    const form = `<form method="post" action="/api/v1/email/actions/${action}"><input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit" style="font-size:1rem;padding:.6rem 1.2rem">${escapeHtml(t(lang, `email.action.${action}_button`))}</button></form>`
    return page(reply, lang, 200, t(lang, `email.action.${action}_title`, { number }), form)
  })

  app.post('/api/v1/email/actions/:action', {
    config: { access: 'public' },
    schema: { tags: ['email'], summary: 'Confirmar la solución (cierra) o reabrir un ticket resuelto con el token del correo', params: Params, body: FormBody },
  }, async (request, reply) => {
    const { action } = request.params as { action: TicketAction }
    const { token } = request.body as { token: string }
    const found = await claimsFor(action, token)
    if (!found) return page(reply, request.lang, 400, t(request.lang, 'email.action.invalid'), '')
    const { claims, lang, number } = found
    try {
      await inTransaction(ctx.db, async (trx) => {
        const actor = await actorForUser(trx, claims.userId)
        const ticket = await loadTicket(trx, claims.ticketId, { forUpdate: true })
        if (!actor || !ticket) throw new AppError(400, 'invalid_link', 'email.action.invalid')
        if (ticket.status !== 'resolved') throw new AppError(409, 'not_resolved', 'email.action.not_possible', { number, status: STATUS_LABELS[ticket.status][lang] })
        // The recipient acts as themselves: via 'session' marks a person, the history says 'email'.
        await changeStatus(trx, { actor: { ...actor, via: 'session' }, now: ctx.now(), via: 'email' }, ticket.id, { status: action === 'confirm' ? 'closed' : 'open' })
      })
    } catch (err) {
      if (err instanceof AppError) return page(reply, lang, err.statusCode, t(lang, err.messageKey, { number, ...err.params }), '')
      throw err
    }
    return page(reply, lang, 200, t(lang, `email.action.${action}_done`, { number }), await nextSteps(claims, lang, number))
  })
}
