import { DomUtils, parseDocument } from 'htmlparser2'
import { REPLY_ABOVE_MARKERS, looksLikeAttribution } from './strip-quoted'

type Doc = ReturnType<typeof parseDocument>
type Node = Doc['children'][number]
type Element = Parameters<typeof DomUtils.getAttributeValue>[0]

/** The part of an HTML reply a person wrote (unsanitised: sanitise it after), and whether anything was cut. */
export interface StrippedHtml {
  html: string
  cut: boolean
}

const FORWARDED = /(?:forwarded message|mensaje reenviado|message transféré|weitergeleitete nachricht|begin forwarded message|inicio del mensaje reenviado)/i
// Outlook's header block as text: "De: … Enviado: … Para: … Asunto: …" (or From/Sent/To/Subject).
const OUTLOOK_START = /^\s*(?:de|from|von|da)\s*:/i
// The same first field anywhere in a text (a quick test before looking for the block).
const OUTLOOK_FIELD = /(?:de|from|von|da)\s*:/i
const OUTLOOK_SENT = /(?:enviado(?: el)?|sent|fecha|date|gesendet|envoyé)\s*:/i
const OUTLOOK_TO = /(?:para|to|asunto|subject|an|betreff|objet|à)\s*:/i
// Outlook desktop's separator above that block (a div with a thin top border).
const OUTLOOK_BORDER = /border-top\s*:\s*solid\s+#(?:e1e1e1|b5c4df)/i

const classes = (el: Element) => (DomUtils.getAttributeValue(el, 'class') ?? '').toLowerCase().split(/\s+/)
const idOf = (el: Element) => (DomUtils.getAttributeValue(el, 'id') ?? '').toLowerCase()
const textOf = (node: Node) => DomUtils.textContent(node).replace(/\s+/g, ' ').trim()

/**
 * Cuts quoted history from an HTML reply, by the marks mail clients leave: Gmail's
 * `div.gmail_quote` (not when it holds a forwarded message), Apple Mail's and Thunderbird's
 * `blockquote type="cite"` with Thunderbird's `div.moz-cite-prefix` attribution, Yahoo's
 * `div.yahoo_quoted`, Outlook's `#divRplyFwdMsg` (with the rule above it) and "De: … Enviado: …"
 * header blocks (everything after them is the quoted message), our own "reply above this line"
 * marker, and signatures marked as such (`moz-signature`, `gmail_signature`). If nothing
 * visible would be left, the whole HTML is returned uncut.
 */
export function stripQuotedHtml(html: string): StrippedHtml {
  const doc = parseDocument(html)
  let cut = false
  const remove = (node: Node) => {
    DomUtils.removeElement(node)
    cut = true
  }

  const toEnd = findCutToEnd(doc)
  if (toEnd) {
    cutFrom(toEnd)
    cut = true
  }
  for (const el of DomUtils.findAll(() => true, doc.children)) {
    if (!el.parent) continue // already removed with an ancestor
    const cls = classes(el)
    if (cls.includes('gmail_quote') || cls.includes('gmail_quote_container') || cls.includes('yahoo_quoted')) {
      if (!FORWARDED.test(textOf(el).slice(0, 300))) remove(el)
    } else if (cls.includes('moz-cite-prefix')) {
      const next = nextElement(el)
      if (next && next.name === 'blockquote') remove(next)
      remove(el)
    } else if (el.name === 'blockquote' && (DomUtils.getAttributeValue(el, 'type') ?? '').toLowerCase() === 'cite') {
      const before = previousMeaningful(el)
      if (before && looksLikeAttribution(textOf(before))) remove(before)
      remove(el)
    } else if (cls.includes('moz-signature') || cls.includes('gmail_signature')) {
      remove(el)
    }
  }
  if (!cut) return { html, cut: false }
  const hasContent = textOf(doc) !== '' || DomUtils.findOne((e) => e.name === 'img', doc.children) !== null
  if (!hasContent) return { html, cut: false }
  return { html: DomUtils.getOuterHTML(doc, { encodeEntities: 'utf8' }), cut: true }
}

/**
 * The first element (document order) from which everything to the end is quoted history. An
 * element's text is part of the document's, so a mark missing from the whole text is in no
 * element: most new messages carry none, and then no element's text is read.
 */
function findCutToEnd(doc: Doc): Node | null {
  const all = textOf(doc)
  const markers = REPLY_ABOVE_MARKERS.filter((m) => all.includes(m))
  const headers = OUTLOOK_FIELD.test(all)
  for (const el of DomUtils.findAll(() => true, doc.children)) {
    const id = idOf(el)
    if (id === 'divrplyfwdmsg' || classes(el).includes('outlookmessageheader')) {
      // Outlook on the web puts an <hr> (and an empty #appendonsend) right above the header block.
      const before = previousMeaningful(el)
      return before && DomUtils.isTag(before) && before.name === 'hr' ? before : el
    }
    if (!headers && markers.length === 0) continue
    const text = textOf(el)
    if (headers && ['div', 'p'].includes(el.name) && isOutlookHeader(el, text)) return el
    if (markers.some((m) => text.includes(m)) && !el.children.some((c) => DomUtils.isTag(c) && markers.some((m) => textOf(c).includes(m)))) {
      return el
    }
  }
  return null
}

/** "De: … Enviado: … Para: … Asunto: …" in a short block of its own (optionally with Outlook's top border). */
function isOutlookHeader(el: Element, text: string): boolean {
  if (text.length > 1500 || !OUTLOOK_START.test(text)) return false
  const head = text.slice(0, 600)
  return (OUTLOOK_SENT.test(head) && OUTLOOK_TO.test(head)) || (OUTLOOK_BORDER.test(DomUtils.getAttributeValue(el, 'style') ?? '') && OUTLOOK_SENT.test(head))
}

/** Removes a node, every sibling after it, and every sibling after each of its ancestors. */
function cutFrom(node: Node) {
  let current: Node | null = node
  while (current && current.parent) {
    const parent: Node = current.parent as Node
    let next = current.next
    while (next) {
      const after: Node | null = next.next
      DomUtils.removeElement(next)
      next = after
    }
    if (current === node) DomUtils.removeElement(current)
    current = parent
  }
}

function nextElement(el: Element): Element | null {
  let n = el.next
  while (n && !(DomUtils.isTag(n)) && textOf(n) === '') n = n.next
  return n && DomUtils.isTag(n) ? n : null
}

/** The previous sibling that is not blank text or a <br>. */
function previousMeaningful(el: Element): Node | null {
  let n = el.prev
  while (n && ((DomUtils.isTag(n) && n.name === 'br') || (!DomUtils.isTag(n) && textOf(n) === '') || (DomUtils.isTag(n) && n.name === 'div' && idOf(n) === 'appendonsend'))) n = n.prev
  return n
}
