/** The two languages every screen, email and error speaks. */
export type Lang = 'es' | 'en'

/** Picks es or en from an Accept-Language header or a stored locale; Spanish by default. */
export function pickLang(input: string | null | undefined): Lang {
  if (!input) return 'es'
  for (const part of input.split(',')) {
    const tag = part.split(';')[0].trim().toLowerCase()
    if (tag.startsWith('es')) return 'es'
    if (tag.startsWith('en')) return 'en'
  }
  return 'es'
}

/** Replaces `{name}` placeholders. */
export function interpolate(template: string, params: Record<string, unknown> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] === undefined ? `{${k}}` : String(params[k])))
}
