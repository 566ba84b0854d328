import { simpleParser, type ParsedMail, type Attachment, type HeaderLines } from 'mailparser'
import { cleanHeaderText, flattenAddresses, parseRawAddressHeader } from './addresses'
import { mapC1ToWindows1252 } from '../../../../../common/src/windows-1252'
import { repairBodyCharset } from './body-charset'
import { repairHeaderCharset } from './header-charset'
import { htmlToPlainText } from './html-text'
import {
  HEADERS_OF_INTEREST,
  type HeadersOfInterest,
  type InboundAttachment,
  type InboundMessage,
  type ParseWarning,
} from './inbound-message'
import { extractMessageIds, normaliseMessageId } from './message-ids'
import { sanitizeEmailHtml } from './sanitize'
import { isForwardSubject, stripQuotedText } from './strip-quoted'
import { stripQuotedHtml } from './strip-quoted-html'

// skipTextToHtml: we never read mailparser's textAsHtml (its linkified copy of the text costs
// about as much as decoding the message); see parseMime for the one case where it feeds `html`.
const PARSER_OPTIONS = { keepCidLinks: true, keepDeliveryStatus: true, skipTextToHtml: true } as const
const FULL_PARSER_OPTIONS = { keepCidLinks: true, keepDeliveryStatus: true } as const

/**
 * Parses raw RFC 5322 bytes into an InboundMessage. Never throws for malformed input: whatever
 * could be read is returned and the workarounds are listed in `warnings` (a message with no
 * usable From has `from: null` and the warning `missing_from` or `invalid_from`).
 */
export async function parseMessage(raw: Buffer): Promise<InboundMessage> {
  const warnings: ParseWarning[] = []
  const repaired = repairHeaderCharset(raw)
  if (repaired.repaired) warnings.push('header_charset_repaired')
  let bytes = repaired.raw
  let parsed = await parseTolerantly(bytes, warnings)
  if (!parsed) return unparseable(raw)
  // Replacement characters: a text part may hold Latin-1 bytes without saying so. Checked only
  // then, since the repair rewrites the MIME structure.
  if (hasReplacement(parsed)) {
    const body = await repairBodyCharset(bytes).catch(() => null)
    if (body?.repaired) {
      const more: ParseWarning[] = []
      const again = await parseTolerantly(body.raw, more)
      if (again) {
        [bytes, parsed] = [body.raw, again]
        warnings.push(...more.filter((w) => !warnings.includes(w)), 'body_charset_repaired')
      }
    }
  }
  return normalise(parsed, raw.length, warnings, hasPlainTextPart(bytes))
}

/** parseMime, retried without HTML-to-text when mailparser gives up on the HTML; null when it cannot parse at all. */
async function parseTolerantly(raw: Buffer, warnings: ParseWarning[]): Promise<ParsedMail | null> {
  try {
    return await parseMime(raw, {})
  } catch {
    try {
      const parsed = await parseMime(raw, { skipHtmlToText: true })
      warnings.push('html_to_text_failed')
      return parsed
    } catch {
      return null
    }
  }
}

const hasReplacement = (p: ParsedMail) => (p.text ?? '').includes('\uFFFD') || (typeof p.html === 'string' && p.html.includes('\uFFFD'))

/**
 * simpleParser without the text-to-HTML step. That step also feeds `html` in one case: a text
 * part outside multipart/alternative in a message that has HTML too (its converted text is
 * joined into `html` with "<br/>\n"); skipped, it leaves an empty piece there. When the joined
 * HTML shows a place where such a piece may be, the message is parsed again in full, so `html`
 * is always what the full parse gives.
 */
async function parseMime(raw: Buffer, extra: { skipHtmlToText?: true }): Promise<ParsedMail> {
  const parsed = await simpleParser(raw, { ...PARSER_OPTIONS, ...extra })
  const html = typeof parsed.html === 'string' ? parsed.html : ''
  const SEP = '<br/>\n'
  if (html === '' || !(html.startsWith(SEP) || html.endsWith(SEP) || html.includes(SEP + SEP))) return parsed
  return simpleParser(raw, { ...FULL_PARSER_OPTIONS, ...extra })
}

