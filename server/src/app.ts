import crypto from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import cookie from '@fastify/cookie'
import multipart from '@fastify/multipart'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { AppContext } from './platform/context'
import { installAccessControl } from './platform/auth/access'
import { installErrorHandling } from './platform/http/error-handler'
import { validatorCompiler } from './platform/http/validation'
import { serializerCompiler } from './platform/http/serialization'
import { installIdempotency } from './platform/http/idempotency'
import { installWebApp } from './platform/http/web-app'
import { modules } from './modules'

export type App = FastifyInstance

/** Builds the HTTP app on a context. Tests inject into it; main.ts listens. */
export async function buildApp(ctx: AppContext, opts: { logger?: boolean | object; serveWeb?: boolean } = {}): Promise<App> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    genReqId: (req) => (typeof req.headers['x-request-id'] === 'string' && req.headers['x-request-id'].length <= 64 ? req.headers['x-request-id'] : crypto.randomUUID()),
    ajv: { customOptions: { removeAdditional: false } },
    trustProxy: true,
    // Close open streams (SSE) too when the app closes, so shutdown never waits on clients.
    forceCloseConnections: true,
  }).withTypeProvider<TypeBoxTypeProvider>()
  ctx.log ??= app.log

  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.decorate('ctx', ctx)
  installErrorHandling(app)
  await app.register(cookie)
  await app.register(multipart, { limits: { fileSize: 25 * 1024 * 1024, files: 10, fields: 20 } })
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Atiende API', version: '1', description: 'Mesa de ayuda Atiende — API REST v1' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'atiende_sid' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs' })
  installAccessControl(app, ctx)
  installIdempotency(app, ctx)
  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff')
    return payload
  })

  for (const mod of modules) await app.register(mod)
  if (opts.serveWeb) await installWebApp(app)
  return app
}

declare module 'fastify' {
  interface FastifyInstance { ctx: AppContext }
}
