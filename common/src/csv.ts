import { decodeWindows1252 } from './windows-1252'

/**
 * What the server's CSV upload and the admin screen's CSV reader share: how a spreadsheet file's
 * bytes become text, and which separator it uses.
 */

/**
 * Reads a file's bytes as text: UTF-8 (without its byte-order mark) when they are valid UTF-8,
 * else Windows-1252 — what Excel in Spanish writes for «CSV (delimitado por comas)».
 */
export function decodeCsvBytes(bytes: ArrayBuffer | Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '')
  } catch {
    return decodeWindows1252(bytes)
  }
}

/** The separator of the first line: the one of ',' ';' or tab that occurs most outside quotes. */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]])
  let quoted = false
  for (const ch of text) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === '\n' || ch === '\r')) break
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1)
  }
  const [best, n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]
  return n > 0 ? best : ','
}
