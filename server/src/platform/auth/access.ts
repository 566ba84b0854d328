import type { FastifyInstance, FastifyRequest } from 'fastify'
import { pickLang } from '../i18n/locale'
import { ForbiddenError, UnauthenticatedError, AppError } from '../http/errors'
import { hasPermission, type Actor } from './actor'
import { actorFromSession, actorFromToken } from './load-actor'
import { permissionRule, type Permission } from './permissions'
import { safeEqual } from './secrets'
import type { AppContext } from '../context'

/**
 * What a route requires: anyone, any signed-in user, or a named permission. Every route must
 * declare one (the app refuses to start otherwise); this file is the single gate they pass.
 */
export type Access = 'public' | 'authenticated' | Permission

export const SESSION_COOKIE = 'atiende_sid'
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

declare module 'fastify' {
  interface FastifyContextConfig { access?: Access }
  interface FastifyRequest { actor: Actor | null; lang: 'es' | 'en' }
}

/** A route as registered, with the access it declared (read by the route × role matrix test). */
export interface DeclaredRoute { method: string; url: string; access: Access | undefined }
const declared = new WeakMap<FastifyInstance, DeclaredRoute[]>()

/** Every route registered on an app built with installAccessControl, in registration order. */
export function declaredRoutes(app: FastifyInstance): DeclaredRoute[] {
  return [...(declared.get(app) ?? [])]
}

/** The actor of a request that passed an access check other than 'public'. */
export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new UnauthenticatedError()
  return request.actor
}

export function installAccessControl(app: FastifyInstance, ctx: AppContext) {
  app.decorateRequest('actor', null)
  app.decorateRequest('lang', 'es')

  const routes: DeclaredRoute[] = []
  declared.set(app, routes)
  app.addHook('onRoute', (route) => {
    const access = (route.config as { access?: Access } | undefined)?.access
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, access })
    const isDocs = route.url.startsWith('/api/docs')
    if (!access && !isDocs && route.url !== '*' && !route.url.startsWith('/assets')) {
      throw new Error(`route ${route.method} ${route.url} declares no access`)
    }
    if (access && access !== 'public' && access !== 'authenticated') permissionRule(access) // throws if unknown
  })

  app.addHook('onRequest', async (request) => {
    request.lang = pickLang(request.headers['accept-language'])
    const access = (request.routeOptions.config as { access?: Access } | undefined)?.access ?? 'public'
    request.actor = await authenticate(request, ctx)
    if (request.actor && !request.headers['accept-language']) request.lang = pickLang(request.actor.locale)
    if (access === 'public') return
    const actor = request.actor
    if (!actor) throw new UnauthenticatedError()
    if (actor.via === 'session' && UNSAFE.has(request.method)) {
      const header = request.headers['x-csrf-token']
      if (typeof header !== 'string' || !actor.csrfToken || !safeEqual(header, actor.csrfToken)) {
        throw new AppError(403, 'csrf_failed', 'error.csrf')
      }
    }
    if (access !== 'authenticated' && !hasPermission(actor, access)) {
      if (actor.via === 'token' && permissionRule(access).roles.includes(actor.role)) {
        throw new ForbiddenError('auth.token_scope', { scope: permissionRule(access).scope })
      }
      throw new ForbiddenError()
    }
  })
}

async function authenticate(request: FastifyRequest, ctx: AppContext): Promise<Actor | null> {
  const auth = request.headers.authorization
  if (auth?.startsWith('Bearer ')) {
    const actor = await actorFromToken(ctx.db, auth.slice(7).trim())
    if (!actor) throw new UnauthenticatedError()
    return actor
  }
  const cookie = request.cookies?.[SESSION_COOKIE]
  if (cookie) return actorFromSession(ctx.db, cookie, ctx.config.sessionHours)
  return null
}
