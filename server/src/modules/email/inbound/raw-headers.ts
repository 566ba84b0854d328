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
 * Whether the receiving MTA said SPF or DKIM passed for this message's From domain (RFC 8601
 * Authentication-Results). Only the topmost field counts, and only when it names `authservId`,
 * the inbound server whose verdict the admin trusts: the built-in receiver adds no such field, so
 * any other one was written further upstream, perhaps by the sender. The passing identity must be
 * the From domain or a parent of it (DKIM `header.d`, SPF `smtp.mailfrom`). No authservId: false.
 */
export function authenticationPassed(raw: Buffer, trust: { authservId: string | null; from: string | null }): boolean {
  const [top] = readRawHeader(raw, 'authentication-results')
  if (!top || !trust.authservId || !trust.from) return false
  const [serv, ...results] = top.replace(/\([^()]*\)/g, ' ').split(';')
  if (serv.trim().split(/\s+/)[0]?.toLowerCase() !== trust.authservId.trim().toLowerCase()) return false
  const fromDomain = trust.from.slice(trust.from.lastIndexOf('@') + 1).toLowerCase()
  const aligned = (identity: string | undefined) => {
    const domain = identity?.slice(identity.lastIndexOf('@') + 1).toLowerCase().replace(/^"|"$/g, '')
    return !!domain && (fromDomain === domain || fromDomain.endsWith(`.${domain}`))
  }
  return results.some((result) => {
    const method = /^\s*(dkim|spf)\s*=\s*pass\b/i.exec(result)?.[1]?.toLowerCase()
    if (!method) return false
    const property = method === 'dkim' ? /\bheader\.d\s*=\s*(\S+)/i : /\bsmtp\.mailfrom\s*=\s*(\S+)/i
    return aligned(property.exec(result)?.[1])
  })
}
