/**
 * The values of one header field in a raw message (unfolded, in order), read from the header
 * block only. For fields the parser does not keep, e.g. Authentication-Results.
 */
export function readRawHeader(raw: Buffer, name: string): string[] {
  const end = raw.indexOf('\r\n\r\n')
  const endLf = raw.indexOf('\n\n')
  const stop = [end, endLf].filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? Math.min(raw.length, 256 * 1024)
  const head = raw.subarray(0, stop).toString('latin1').replace(/\r?\n[ \t]+/g, ' ')
  const wanted = name.toLowerCase()
  const out: string[] = []
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) out.push(line.slice(colon + 1).trim())
  }
  return out
}

/**
 * Whether the receiving MTA said SPF or DKIM passed for this message (RFC 8601
 * Authentication-Results). Only the topmost field counts: it is the one our own server added;
 * lower ones could have been written by the sender.
 */
export function authenticationPassed(raw: Buffer): boolean {
  const [top] = readRawHeader(raw, 'authentication-results')
  return !!top && /\b(?:dkim|spf)\s*=\s*pass\b/i.test(top)
}
