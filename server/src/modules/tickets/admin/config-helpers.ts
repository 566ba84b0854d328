import type { FastifyRequest } from 'fastify'
import { ConflictError } from '../../../platform/http/errors'

/** A unique-index violation (code 23505) as a 409 naming the duplicate. */
export function rethrowUnique(err: unknown, code: string, messageKey: string, params: Record<string, unknown>): never {
  if (err && typeof err === 'object' && 'code' in err && (err as { code: unknown }).code === '23505') {
    throw new ConflictError(code, messageKey, params)
  }
  throw err
}

/** A foreign-key violation (23503) when deleting something in use: 409 "deactivate instead". */
export function rethrowInUse(err: unknown): never {
  if (err && typeof err === 'object' && 'code' in err && (err as { code: unknown }).code === '23503') {
    throw new ConflictError('in_use', 'tickets.config.in_use')
  }
  throw err
}

export const isCustomerRequest = (request: FastifyRequest) => request.actor?.role === 'customer'
