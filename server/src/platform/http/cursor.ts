import { Type } from 'typebox'
import { ValidationError } from './errors'
import { registerMessages } from '../i18n/messages'

/**
 * Keyset pagination: a list sorted by (k1, …, id) hands out the sort key of its last row as an
 * opaque cursor; the next page starts strictly after it. Stable under inserts, no OFFSET scans.
 */
export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
}

export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url')
}

/** What one part of a cursor holds, checked before it reaches SQL. */
export type CursorPart = 'integer' | 'timestamp' | 'uuid' | 'text'

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-](0\d|1[0-5]):?[0-5]\d)$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function fits(value: unknown, part: CursorPart): boolean {
  switch (part) {
    case 'integer': return (typeof value === 'number' || (typeof value === 'string' && /^-?\d{1,16}$/.test(value))) && Number.isSafeInteger(Number(value))
    case 'timestamp': return typeof value === 'string' && isInstant(value)
    case 'uuid': return typeof value === 'string' && UUID.test(value)
    case 'text': return typeof value === 'string' && !value.includes('\0')
  }
}

/** An ISO-8601 instant PostgreSQL accepts: a real calendar day (no 30 February), a real time of day, year 1 or later. */
function isInstant(value: string): boolean {
  const m = ISO_INSTANT.exec(value)
  if (!m) return false
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number)
  const day = new Date(0)
  day.setUTCFullYear(y, mo - 1, d)
  return y >= 1 && h <= 23 && mi <= 59 && sec <= 59 && day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d
}

/**
 * Decodes a cursor made by encodeCursor whose parts hold `shape` (one kind per part); a tampered
 * one — wrong length, or a part that is not what the list sorts by — is a 400, never a SQL error.
 */
export function decodeCursor(cursor: string | undefined, shape: readonly CursorPart[]): Array<string | number> | null {
  if (!cursor) return null
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    if (Array.isArray(key) && key.length === shape.length && shape.every((part, i) => fits(key[i], part))) return key as Array<string | number>
  } catch { /* fall through */ }
  throw new ValidationError('error.bad_cursor', {}, [{ field: 'cursor', rule: 'cursor' }])
}

/** Splits a page fetched with limit + 1 rows into the items and the next cursor. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => Array<string | number>) {
  const items = rows.slice(0, limit)
  const nextCursor = rows.length > limit ? encodeCursor(keyOf(items[items.length - 1])) : null
  return { items, nextCursor }
}

registerMessages({
  es: { 'error.bad_cursor': 'El cursor de paginación no es válido; pida la primera página de nuevo.' },
  en: { 'error.bad_cursor': 'The pagination cursor is not valid; ask for the first page again.' },
})
