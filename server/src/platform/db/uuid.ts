const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True when `text` is written as a UUID, so PostgreSQL's `::uuid` accepts it (36 hex digits and dashes in any order are not). */
export function isUuid(text: string): boolean {
  return UUID.test(text)
}
