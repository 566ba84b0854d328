import net from 'node:net'
import { t } from '../../../platform/i18n/messages'
import type { Lang } from '../../../platform/i18n/locale'

/**
 * Why an IMAP mailbox could not be read, as a stable code. The admin API shows it with a message in
 * the caller's language (`email.imap_error.<code>` in email.messages.ts) and keeps the raw detail.
 */
export const IMAP_ERROR_CODES = [
  'connection_refused', 'host_not_found', 'host_unreachable', 'timeout', 'tls_failed', 'connection_closed',
  'auth_failed', 'folder_not_found', 'password_unreadable', 'other',
] as const
export type ImapErrorCode = (typeof IMAP_ERROR_CODES)[number]

export interface ImapFailure {
  code: ImapErrorCode
  /** The error as the library or the server said it (English, technical): for admins and logs. */
  detail: string
}

const BY_NODE_CODE: Record<string, ImapErrorCode> = {
  ECONNREFUSED: 'connection_refused',
  ENOTFOUND: 'host_not_found', EAI_AGAIN: 'host_not_found', EAI_NONAME: 'host_not_found', EAI_NODATA: 'host_not_found', EAI_FAIL: 'host_not_found',
  EHOSTUNREACH: 'host_unreachable', ENETUNREACH: 'host_unreachable', EADDRNOTAVAIL: 'host_unreachable',
  ETIMEDOUT: 'timeout', ETIMEOUT: 'timeout', CONNECT_TIMEOUT: 'timeout', GREETING_TIMEOUT: 'timeout', UPGRADE_TIMEOUT: 'timeout',
  EPROTO: 'tls_failed', STARTTLS_INJECTION: 'tls_failed', ClosedAfterConnectTLS: 'tls_failed',
  ECONNRESET: 'connection_closed', EPIPE: 'connection_closed', NoConnection: 'connection_closed', EConnectionClosed: 'connection_closed',
  ClosedAfterConnectText: 'connection_closed',
}

/** OpenSSL / Node TLS codes: certificate not trusted, expired, wrong name, protocol mismatch. */
const isTlsCode = (code: string) => /^(ERR_TLS_|ERR_SSL_)|CERT|_SIGNED_|UNABLE_TO_(GET|VERIFY)/.test(code)

interface LibraryError { code?: unknown; authenticationFailed?: unknown; mailboxMissing?: unknown; serverResponseCode?: unknown; responseText?: unknown }

/** Classifies an error thrown while connecting to or reading an IMAP mailbox (imapflow, Node's net/tls/dns). */
export function classifyImapError(err: unknown): ImapFailure {
  const e = (err && typeof err === 'object' ? err : {}) as LibraryError
  const message = err instanceof Error ? err.message : String(err)
  const responseText = typeof e.responseText === 'string' && e.responseText && !message.includes(e.responseText) ? e.responseText : ''
  const detail = (responseText ? `${message}: ${responseText}` : message).slice(0, 900)
  const code = typeof e.code === 'string' ? e.code : ''
  const serverCode = typeof e.serverResponseCode === 'string' ? e.serverResponseCode.toUpperCase() : ''
  if (e.authenticationFailed === true || serverCode === 'AUTHENTICATIONFAILED' || serverCode === 'AUTHORIZATIONFAILED') return { code: 'auth_failed', detail }
  if (e.mailboxMissing === true || serverCode === 'NONEXISTENT') return { code: 'folder_not_found', detail }
  if (BY_NODE_CODE[code]) return { code: BY_NODE_CODE[code], detail }
  if (code && isTlsCode(code)) return { code: 'tls_failed', detail }
  return { code: classifyText(detail), detail }
}

/** For text without a code (values stored before codes were, or an error that lost its properties). */
function classifyText(text: string): ImapErrorCode {
  if (/ECONNREFUSED/.test(text)) return 'connection_refused'
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME/.test(text)) return 'host_not_found'
  if (/EHOSTUNREACH|ENETUNREACH/.test(text)) return 'host_unreachable'
  if (/ETIMEDOUT|timed? ?out/i.test(text)) return 'timeout'
  if (/certificate|SSL routines|\bTLS\b/i.test(text)) return 'tls_failed'
  if (/AUTHENTICATIONFAILED|authentication failed|invalid credentials/i.test(text)) return 'auth_failed'
  if (/NONEXISTENT|mailbox doesn't exist/i.test(text)) return 'folder_not_found'
  if (/ATIENDE_SECRET_KEY/.test(text)) return 'password_unreadable'
  if (/ECONNRESET|connection (not available|closed)/i.test(text)) return 'connection_closed'
  return 'other'
}

/**
 * How a failure is kept in `mailboxes.last_error`: `[code] detail`. One text column keeps the
 * schema as it was; `parseStoredImapError` also reads values written before the code was.
 */
export function storedImapError(failure: ImapFailure): string {
  return `[${failure.code}] ${failure.detail}`.slice(0, 1000)
}

export function parseStoredImapError(stored: string): ImapFailure {
  const m = /^\[([a-z_]+)\] ([\s\S]*)$/.exec(stored)
  if (m && (IMAP_ERROR_CODES as readonly string[]).includes(m[1])) return { code: m[1] as ImapErrorCode, detail: m[2] }
  return { code: classifyText(stored), detail: stored }
}

/** The mailbox's last error for the API: code, message in the caller's language, raw detail. */
export function presentImapError(stored: string | null, lang: Lang): { code: ImapErrorCode; message: string; detail: string } | null {
  if (!stored) return null
  const failure = parseStoredImapError(stored)
  return { ...failure, message: t(lang, `email.imap_error.${failure.code}`) }
}

// One DNS label: letters, digits and inner hyphens (underscores are seen in the wild on internal names).
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/i

/** A host name (RFC 1123 labels, an optional final dot) or an IPv4/IPv6 literal; nothing else. */
export function isImapHost(value: string): boolean {
  if (net.isIP(value)) return true
  const name = value.endsWith('.') ? value.slice(0, -1) : value
  if (name.length === 0 || name.length > 253) return false
  const labels = name.split('.')
  // All-numeric dotted names that are not valid IPv4 (999.1.1.1) are typos, not host names.
  if (labels.every((l) => /^\d+$/.test(l))) return false
  return labels.every((l) => LABEL.test(l))
}
