/** Parses "HH:MM" (00:00–23:59, or "24:00" when allowed) into minutes after midnight; null if bad. */
export function parseTimeOfDay(text: unknown, allowEndOfDay: boolean): number | null {
  if (typeof text !== 'string') return null
  const match = /^(\d{2}):(\d{2})$/.exec(text)
  if (!match) return null
  const hours = Number(match[1])
  const minutes = Number(match[2])
  if (hours === 24 && minutes === 0) return allowEndOfDay ? 1440 : null
  if (hours > 23 || minutes > 59) return null
  return hours * 60 + minutes
}

/** True for a real calendar date written "YYYY-MM-DD". */
export function isIsoDate(text: unknown): text is string {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const [y, m, d] = text.split('-').map(Number)
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}
