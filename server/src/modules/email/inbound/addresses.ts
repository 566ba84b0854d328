import type { AddressObject, EmailAddress } from 'mailparser'
import addressparser from 'nodemailer/lib/addressparser/index.js'
import type { MailAddress } from './inbound-message'

const ADDRESS = /^[^\s@<>()",;:\\[\]]+@[^\s@<>()",;:\\[\]]+\.[^\s@<>()",;:\\[\].]+$/u

/** True for something that can receive mail: local@domain.tld, no spaces or brackets. */
export function isValidAddress(address: string): boolean {
  return address.length <= 320 && ADDRESS.test(address)
}

/**
 * Trims, drops RFC 5322 comments ("pete(his account)@silly.test") and a trailing dot, and
 * lower-cases: mailbox matching in our system is case-insensitive.
 */
export function normaliseAddress(address: string): string {
  return address
    .replace(/\((?:[^()\\]|\\.)*\)/g, '')
    .trim()
    .replace(/^<|>$/g, '')
    .replace(/\.$/, '')
    .toLowerCase()
}

/** Removes control characters (NUL breaks PostgreSQL text) and collapses whitespace. */
export function cleanHeaderText(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim()
}

/** Flattens mailparser's address objects (several headers, groups) into valid addresses only. */
export function flattenAddresses(input: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const out: MailAddress[] = []
  const seen = new Set<string>()
  const visit = (entry: EmailAddress) => {
    if (entry.group) {
      entry.group.forEach(visit)
      return
    }
    const address = normaliseAddress(entry.address ?? '')
    if (!isValidAddress(address) || seen.has(address)) return
    seen.add(address)
    out.push({ address, name: cleanName(entry.name, address) })
  }
  for (const obj of input === undefined ? [] : Array.isArray(input) ? input : [input]) {
    obj.value.forEach(visit)
  }
  return out
}

function cleanName(name: string | undefined, address: string): string {
  const cleaned = cleanHeaderText(name ?? '').replace(/^(["'])(.*)\1$/, '$2').trim()
  return cleaned.toLowerCase() === address ? '' : cleaned
}

/**
 * Second chance for a header mailparser could not split (e.g. RFC 5322 comments inside the
 * address): strip comments from the raw value and parse it with nodemailer's address parser.
 */
export function parseRawAddressHeader(raw: string): MailAddress[] {
  let value = raw
  const comment = /\((?:[^()\\]|\\.)*\)/g
  for (let i = 0; i < 5 && comment.test(value); i++) value = value.replace(comment, ' ')
  const out: MailAddress[] = []
  for (const entry of addressparser(value, { flatten: true })) {
    const address = normaliseAddress(entry.address ?? '')
    if (isValidAddress(address)) out.push({ address, name: cleanName(entry.name, address) })
  }
  return out
}
