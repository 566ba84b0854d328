/**
 * Domain and HTTP errors: a stable `code`, an HTTP status, and a message key translated at the
 * edge into the caller's language. Throw these from commands, policies and routes.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    readonly messageKey: string,
    readonly params: Record<string, unknown> = {},
    readonly details: unknown = null,
  ) {
    super(`${code}: ${messageKey}`)
  }
}

export class NotFoundError extends AppError {
  constructor(messageKey = 'error.not_found', params: Record<string, unknown> = {}) {
    super(404, 'not_found', messageKey, params)
  }
}

export class UnauthenticatedError extends AppError {
  constructor(messageKey = 'error.unauthenticated') {
    super(401, 'unauthenticated', messageKey)
  }
}

export class ForbiddenError extends AppError {
  constructor(messageKey = 'error.forbidden', params: Record<string, unknown> = {}) {
    super(403, 'forbidden', messageKey, params)
  }
}

export class ConflictError extends AppError {
  constructor(code: string, messageKey: string, params: Record<string, unknown> = {}, details: unknown = null) {
    super(409, code, messageKey, params, details)
  }
}

export class ValidationError extends AppError {
  constructor(messageKey: string, params: Record<string, unknown> = {}, details: unknown = null, code = 'validation_failed') {
    super(400, code, messageKey, params, details)
  }
}

export class RateLimitedError extends AppError {
  constructor(messageKey: string, params: Record<string, unknown>, readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', messageKey, params)
  }
}