function normalise(parsed: ParsedMail, size: number, warnings: ParseWarning[], textPart: boolean): InboundMessage {
  // Windows-1252 read as ISO-8859-1: mail that says iso-8859-1 and uses «–», «€» or curly quotes.
  if (parsed.text) parsed.text = mapC1ToWindows1252(parsed.text)
  if (typeof parsed.html === 'string') parsed.html = mapC1ToWindows1252(parsed.html)
  if (parsed.subject) parsed.subject = mapC1ToWindows1252(parsed.subject)
  let fromList = flattenAddresses(parsed.from)
  const rawFrom = headerText(parsed.headerLines, 'from')
  if (fromList.length === 0 && rawFrom) fromList = parseRawAddressHeader(rawFrom)
  if (!parsed.from) warnings.push('missing_from')
  else if (fromList.length === 0) warnings.push('invalid_from')
  const messageId = normaliseMessageId(headerText(parsed.headerLines, 'message-id'))
  if (!messageId) warnings.push('missing_message_id')
  const date = parsed.date instanceof Date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null
  if (parsed.headers.has('date') && !date) warnings.push('invalid_date')

  const { attachments, deliveryStatus } = splitAttachments(parsed.attachments, warnings)
  const rawHtml = typeof parsed.html === 'string' ? parsed.html : ''
  const html = rawHtml.trim() ? sanitizeEmailHtml(rawHtml) : null
  const text = bodyText(parsed.text ?? '', html, warnings)
  const { visibleText, visibleHtml } = isForwardSubject(parsed.subject ?? '')
    ? { visibleText: stripQuotedText(text, { subject: parsed.subject }).visible, visibleHtml: html }
    : visibleParts(text, textPart, rawHtml, html, warnings)
  const contentType = contentTypeOf(parsed)

  return {
    messageId,
    inReplyTo: extractMessageIds(headerText(parsed.headerLines, 'in-reply-to'))[0] ?? null,
    references: extractMessageIds(headerText(parsed.headerLines, 'references')),
    from: fromList[0] ?? null,
    to: flattenAddresses(parsed.to),
    cc: flattenAddresses(parsed.cc),
    replyTo: flattenAddresses(parsed.replyTo)[0] ?? null,
    subject: cleanHeaderText(parsed.subject ?? ''),
    date,
    text,
    visibleText,
    html: html || null,
    visibleHtml,
    attachments,
    headers: headersOfInterest(parsed.headerLines),
    contentType: contentType.value,
    reportType: contentType.reportType,
    deliveryStatus,
    warnings,
    size,
  }
}

/**
 * What becomes the comment: the text and HTML without quoted history. With a text part, the
 * text is cut by stripQuotedText (as always); the HTML is cut by its clients' marks
 * (stripQuotedHtml), and when those are missing but the text lost history, the HTML is dropped
 * (null: show the text) rather than shown with the history in it. HTML-only mail: the text is
 * derived from the cut HTML, then cut again (signatures, unmarked attributions).
 */
function visibleParts(text: string, hasTextPart: boolean, rawHtml: string, html: string | null, warnings: ParseWarning[]) {
  let visibleHtml = html
  let htmlCut = false
  if (html) {
    try {
      const stripped = stripQuotedHtml(rawHtml)
      if (stripped.cut) {
        const clean = sanitizeEmailHtml(stripped.html)
        if (clean) [visibleHtml, htmlCut] = [clean, true]
      }
    } catch { /* keep the whole HTML */ }
  }
  if (hasTextPart || !html) {
    const strippedText = stripQuotedText(text)
    const textCut = strippedText.removed !== '' || !sameIgnoringWhitespace(strippedText.visible, text)
    return { visibleText: strippedText.visible, visibleHtml: textCut && !htmlCut ? null : visibleHtml }
  }
  const fromHtml = htmlCut && visibleHtml ? bodyText('', visibleHtml, warnings) : text
  const visibleText = stripQuotedText(fromHtml).visible || stripQuotedText(text).visible
  return { visibleText, visibleHtml }
}

/**
 * Whether two strings are equal once all whitespace (as /\s/ matches it) is removed, compared in
 * place: the body is compared on every message, and building both squashed copies cost more
 * than the rest of this pass.
 */
export function sameIgnoringWhitespace(a: string, b: string): boolean {
  if (a === b) return true
  let i = 0
  let j = 0
  for (;;) {
    while (i < a.length && isSpace(a.charCodeAt(i))) i++
    while (j < b.length && isSpace(b.charCodeAt(j))) j++
    if (i >= a.length || j >= b.length) return i >= a.length && j >= b.length
    if (a.charCodeAt(i) !== b.charCodeAt(j)) return false
    i++
    j++
  }
}

/** The code units /\s/ matches (ECMAScript WhiteSpace and LineTerminator). */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d)
  if (c < 0xa0) return false
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
}

/**
 * Whether the message has a text/plain part of its own (mailparser derives a text from the HTML
 * of HTML-only mail, so its `text` does not tell): a text/plain top level (the default), or a
 * part whose Content-Type is text/plain.
 */
