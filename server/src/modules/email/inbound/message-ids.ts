/**
 * Extracts Message-IDs from an In-Reply-To / References / Message-ID value, with angle brackets.
 * Tolerates missing brackets, comments and junk between ids (mail in the wild has all of these).
 */
export function extractMessageIds(value: string | string[] | undefined | null): string[] {
  if (!value) return []
  const text = Array.isArray(value) ? value.join(' ') : value
  const ids: string[] = []
  const bracketed = text.match(/<[^<>\s]+>/g)
  if (bracketed) {
    for (const id of bracketed) if (id.includes('@') || id.length > 4) ids.push(id)
  } else {
    for (const token of text.split(/[\s,]+/)) {
      if (/^[^\s<>()"]+@[^\s<>()"]+$/.test(token)) ids.push(`<${token}>`)
    }
  }
  return [...new Set(ids)]
}

/** One id normalised to `<id>` form, or null. */
export function normaliseMessageId(value: string | string[] | undefined | null): string | null {
  return extractMessageIds(value)[0] ?? null
}
