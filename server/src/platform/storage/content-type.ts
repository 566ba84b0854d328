import { fileTypeFromBuffer } from 'file-type'

/**
 * Content types come from the bytes, never from the client's header or the file name: binary
 * formats by their magic numbers (file-type), text by its encoding, markup (HTML, SVG, XML) by its
 * first tag. `servingHeaders` then decides how a download is sent: only types a browser cannot run
 * code from are shown inline; markup and anything unknown is a download of application/octet-stream.
 */

/** Types a browser may display inline without running anything of the author's. */
const INLINE_TYPES = new Set([
  'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/bmp',
  'application/pdf', 'text/plain',
  'audio/mpeg', 'audio/ogg', 'audio/wav', 'audio/mp4', 'video/mp4', 'video/webm', 'video/ogg',
])

/** Types that can carry script when rendered by a browser: always served as opaque downloads. */
const DANGEROUS_TYPES = new Set([
  'text/html', 'application/xhtml+xml', 'image/svg+xml', 'application/xml', 'text/xml',
  'application/javascript', 'text/javascript', 'application/x-shockwave-flash', 'text/css',
])

const MARKUP = /^(?:<!doctype\s+html|<html|<head|<body|<svg|<\?xml|<script|<iframe|<!--|<!doctype\s+svg)/i

/** Sniffs the MIME type (with charset for text) from the leading bytes of a file. */
export async function sniffContentType(head: Buffer): Promise<string> {
  if (head.length === 0) return 'application/octet-stream'
  const detected = await fileTypeFromBuffer(head)
  if (detected) {
    if (detected.mime === 'application/xml') return markupType(decodeText(head))
    return detected.mime
  }
  const charset = textCharset(head)
  if (!charset) return 'application/octet-stream'
  const text = decodeText(head, charset)
  const trimmed = text.replace(/^\uFEFF/, '').trimStart()
  if (MARKUP.test(trimmed) || /<(?:script|svg|html|iframe)[\s>]/i.test(text.slice(0, 4096))) return markupType(trimmed)
  return `text/plain; charset=${charset}`
}

function markupType(text: string): string {
  const lower = text.slice(0, 4096).toLowerCase()
  if (lower.includes('<svg')) return 'image/svg+xml'
  if (lower.includes('<html') || lower.includes('<!doctype html') || lower.includes('<script') || lower.includes('<body')) return 'text/html'
  return 'application/xml'
}

/**
 * 'utf-8' when the bytes are valid UTF-8 text, 'windows-1252' for other text without control
 * characters (legacy Spanish files), null for binary data.
 */
export function textCharset(head: Buffer): 'utf-8' | 'windows-1252' | null {
  let controls = 0
  for (const b of head) {
    if (b === 0) return null
    // Tab, LF, VT, FF, CR and ESC are common in text; other C0 controls are not.
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 11 && b !== 12 && b !== 13 && b !== 27) controls++
  }
  if (controls > head.length / 100) return null
  return isUtf8Prefix(head) ? 'utf-8' : 'windows-1252'
}

/** Valid UTF-8, allowing one multi-byte sequence cut off at the end of the head. */
function isUtf8Prefix(buf: Buffer): boolean {
  let end = buf.length
  let i = buf.length - 1
  while (i >= 0 && buf.length - i <= 3 && (buf[i] & 0xc0) === 0x80) i--
  if (i >= 0) {
    const lead = buf[i]
    const expected = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
    if (buf.length - i < expected) end = i
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, end))
    return true
  } catch {
    return false
  }
}

function decodeText(buf: Buffer, charset: 'utf-8' | 'windows-1252' = 'utf-8'): string {
  return new TextDecoder(charset).decode(buf)
}

/** How a stored attachment is sent to a browser. */
export interface ServingHeaders {
  'content-type': string
  'content-disposition': string
  'content-security-policy': string
  'x-content-type-options': 'nosniff'
  'cross-origin-resource-policy': 'same-origin'
}

// No scripts, no plugins, no framing by other sites; `sandbox` makes the response an opaque
// origin even if a browser did render it. PDF viewers refuse to run sandboxed, so PDFs omit it.
const CSP_BASE = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"

/** Headers for a download of `storedType` (a value from `sniffContentType`) named `filename`. */
export function servingHeaders(storedType: string, filename: string): ServingHeaders {
  const base = storedType.split(';')[0].trim().toLowerCase()
  const inline = INLINE_TYPES.has(base)
  let contentType = storedType
  if (DANGEROUS_TYPES.has(base) || !/^[a-z0-9.+-]+\/[a-z0-9.+-]+(?:; charset=[a-z0-9-]+)?$/i.test(storedType)) contentType = 'application/octet-stream'
  return {
    'content-type': contentType,
    'content-disposition': contentDisposition(inline && contentType === storedType ? 'inline' : 'attachment', filename),
    'content-security-policy': base === 'application/pdf' ? CSP_BASE : `${CSP_BASE}; sandbox`,
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
  }
}

/** A file name safe to store and echo: no directories, no control characters, bounded length. */
export function cleanFilename(name: string | null | undefined): string {
  const base = (name ?? '').split(/[/\\]/).pop() ?? ''
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '').trim().replace(/^\.+/, '')
  return (cleaned || 'adjunto').slice(0, 200)
}

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 8187). */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const name = cleanFilename(filename)
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^\x20-\x7e]|["\\%]/g, '_')
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
