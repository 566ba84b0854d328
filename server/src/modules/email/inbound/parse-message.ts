import { simpleParser, type ParsedMail, type Attachment, type HeaderLines } from 'mailparser'
import { cleanHeaderText, flattenAddresses, parseRawAddressHeader } from './addresses'
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
import { stripQuotedText } from './strip-quoted'

const PARSER_OPTIONS = { keepCidLinks: true, keepDeliveryStatus: true } as const

/**
 * Parses raw RFC 5322 bytes into an InboundMessage. Never throws for malformed input: whatever
 * could be read is returned and the workarounds are listed in `warnings` (a message with no
 * usable From has `from: null` and the warning `missing_from` or `invalid_from`).
 */
export async function parseMessage(raw: Buffer): Promise<InboundMessage> {
  const warnings: ParseWarning[] = []
  const repaired = repairHeaderCharset(raw)
  if (repaired.repaired) warnings.push('header_charset_repaired')
  let parsed: ParsedMail
  try {
    parsed = await simpleParser(repaired.raw, PARSER_OPTIONS)
  } catch {
    try {
      // mailparser gives up on HTML it cannot convert; retry without that step.
      parsed = await simpleParser(repaired.raw, { ...PARSER_OPTIONS, skipHtmlToText: true })
      warnings.push('html_to_text_failed')
    } catch {
      return unparseable(raw)
    }
  }
  return normalise(parsed, raw.length, warnings)
}

function normalise(parsed: ParsedMail, size: number, warnings: ParseWarning[]): InboundMessage {
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
    visibleText: stripQuotedText(text).visible,
    html: html || null,
    attachments,
    headers: headersOfInterest(parsed.headerLines),
    contentType: contentType.value,
    reportType: contentType.reportType,
    deliveryStatus,
    warnings,
    size,
  }
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
    subject: '', date: null, text, visibleText: text, html: null, attachments: [], headers: {},
    contentType: 'text/plain', reportType: null, deliveryStatus: [],
    warnings: ['parser_failed', 'missing_from'], size: raw.length,
  }
}
