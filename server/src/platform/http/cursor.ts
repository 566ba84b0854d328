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

/** Decodes a cursor made by encodeCursor with `size` parts; a tampered one is a 400. */
export function decodeCursor(cursor: string | undefined, size: number): Array<string | number> | null {
  if (!cursor) return null
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    if (Array.isArray(key) && key.length === size && key.every((v) => typeof v === 'string' || typeof v === 'number')) return key
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