function hasPlainTextPart(raw: Buffer): boolean {
  const source = raw.subarray(0, 2_000_000).toString('latin1')
  const headEnd = source.search(/\r?\n\r?\n/)
  const top = /^content-type:[ \t]*([^;\s]+)/im.exec(headEnd >= 0 ? source.slice(0, headEnd) : source)?.[1]?.toLowerCase()
  if (!top || top === 'text/plain') return true
  return /^content-type:[ \t]*text\/plain\b/im.test(source.slice(Math.max(headEnd, 0)))
}

/** The body as text: mailparser's text, or derived from the sanitised HTML of HTML-only mail. */
function bodyText(text: string, html: string | null, warnings: ParseWarning[]): string {
  // eslint-disable-next-line no-control-regex
  const clean = (s: string) => s.replace(/\r\n?/g, '\n').replace(/[\u0000\u0001-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  if (text.trim() || !html) return clean(text).trim()
  try {
    return clean(htmlToPlainText(html)).replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n')
  } catch {
    warnings.push('html_to_text_failed')
    return ''
  }
}

function splitAttachments(list: Attachment[], warnings: ParseWarning[]) {
  const attachments: InboundAttachment[] = []
  const deliveryStatus: string[] = []
  list.forEach((part, index) => {
    const contentType = (part.contentType || 'application/octet-stream').toLowerCase()
    if (contentType === 'message/delivery-status' || contentType === 'message/global-delivery-status') {
      deliveryStatus.push(part.content.toString('utf8'))
      return
    }
    const filename = safeFilename(part.filename, contentType, index + 1)
    if (contentType === 'application/ms-tnef' || contentType === 'application/vnd.ms-tnef' || /^winmail\.dat$/i.test(filename)) {
      if (!warnings.includes('winmail_dat_ignored')) warnings.push('winmail_dat_ignored')
      return
    }
    const contentId = part.cid ? part.cid.trim() || null : null
    attachments.push({
      filename,
      contentType,
      size: part.content.length,
      content: part.content,
      contentId,
      inline: Boolean(contentId) && (part.related || part.contentDisposition === 'inline'),
    })
  })
  return { attachments, deliveryStatus }
}

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png', 'image/jpeg': 'jpg', 'image/jpg': 'jpg', 'image/gif': 'gif', 'application/pdf': 'pdf',
  'text/plain': 'txt', 'text/html': 'html', 'message/rfc822': 'eml', 'text/calendar': 'ics',
}

/** A file name safe to store and show: no paths or control characters, at most 200 characters. */
export function safeFilename(name: string | undefined, contentType: string, index: number): string {
  const base = cleanHeaderText(name ?? '').split(/[\\/]/).pop()?.replace(/^\.+/, '').trim() ?? ''
  if (base) return base.length > 200 ? base.slice(0, 200) : base
  return `adjunto-${index}.${EXTENSIONS[contentType] ?? 'bin'}`
}

function contentTypeOf(parsed: ParsedMail): { value: string; reportType: string | null } {
  const header = parsed.headers.get('content-type')
  if (header && typeof header === 'object' && 'params' in header && typeof header.value === 'string') {
    const reportType = header.params['report-type']
    return { value: header.value.toLowerCase(), reportType: reportType ? reportType.toLowerCase() : null }
  }
  return { value: 'text/plain', reportType: null }
}

/** The unfolded value of a header (all occurrences joined by ", "), from the raw lines. */
function headerText(lines: HeaderLines, key: string): string | undefined {
  const values = lines
    .filter((l) => l.key === key)
    .map((l) => l.line.slice(l.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim())
  return values.length ? values.join(', ') : undefined
}

function headersOfInterest(lines: HeaderLines): HeadersOfInterest {
  const out: HeadersOfInterest = {}
  for (const key of HEADERS_OF_INTEREST) {
    const value = headerText(lines, key)
    if (value !== undefined) out[key] = cleanHeaderText(value)
  }
  return out
}

/** Last resort when mailparser itself fails: the bytes as text, flagged for a person to look at. */
function unparseable(raw: Buffer): InboundMessage {
  const text = raw.toString('utf8').replaceAll('\u0000', '')
  return {
    messageId: null, inReplyTo: null, references: [], from: null, to: [], cc: [], replyTo: null,
    subject: '', date: null, text, visibleText: text, html: null, visibleHtml: null, attachments: [], headers: {},
    contentType: 'text/plain', reportType: null, deliveryStatus: [],
    warnings: ['parser_failed', 'missing_from'], size: raw.length,
  }
}
