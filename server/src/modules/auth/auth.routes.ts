import { sql } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import './auth.messages'
import { SESSION_COOKIE, requireActor } from '../../platform/auth/access'
import { actorForUser } from '../../platform/auth/load-actor'
import { hashPassword, sha256, verifyPassword } from '../../platform/auth/secrets'
import { inTransaction } from '../../platform/db/database'
import { AppError, ConflictError, ForbiddenError, ValidationError } from '../../platform/http/errors'
import { Ok, errorResponses } from '../../platform/http/schemas'
import { recordAudit } from '../../platform/audit/audit'
import { login } from './commands/login'
import { MIN_PASSWORD_LENGTH, consumeLinkToken, spendPasswordLinks } from './commands/password-links'
import { requestPasswordReset } from './commands/request-password-reset'
import { ChangePasswordBody, LoginBody, LoginResponse, Me, ResetRequestBody, SessionResponse, SetPasswordBody, SetupBody, UpdateMeBody } from './auth.schemas'
import { presentMe } from './me.presenter'
import { notifyAccessChanged } from '../../platform/realtime/realtime'

/** Sign in and out, the session, profile and passwords. */
export const authRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  const setCookie = (reply: FastifyReply, value: string, expires: Date) =>
    reply.setCookie(SESSION_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure: ctx.config.cookieSecure, expires })

  app.post('/api/v1/auth/login', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Iniciar sesión', body: LoginBody, response: { 200: LoginResponse, ...errorResponses } },
  }, async (request, reply) => {
    const { email, password } = request.body as { email: string; password: string }
    const result = await login(ctx.db, { email, password, ip: request.ip, userAgent: request.headers['user-agent'] ?? null, sessionHours: ctx.config.sessionHours, now: ctx.now() })
    setCookie(reply, result.cookieValue, result.expiresAt)
    const actor = (await actorForUser(ctx.db, result.userId))!
    return { user: presentMe(actor), csrfToken: result.csrfToken, expiresAt: result.expiresAt.toISOString() }
  })

  app.post('/api/v1/auth/logout', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: 'Cerrar esta sesión', response: { 200: Ok, ...errorResponses } },
  }, async (request, reply) => {
    const actor = requireActor(request)
    if (actor.sessionId) {
      await inTransaction(ctx.db, async (trx) => {
        await sql`delete from sessions where id = ${actor.sessionId}`.execute(trx)
        await notifyAccessChanged(trx)
      })
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return { ok: true }
  })

  app.post('/api/v1/auth/logout-all', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: 'Cerrar todas mis sesiones', response: { 200: Ok, ...errorResponses } },
  }, async (request, reply) => {
    const actor = requireActor(request)
    await inTransaction(ctx.db, async (trx) => {
      await sql`delete from sessions where user_id = ${actor.id}`.execute(trx)
      await notifyAccessChanged(trx)
      await recordAudit(trx, { actorId: actor.id, action: 'auth.logout_all', ip: request.ip })
    })
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return { ok: true }
  })

  app.get('/api/v1/auth/session', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: 'Sesión actual y su token CSRF', response: { 200: SessionResponse, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    return { user: presentMe(actor), csrfToken: actor.csrfToken ?? null }
  })

  app.get('/api/v1/me', {
    config: { access: 'profile.read' },
    schema: { tags: ['auth'], summary: 'Mi perfil', response: { 200: Me, ...errorResponses } },
  }, async (request) => presentMe(requireActor(request)))

  app.patch('/api/v1/me', {
    config: { access: 'profile.update' },
    schema: { tags: ['auth'], summary: 'Actualizar mi perfil', body: UpdateMeBody, response: { 200: Me, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const body = request.body as { name?: string; locale?: string; timezone?: string }
    if (body.timezone && !Intl.supportedValuesOf('timeZone').includes(body.timezone) && body.timezone !== 'UTC') {
      throw new ValidationError('error.validation', { summary: 'timezone' }, [{ field: 'timezone', rule: 'timezone' }])
    }
    await sql`update users set name = coalesce(${body.name ?? null}, name), locale = coalesce(${body.locale ?? null}, locale),
      timezone = coalesce(${body.timezone ?? null}, timezone), updated_at = ${ctx.now()} where id = ${actor.id}`.execute(ctx.db)
    return presentMe((await actorForUser(ctx.db, actor.id))!)
  })

  app.post('/api/v1/auth/password', {
    config: { access: 'authenticated' },
    schema: { tags: ['auth'], summary: 'Cambiar mi contraseña (cierra mis otras sesiones y anula mis enlaces sin usar)', body: ChangePasswordBody, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    // Only a person at a session changes a password; an API token never can.
    if (actor.via !== 'session') throw new ForbiddenError()
    const { currentPassword, newPassword } = request.body as { currentPassword: string; newPassword: string }
    const row = (await sql<{ password_hash: string | null }>`select password_hash from users where id = ${actor.id}`.execute(ctx.db)).rows[0]
    if (!(await verifyPassword(row?.password_hash ?? null, currentPassword))) throw new AppError(400, 'wrong_password', 'auth.wrong_password')
    if (newPassword.length < MIN_PASSWORD_LENGTH) throw new ValidationError('auth.weak_password')
    const hash = await hashPassword(newPassword)
    await inTransaction(ctx.db, async (trx) => {
      await sql`update users set password_hash = ${hash}, password_changed_at = ${ctx.now()} where id = ${actor.id}`.execute(trx)
      await sql`delete from sessions where user_id = ${actor.id} and id <> ${actor.sessionId ?? ''}`.execute(trx)
      await notifyAccessChanged(trx)
      const linksSpent = await spendPasswordLinks(trx, actor.id, ctx.now())
      await recordAudit(trx, { actorId: actor.id, action: 'auth.password_changed', ip: request.ip, details: { linksSpent } })
    })
    return { ok: true }
  })

  app.post('/api/v1/auth/password-reset', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Pedir un enlace para restablecer la contraseña (responde 202 siempre; limitado por dirección de correo y por IP)', body: ResetRequestBody, response: { 202: Ok, ...errorResponses } },
  }, async (request, reply) => {
    const { email } = request.body as { email: string }
    await requestPasswordReset(ctx.db, { email, ip: request.ip, publicUrl: ctx.config.publicUrl, now: ctx.now() })
    // Same answer whether or not the address exists: no account enumeration.
    return reply.status(202).send({ ok: true })
  })

  app.post('/api/v1/auth/set-password', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Definir contraseña con un enlace de restablecimiento o invitación', body: SetPasswordBody, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    const { token, password } = request.body as { token: string; password: string }
    await consumeLinkToken(ctx.db, token, password, ctx.now())
    return { ok: true }
  })

  app.post('/api/v1/auth/setup', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Crear el primer administrador con el enlace de configuración', body: SetupBody, response: { 201: Type.Object({ id: Type.String() }), ...errorResponses } },
  }, async (request, reply) => {
    const body = request.body as { token: string; email: string; name: string; password: string }
    if (body.password.length < MIN_PASSWORD_LENGTH) throw new ValidationError('auth.weak_password')
    const hash = await hashPassword(body.password)
    const id = await inTransaction(ctx.db, async (trx) => {
      const admins = await sql<{ n: number }>`select count(*)::int as n from users where role = 'admin' and active`.execute(trx)
      if (admins.rows[0].n > 0) throw new ConflictError('setup_done', 'auth.setup_done')
      const used = await sql`update user_tokens set used_at = ${ctx.now()} where token_hash = ${sha256(body.token)} and purpose = 'setup' and used_at is null and expires_at > ${ctx.now()} returning token_hash`.execute(trx)
      if (used.rows.length === 0) throw new ValidationError('auth.invalid_token', {}, null, 'invalid_token')
      const row = (await sql<{ id: string }>`insert into users (email, name, role, password_hash) values (${body.email.toLowerCase()}, ${body.name}, 'admin', ${hash}) returning id`.execute(trx)).rows[0]
      await recordAudit(trx, { actorId: row.id, action: 'auth.setup_admin_created', targetType: 'user', targetId: row.id, ip: request.ip })
      return row.id
    })
    return reply.status(201).send({ id })
  })
}
