import { isUtf8 } from 'node:buffer'
import { mapC1ToWindows1252 } from '../../../../../common/src/windows-1252'

/**
 * Repairs raw 8-bit header lines that are not UTF-8 (old clients send Latin-1 or Windows-1252
 * subjects and names without RFC 2047 encoding). mailparser decodes raw header bytes as UTF-8,
 * which turns "Información" into "Informaci\uFFFDn"; we transcode such lines to UTF-8 first,
 * using the message's declared charset when it names one, else Windows-1252.
 */
export function repairHeaderCharset(raw: Buffer): { raw: Buffer; repaired: boolean } {
  const end = headerBlockEnd(raw)
  const head = raw.subarray(0, end)
  if (!head.some((b) => b >= 0x80)) return { raw, repaired: false }

  const fallback = fallbackCharset(head.toString('latin1'))
  const lines: Buffer[] = []
  let repaired = false
  let start = 0
  while (start < head.length) {
    let nl = head.indexOf(0x0a, start)
    nl = nl === -1 ? head.length : nl + 1
    const line = head.subarray(start, nl)
    if (line.some((b) => b >= 0x80) && !isUtf8(line)) {
      lines.push(Buffer.from(mapC1ToWindows1252(new TextDecoder(fallback).decode(line)), 'utf8'))
      repaired = true
    } else {
      lines.push(line)
    }
    start = nl
  }
  if (!repaired) return { raw, repaired: false }
  return { raw: Buffer.concat([...lines, raw.subarray(end)]), repaired: true }
}

/** Index just past the header block (the first empty line), or the whole buffer. */
function headerBlockEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n')
  const lf = raw.indexOf('\n\n')
  const candidates = [crlf === -1 ? -1 : crlf + 4, lf === -1 ? -1 : lf + 2].filter((i) => i > 0)
  return candidates.length ? Math.min(...candidates) : raw.length
}

/** The top-level Content-Type charset when the runtime can decode it, else Windows-1252. */
function fallbackCharset(headerText: string): string {
  const match = /^content-type:[^\n]*(?:\n[ \t][^\n]*)*/im.exec(headerText)
  const charset = match && /charset\s*=\s*"?([\w.:-]+)/i.exec(match[0])?.[1]?.toLowerCase()
  if (charset && !/^(utf-?8|us-ascii|ascii)$/.test(charset)) {
    try {
      new TextDecoder(charset)
      return charset
    } catch {
      // unknown to the runtime: fall through
    }
  }
  return 'windows-1252'
}
