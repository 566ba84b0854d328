import { isValidAddress, normaliseAddress } from './addresses'

/** One recipient a bounce says could not get our mail. */
export interface FailedRecipient {
  address: string
  /** Enhanced status code (RFC 3463), e.g. "5.1.1"; null when the bounce gives none. */
  status: string | null
  /** 5.x.x or no code: the address should be marked failing; 4.x.x and 5.2.2 (mailbox full): a temporary problem (isPermanentStatus). */
  permanent: boolean
  diagnostic: string | null
}

/** Per-recipient fields of message/delivery-status parts (RFC 3464), failed or delayed. */
export function parseDeliveryStatus(parts: readonly string[]): { failed: FailedRecipient[]; delayed: string[] } {
  const failed: FailedRecipient[] = []
  const delayed: string[] = []
  for (const part of parts) {
    for (const block of part.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
      const fields = readFields(block)
      const address = dsnAddress(fields.get('original-recipient')) ?? dsnAddress(fields.get('final-recipient'))
      if (!address) continue
      const action = (fields.get('action') ?? '').toLowerCase().trim()
      const status = /\d\.\d{1,3}\.\d{1,3}/.exec(fields.get('status') ?? '')?.[0] ?? null
      if (action === 'delayed') delayed.push(address)
      else if (action === 'failed' || (!action && status?.startsWith('5'))) {
        failed.push({ address, status, permanent: isPermanentStatus(status), diagnostic: fields.get('diagnostic-code')?.trim() || null })
      }
    }
  }
  return { failed: dedupe(failed), delayed: [...new Set(delayed)] }
}

/**
 * Whether a failed delivery's enhanced status (RFC 3463) means the address does not work: 5.x.x
 * or no code does; 4.x.x (temporary) does not, nor 5.2.2 "mailbox full", which RFC 3463 files as
 * permanent but clears once its owner makes room (RFC 3463 §3.3 allows treating it as transient).
 */
export function isPermanentStatus(status: string | null): boolean {
  if (!status) return true
  return !status.startsWith('4') && status !== '5.2.2'
}

// Phrases after which bounces without a DSN part list the failed addresses (one per line).
const LIST_INTRO =
  /(following (?:recipient|address)|these recipients|recipient\(s\)|could not be delivered to|destinatarios|destinataires|destinatari|wasn't able to deliver|unable to deliver|failed permanently|no se pudo entregar)/i
const COPY_START = /^(-{2,}.*(copy of|below this line|original message|mensaje original|undelivered message).*|original message headers:?)$/i

/**
 * Failed addresses of a bounce that has no DSN part: the X-Failed-Recipients header (Exim,
 * Gmail), else addresses on the lines after phrases like "Delivery has failed to these
 * recipients" or qmail's "<address>:" lines, before the copy of the original message.
 * `exclude` holds our own addresses (a bounce is addressed to us).
 */
export function failedRecipientsFromText(text: string, xFailedRecipients: string | undefined, exclude: readonly string[]): FailedRecipient[] {
  const skip = new Set(exclude.map((a) => a.toLowerCase()))
  const keep = (address: string) => isValidAddress(address) && !skip.has(address) && !/^(mailer-daemon|postmaster)@/.test(address)
  const toRecipient = (address: string): FailedRecipient => ({ address, status: null, permanent: true, diagnostic: null })

  if (xFailedRecipients) {
    const listed = xFailedRecipients.split(/[,\s]+/).map(normaliseAddress).filter(keep)
    if (listed.length) return dedupe(listed.map(toRecipient))
  }
  const found: string[] = []
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  let listing = 0
  for (const line of lines) {
    if (COPY_START.test(line.trim())) break
    const qmail = /^\s*<([^<>\s]+@[^<>\s]+)>:\s*$/.exec(line)
    if (qmail) found.push(normaliseAddress(qmail[1]))
    if (LIST_INTRO.test(line)) {
      listing = 6
      continue
    }
    if (listing > 0) {
      listing--
      const first = /^\s*<?([^\s<>@]+@[^\s<>]+?)>?(?:<mailto:[^>]*>)?(?:\s|:|$)/.exec(line)
      if (first) found.push(normaliseAddress(first[1]))
    }
  }
  return dedupe(found.filter(keep).map(toRecipient))
}

function readFields(block: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) fields.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  return fields
}

/** "rfc822; <User@Example.com>" → "user@example.com". */
function dsnAddress(value: string | undefined): string | null {
  if (!value) return null
  const address = normaliseAddress(value.slice(value.indexOf(';') + 1))
  return isValidAddress(address) ? address : null
}

function dedupe(list: FailedRecipient[]): FailedRecipient[] {
  const seen = new Set<string>()
  return list.filter((r) => !seen.has(r.address) && seen.add(r.address))
}
