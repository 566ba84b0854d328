import { sql } from 'kysely'
import type { Db } from '../../../platform/db/database'
import { inTransaction } from '../../../platform/db/database'
import { RateLimitedError } from '../../../platform/http/errors'
import { recordAudit } from '../../../platform/audit/audit'
import { systemFromAddress } from '../system-address'
import { countAttempt, type ThrottleLimit } from '../throttle'
import { sendPasswordLink } from './password-links'

/** Reset mails one address may receive per window; more requests are answered but send nothing. */
export const RESET_PER_ADDRESS: ThrottleLimit = { max: 3, windowMinutes: 60 }
/** Reset requests one client address may make per window, whatever the addresses; more answer 429. */
export const RESET_PER_IP: ThrottleLimit = { max: 10, windowMinutes: 60 }

/**
 * Emails a reset link to the active user with this address, if there is one and the address has
 * not had its share of reset mails this hour. The caller cannot tell which happened (no account
 * enumeration); only a client address over its own limit is told (429). Audits
 * `auth.password_reset_requested`, or `auth.password_reset_throttled` when a user's mail is held back.
 */
export async function requestPasswordReset(db: Db, input: { email: string; ip: string; publicUrl: string; now: Date }): Promise<void> {
  const email = input.email.trim().toLowerCase()
  await inTransaction(db, async (trx) => {
    const byIp = await countAttempt(trx, `reset-ip:${input.ip}`, RESET_PER_IP, input.now)
    if (!byIp.allowed) {
      throw new RateLimitedError('auth.reset_throttled', { minutes: Math.ceil(byIp.retryAfterSeconds / 60) }, byIp.retryAfterSeconds)
    }
    // Counted for unknown addresses too, so existing and unknown ones behave alike.
    const byAddress = await countAttempt(trx, `reset-email:${email}`, RESET_PER_ADDRESS, input.now)
    const user = (await sql<{ id: string; email: string; name: string; locale: string }>`
      select id, email, name, locale from users where lower(email) = ${email} and active`.execute(trx)).rows[0]
    if (!user) return
    if (!byAddress.allowed) {
      await recordAudit(trx, { actorId: user.id, action: 'auth.password_reset_throttled', ip: input.ip })
      return
    }
    await sendPasswordLink(trx, { purpose: 'reset', user, publicUrl: input.publicUrl, from: await systemFromAddress(trx, input.publicUrl), now: input.now })
    await recordAudit(trx, { actorId: user.id, action: 'auth.password_reset_requested', ip: input.ip })
  })
}
