import { Type, type TSchema } from 'typebox'

/** The error envelope every 4xx/5xx carries. */
export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Unknown(),
  }),
})

/** Standard error responses to merge into a route's `response` schema. */
export const errorResponses = {
  400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody, 429: ErrorBody,
}

export const Uuid = Type.String({ format: 'uuid' })
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false })
export const DateTime = Type.String({ format: 'date-time' })
/** A positive whole number kept in a bigint column (ticket numbers, job ids), up to the largest JavaScript holds exactly. */
export const PositiveBigint = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })

/** A strict object: unknown fields are rejected. */
export function StrictObject<T extends Record<string, TSchema>>(props: T, opts: Record<string, unknown> = {}) {
  return Type.Object(props, { additionalProperties: false, ...opts })
}

export const Ok = Type.Object({ ok: Type.Boolean() })

/** A list page with an opaque cursor for the next page. */
export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) })
}
