import { Fragment } from 'react'

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" }
const unescape = (s: string) => s.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e])

/**
 * Splits a search snippet as the server sends it (HTML-escaped text with `<mark>…</mark>` around
 * the matched words) into text and highlighted parts. Only those two tags are read; everything else
 * stays text, so a snippet is never parsed as HTML.
 */
export function snippetParts(snippet: string): Array<{ text: string; mark: boolean }> {
  const parts: Array<{ text: string; mark: boolean }> = []
  let mark = false
  for (const piece of snippet.split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') mark = true
    else if (piece === '</mark>') mark = false
    else if (piece) parts.push({ text: unescape(piece), mark })
  }
  return parts
}

/** A search snippet with its matches highlighted (text nodes and <mark> elements, no innerHTML). */
export function Snippet({ text, className }: { text: string; className?: string }) {
  return (
    <div className={className}>
      {snippetParts(text).map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : <Fragment key={i}>{p.text}</Fragment>))}
    </div>
  )
}
