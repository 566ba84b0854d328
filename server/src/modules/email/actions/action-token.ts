import { createHmac, timingSafeEqual } from 'node:crypto'

/** What a one-click link in a "resolved" email lets its recipient do. */
export type TicketAction = 'confirm' | 'reopen'

export interface ActionClaims {
  ticketId: string
  userId: string
  action: TicketAction
  /** Expiry, seconds since the epoch. */
  exp: number
}

const VERSION = 'atiende-action-v1'

/**
 * Signs a one-click link: base64url(JSON claims) + "." + HMAC-SHA256 under the newest email
 * secret. The link acts for one user on one ticket, for one action, until it expires.
 */
export function signActionToken(claims: ActionClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify({ t: claims.ticketId, u: claims.userId, a: claims.action, e: claims.exp })).toString('base64url')
  return `${body}.${mac(body, secret)}`
}

/** Checks a link's signature (any of the secrets, for rotation) and expiry; null when invalid. */
export function verifyActionToken(token: string, secrets: readonly string[], now: Date): ActionClaims | null {
  const [body, signature, extra] = token.split('.')
  if (!body || !signature || extra !== undefined || body.length > 600) return null
  const given = Buffer.from(signature)
  const ok = secrets.some((secret) => {
    const expected = Buffer.from(mac(body, secret))
    return expected.length === given.length && timingSafeEqual(expected, given)
  })
  if (!ok) return null
  try {
    const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { t?: unknown; u?: unknown; a?: unknown; e?: unknown }
    if (typeof c.t !== 'string' || typeof c.u !== 'string' || (c.a !== 'confirm' && c.a !== 'reopen') || typeof c.e !== 'number') return null
    if (c.e * 1000 < now.getTime()) return null
    return { ticketId: c.t, userId: c.u, action: c.a, exp: c.e }
  } catch {
    return null
  }
}

function mac(body: string, secret: string): string {
  return createHmac('sha256', secret).update(`${VERSION}\n${body}`).digest('base64url')
}
