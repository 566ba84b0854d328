import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567'
const MAC_LENGTH = 16 // 80 bits of HMAC-SHA256, in lower-case base32
const TICKET_ID = /^[0-9a-z][0-9a-z-]{0,63}$/i

/**
 * A reply token ties one ticket to one recipient address: `{ticketId}.{mac}`, where mac is an
 * HMAC of both under the server secret. We put it in the Message-ID (and, with plus addressing,
 * the Reply-To) of every notification, so a reply carries it back in In-Reply-To/References.
 * Because it is bound to the recipient, a customer's token cannot make their mail pass as an
 * agent's: mail from an agent address counts as an agent reply only with a token made for it.
 */
export function createReplyToken(ticketId: string, recipient: string, secret: string): string {
  assertTicketId(ticketId)
  return `${ticketId}.${mac(ticketId, recipient, secret)}`
}

/**
 * Checks a reply token against the address the mail came from. `secret` may list the current
 * secret and older ones (rotation). Returns the ticket id, or null when the token is malformed,
 * forged, or was made for another address.
 */
export function verifyReplyToken(
  token: string,
  secret: string | readonly string[],
  sender: string,
): { ticketId: string } | null {
  const parsed = parseReplyToken(token)
  if (!parsed) return null
  for (const key of typeof secret === 'string' ? [secret] : secret) {
    const expected = Buffer.from(mac(parsed.ticketId, sender, key))
    const given = Buffer.from(parsed.mac)
    if (expected.length === given.length && timingSafeEqual(expected, given)) return { ticketId: parsed.ticketId }
  }
  return null
}

/**
 * Splits `{ticketId}.{mac}`, also in its compact form (the ticket's UUID in 26 base32 characters,
 * see compactReplyToken); null when it has neither shape.
 */
export function parseReplyToken(token: string): { ticketId: string; mac: string } | null {
  const match = /^([0-9a-z][0-9a-z-]{0,63})\.([a-z2-7]{16})$/i.exec(token.trim())
  if (!match) return null
  const compact = /^[a-z2-7]{26}$/i.test(match[1]) ? uuidFromBase32(match[1].toLowerCase()) : null
  return { ticketId: compact ?? match[1], mac: match[2].toLowerCase() }
}

/**
 * The same token with the ticket's UUID written in 26 base32 characters instead of 36: what goes
 * in a plus address (`soporte+{token}@…`), whose part before the @ may not pass 64 characters
 * (RFC 5321) — with the long form even `soporte+` reached 61. Other ids are left as they are.
 */
export function compactReplyToken(token: string): string {
  const parsed = parseReplyToken(token)
  if (!parsed || !UUID.test(parsed.ticketId)) return token
  return `${base32(Buffer.from(parsed.ticketId.replace(/-/g, ''), 'hex'))}.${parsed.mac}`
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function uuidFromBase32(text: string): string | null {
  let bits = 0
  let value = 0
  const bytes: number[] = []
  for (const ch of text) {
    value = ((value << 5) | BASE32.indexOf(ch)) & 0xffff
    bits += 5
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  if (bytes.length < 16) return null
  const hex = Buffer.from(bytes.slice(0, 16)).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** Random lower-case base32 characters (for the unique part of a Message-ID). */
export function randomBase32(length: number, random: (size: number) => Buffer = randomBytes): string {
  return base32(random(Math.ceil((length * 5) / 8))).slice(0, length)
}

function mac(ticketId: string, recipient: string, secret: string): string {
  if (!secret) throw new Error('reply token secret is empty')
  const digest = createHmac('sha256', secret)
    .update(`atiende-reply-v1\n${ticketId}\n${recipient.trim().toLowerCase()}`)
    .digest()
  return base32(digest).slice(0, MAC_LENGTH)
}

function base32(bytes: Buffer): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31]
  return out
}

function assertTicketId(ticketId: string) {
  if (!TICKET_ID.test(ticketId)) throw new Error(`ticket id not usable in a Message-ID: ${ticketId}`)
}
