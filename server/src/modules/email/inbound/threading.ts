import type { InboundMessage } from './inbound-message'
import { parseReplyToken, verifyReplyToken } from '../reply-token'

export { verifyReplyToken }

/** Parts of a Message-ID we generated: `<ticket-{ticketId}.{random}.{mac}@{domain}>`. */
export interface OurMessageId {
  ticketId: string
  random: string
  /** `{ticketId}.{mac}`, for verifyReplyToken. */
  token: string
  domain: string
}

const OUR_MESSAGE_ID = /^<?ticket-([0-9a-z][0-9a-z-]{0,63})\.([a-z2-7]{8,32})\.([a-z2-7]{16})@([^<>@\s]+)>?$/i

/** Reads one of our Message-IDs; null for anything else (or for another domain when `domains` is given). */
export function parseOurMessageId(messageId: string, domains?: readonly string[]): OurMessageId | null {
  const match = OUR_MESSAGE_ID.exec(messageId.trim())
  if (!match) return null
  const domain = match[4].toLowerCase()
  if (domains && !domains.some((d) => d.toLowerCase() === domain)) return null
  return { ticketId: match[1], random: match[2].toLowerCase(), token: `${match[1]}.${match[3].toLowerCase()}`, domain }
}

/** Default ticket tags in subjects; `{number}` stands for the ticket number. */
export const DEFAULT_SUBJECT_PATTERNS = ['[#{number}]', 'Ticket #{number}', 'Ticket: {number}', 'Caso #{number}']

/**
 * Compiles admin-editable subject patterns ("[#{number}]", "Caso #{number}") into regular
 * expressions: literal text, case-insensitive, spaces and the gap after "#" or ":" flexible.
 * Admins never write regular expressions, so a pattern cannot be slow or match by accident.
 */
export function compileSubjectPatterns(patterns: readonly string[] = DEFAULT_SUBJECT_PATTERNS): RegExp[] {
  return patterns
    .filter((p) => p.includes('{number}'))
    .map((pattern) => {
      const [before, after] = pattern.split('{number}', 2)
      const literal = (s: string) =>
        s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s*').replace(/([#:])$/, '$1\\s*')
      const start = /^[\p{L}\p{N}]/u.test(before) ? '(?<![\\p{L}\\p{N}])' : ''
      return new RegExp(`${start}${literal(before)}(\\d{1,12})(?!\\d)${literal(after)}`, 'iu')
    })
}

/** Ticket numbers tagged in a subject, in order of appearance, without duplicates. */
export function findTicketNumbersInSubject(subject: string, patterns: readonly RegExp[] = compileSubjectPatterns()): number[] {
  const found: { index: number; number: number }[] = []
  for (const pattern of patterns) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g')
    for (const match of subject.matchAll(global)) found.push({ index: match.index ?? 0, number: Number(match[1]) })
  }
  found.sort((a, b) => a.index - b.index)
  return [...new Set(found.map((f) => f.number))]
}

/** How an inbound message may belong to an existing ticket, strongest evidence first. */
export interface ThreadCandidates {
  /** Our Message-IDs found in In-Reply-To, then References from newest to oldest. */
  ourMessageIds: (OurMessageId & { messageId: string; header: 'in-reply-to' | 'references' })[]
  /** Reply tokens found as plus addresses of our mailboxes in To/Cc (`soporte+{token}@…`). */
  addressTokens: { ticketId: string; token: string; address: string }[]
  /** Every referenced Message-ID (ours and others'), newest first, to look up mail we sent or stored. */
  referencedMessageIds: string[]
  /** Ticket numbers tagged in the subject. Never match a ticket by the subject's words alone. */
  subjectNumbers: number[]
}

export interface ThreadingOptions {
  /** Domains of our Message-IDs; others' ids shaped like ours are ignored. */
  messageIdDomains: readonly string[]
  /** Our mailbox addresses, to read plus-address tokens from To/Cc. */
  mailboxAddresses?: readonly string[]
  subjectPatterns?: readonly RegExp[]
}

/** Collects the references a message carries; deciding which ticket wins is the caller's job. */
export function findThreadCandidates(message: InboundMessage, options: ThreadingOptions): ThreadCandidates {
  const referenced = [...(message.inReplyTo ? [message.inReplyTo] : []), ...[...message.references].reverse()]
  const referencedMessageIds = [...new Set(referenced)]
  const ourMessageIds: ThreadCandidates['ourMessageIds'] = []
  referencedMessageIds.forEach((messageId) => {
    const ours = parseOurMessageId(messageId, options.messageIdDomains)
    if (ours) ourMessageIds.push({ ...ours, messageId, header: messageId === message.inReplyTo ? 'in-reply-to' : 'references' })
  })
  return {
    ourMessageIds,
    addressTokens: findAddressTokens(message, options.mailboxAddresses ?? []),
    referencedMessageIds,
    subjectNumbers: findTicketNumbersInSubject(message.subject, options.subjectPatterns ?? compileSubjectPatterns()),
  }
}

/**
 * The ticket a reply token in this message proves the sender may act on, or null. Looks at our
 * Message-IDs and plus addresses, and accepts only a token made for the From address.
 */
export function findVerifiedReplyToken(
  message: InboundMessage,
  candidates: ThreadCandidates,
  secret: string | readonly string[],
): { ticketId: string } | null {
  if (!message.from) return null
  const tokens = [...candidates.ourMessageIds.map((c) => c.token), ...candidates.addressTokens.map((c) => c.token)]
  for (const token of tokens) {
    const verified = verifyReplyToken(token, secret, message.from.address)
    if (verified) return verified
  }
  return null
}

function findAddressTokens(message: InboundMessage, mailboxes: readonly string[]) {
  const boxes = mailboxes.map((m) => m.toLowerCase().split('@'))
  const out: ThreadCandidates['addressTokens'] = []
  for (const { address } of [...message.to, ...message.cc]) {
    const [local, domain] = address.split('@')
    const plus = local.indexOf('+')
    if (plus === -1) continue
    const base = local.slice(0, plus)
    if (!boxes.some(([l, d]) => l === base && d === domain)) continue
    const parsed = parseReplyToken(local.slice(plus + 1))
    if (parsed) out.push({ ticketId: parsed.ticketId, token: `${parsed.ticketId}.${parsed.mac}`, address })
  }
  return out
}
