import { compactReplyToken, createReplyToken, randomBase32 } from '../reply-token'

/** What buildOutboundHeaders needs about one email to one recipient. */
export interface OutboundHeadersInput {
  ticketId: string
  ticketNumber: number
  /** The address this copy goes to; the reply token is bound to it. */
  recipient: string
  /** The mailbox the ticket belongs to: From and Reply-To. */
  mailbox: { address: string; name?: string }
  /** Domain of our Message-IDs (usually the mailbox's domain). */
  messageIdDomain: string
  secret: string
  /** Message-IDs of the ticket's earlier mails, oldest first (the customer's first message first). */
  thread: readonly string[]
  /** Put the reply token in Reply-To as `local+{token}@domain` (the mailbox must accept plus addresses). */
  plusAddressing?: boolean
  /** True for notifications the system writes (ticket created, status changes); false for a person's reply. */
  automatic: boolean
  /** For tests: the random part of the Message-ID. */
  random?: () => string
}

/** Header fields in the shape of the platform mailer's OutgoingMail. */
export interface OutboundHeaders {
  messageId: string
  inReplyTo?: string
  references: string[]
  replyTo: string
  headers: Record<string, string>
}

const MAX_REFERENCES = 10

/**
 * Builds the headers that make our mail thread in the customer's client and come back to the
 * right ticket: a Message-ID `<ticket-{id}.{random}.{mac}@{domain}>` carrying the recipient's
 * reply token, In-Reply-To the newest message of the ticket, References the first message plus
 * the newest ones (RFC 5322 §3.6.4, trimmed to 10), Reply-To the mailbox (with the token as a
 * plus address when enabled). Automatic notifications say so (RFC 3834 Auto-Submitted) and ask
 * Exchange not to answer them, so out-of-office replies do not bounce back and forth.
 */
export function buildOutboundHeaders(input: OutboundHeadersInput): OutboundHeaders {
  const token = createReplyToken(input.ticketId, input.recipient, input.secret)
  const mac = token.slice(token.lastIndexOf('.') + 1)
  const random = input.random?.() ?? randomBase32(12)
  const messageId = `<ticket-${input.ticketId}.${random}.${mac}@${input.messageIdDomain.toLowerCase()}>`

  const thread = input.thread.filter((id) => /^<[^<>\s]+>$/.test(id))
  const references = thread.length > MAX_REFERENCES ? [thread[0], ...thread.slice(-(MAX_REFERENCES - 1))] : [...thread]
  const headers: Record<string, string> = {
    'X-Atiende-Ticket': String(input.ticketNumber),
    'X-Auto-Response-Suppress': 'All',
  }
  if (input.automatic) headers['Auto-Submitted'] = 'auto-generated'

  return {
    messageId,
    ...(thread.length ? { inReplyTo: thread[thread.length - 1] } : {}),
    references,
    replyTo: formatAddress(input.mailbox.name, input.plusAddressing ? plusAddress(input.mailbox.address, compactReplyToken(token)) : input.mailbox.address),
    headers,
  }
}

/** `local+tag@domain`. */
export function plusAddress(address: string, tag: string): string {
  const at = address.lastIndexOf('@')
  return `${address.slice(0, at)}+${tag}${address.slice(at)}`
}

/** `"Name" <address>` with the name quoted; nodemailer encodes non-ASCII names when sending. */
export function formatAddress(name: string | undefined, address: string): string {
  const clean = (name ?? '').replace(/[\r\n]+/g, ' ').trim()
  return clean ? `"${clean.replace(/["\\]/g, '\\$&')}" <${address}>` : address
}
