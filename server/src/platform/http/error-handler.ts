import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorObject } from 'ajv'
import { t } from '../i18n/messages'
import { AppError, RateLimitedError } from './errors'
import { describeValidation } from './validation'

/** PostgreSQL's SQLSTATEs for text it cannot store: U+0000 in text (22021) or in JSON (22P05). */
const UNSTORABLE_TEXT = new Set(['22021', '22P05'])

/** Every error leaves as {"error":{"code","message","details"}} in the caller's language. */
export function installErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const lang = request.lang ?? 'es'
    if (err instanceof AppError) {
      if (err instanceof RateLimitedError) void reply.header('retry-after', String(err.retryAfterSeconds))
      return reply.status(err.statusCode).send({ error: { code: err.code, message: t(lang, err.messageKey, err.params), details: err.details } })
    }
    const fe = err as FastifyError
    if (fe.validation) {
      const { summary, details } = describeValidation(fe.validation as ErrorObject[], fe.validationContext ?? 'body', lang)
      return reply.status(400).send({ error: { code: 'validation_failed', message: t(lang, 'error.validation', { summary }), details } })
    }
    switch (fe.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.status(400).send({ error: { code: 'malformed_json', message: t(lang, 'error.malformed_json'), details: null } })
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
      case 'FST_REQ_FILE_TOO_LARGE':
        return reply.status(413).send({ error: { code: 'body_too_large', message: t(lang, 'error.body_too_large'), details: null } })
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.status(415).send({ error: { code: 'unsupported_media_type', message: t(lang, 'error.unsupported_media_type', { type: request.headers['content-type'] ?? '' }), details: null } })
    }
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      // Fastify's own message is English only: it goes in the details, ours in the caller's language.
      return reply.status(fe.statusCode).send({ error: { code: fe.code ?? 'bad_request', message: t(lang, 'error.bad_request'), details: { reason: fe.message } } })
    }
    // Text that PostgreSQL cannot store (the NUL character) inside a value no schema describes,
    // such as a custom field's: the caller's input, not a fault of ours.
    if (UNSTORABLE_TEXT.has(String((err as { code?: unknown }).code))) {
      return reply.status(400).send({ error: { code: 'validation_failed', message: t(lang, 'error.unstorable_text'), details: null } })
    }
    request.log.error({ err }, 'unhandled error')
    return reply.status(500).send({ error: { code: 'internal', message: t(lang, 'error.internal'), details: null } })
  })

  app.setNotFoundHandler((request, reply) => {
    const lang = request.lang ?? 'es'
    return reply.status(404).send({ error: { code: 'route_not_found', message: t(lang, 'error.route_not_found', { method: request.method, url: request.url.split('?')[0] }), details: null } })
  })
}
