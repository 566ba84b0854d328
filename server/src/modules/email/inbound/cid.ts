/** Maps a Content-ID (without angle brackets) to the URL where the stored attachment is served. */
export type CidUrlMap = ReadonlyMap<string, string> | Readonly<Record<string, string>>

/**
 * Rewrites `src="cid:…"` in sanitised HTML to the stored attachments' URLs. Content-IDs are
 * matched exactly, then case-insensitively (some clients change the case); unknown ones are left
 * as they are. Works on sanitize-html output, whose attributes are always double-quoted.
 */
export function rewriteCidReferences(html: string, map: CidUrlMap): string {
  const lookup = toLookup(map)
  return html.replace(/(\ssrc=")cid:([^"]*)"/gi, (whole, prefix: string, rawCid: string) => {
    const cid = decodeCid(rawCid)
    const url = lookup.exact.get(cid) ?? lookup.folded.get(cid.toLowerCase())
    return url === undefined ? whole : `${prefix}${escapeAttribute(url)}"`
  })
}

/** The Content-IDs an HTML body refers to, in order of appearance, without duplicates. */
export function listCidReferences(html: string): string[] {
  const found = new Set<string>()
  for (const match of html.matchAll(/\ssrc=["']?cid:([^"'\s>]*)/gi)) found.add(decodeCid(match[1]))
  return [...found]
}

function toLookup(map: CidUrlMap) {
  const entries: [string, string][] = map instanceof Map ? [...map.entries()] : Object.entries(map)
  const exact = new Map<string, string>()
  const folded = new Map<string, string>()
  for (const [cid, url] of entries) {
    const key = cid.trim().replace(/^<|>$/g, '')
    exact.set(key, url)
    folded.set(key.toLowerCase(), url)
  }
  return { exact, folded }
}

function decodeCid(raw: string): string {
  const unescaped = raw.replace(/&amp;/g, '&')
  try {
    return decodeURIComponent(unescaped).trim()
  } catch {
    return unescaped.trim()
  }
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
