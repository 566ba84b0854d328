import type { FastifyRequest } from 'fastify'
import { ValidationError } from '../../platform/http/errors'
import type { Lang } from '../../platform/i18n/locale'
import { SlaInputError } from './sla.errors'

/** The SLA module's field issues as the platform's 400: one sentence in the caller's language, per-field details. */
export function toValidationError(error: SlaInputError, lang: Lang): ValidationError {
  const details = error.issues.map((i) => ({ field: i.field, rule: i.code, message: i.message[lang] }))
  const summary = details.slice(0, 5).map((d) => `«${d.field}»: ${d.message}`).join('; ')
  return new ValidationError('error.validation', { summary }, details)
}

/** Runs `fn`, turning an SlaInputError into a 400 naming the fields. */
export async function withSlaErrors<T>(request: FastifyRequest, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof SlaInputError) throw toValidationError(error, request.lang)
    throw error
  }
}
