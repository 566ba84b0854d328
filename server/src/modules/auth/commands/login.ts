import { sql } from 'kysely'
import type { Db } from '../../../platform/db/database'
import { inTransaction } from '../../../platform/db/database'
import { AppError, RateLimitedError } from '../../../platform/http/errors'
import { randomSecret, sha256, verifyPassword } from '../../../platform/auth/secrets'
import { recordAudit } from '../../../platform/audit/audit'
import { lockedSeconds, registerFailure } from '../throttle'

/** Failures allowed per account or address inside the window before a temporary lockout. */
export const LOGIN_MAX_FAILURES = 5
const LOGIN_LIMIT = { max: LOGIN_MAX_FAILURES, windowMinutes: 15, lockMinutes: 15 }

export interface LoginResult { userId: string; cookieValue: string; csrfToken: string; expiresAt: Date }

/**
 * Checks email + password. Both the account (email) and the client address are throttled: five
 * failures within 15 minutes lock further attempts for 15 minutes, and the lockout answers 429
 * even with the right password. Records login / login_failed in the audit log.
 */
export async function login(db: Db, input: { email: string; password: string; ip: string; userAgent: string | null; sessionHours: number; now: Date }): Promise<LoginResult> {
  const email = input.email.trim().toLowerCase()
  const keys = [`email:${email}`, `ip:${input.ip}`]
  const seconds = await lockedSeconds(db, keys, input.now)
  if (seconds !== null) throw new RateLimitedError('auth.locked', { minutes: Math.ceil(seconds / 60) }, seconds)
  const user = (await sql<{ id: string; password_hash: string | null }>`
    select id, password_hash from users where lower(email) = ${email} and active and role is not null`.execute(db)).rows[0]
  const ok = await verifyPassword(user?.password_hash ?? null, input.password)
  if (!ok) {
    await inTransaction(db, async (trx) => {
      for (const key of keys) await registerFailure(trx, key, LOGIN_LIMIT, input.now)
      await recordAudit(trx, { actorId: user?.id ?? null, action: 'auth.login_failed', ip: input.ip, details: { email } })
    })
    throw new AppError(401, 'invalid_credentials', 'auth.invalid_credentials')
  }
  const cookieValue = randomSecret()
  const csrfToken = randomSecret(24)
  const expiresAt = new Date(input.now.getTime() + input.sessionHours * 3600_000)
  await inTransaction(db, async (trx) => {
    await sql`delete from login_throttle where key = ${keys[0]}`.execute(trx)
    await sql`insert into sessions (id, user_id, csrf_token, expires_at, ip, user_agent)
      values (${sha256(cookieValue)}, ${user!.id}, ${csrfToken}, ${expiresAt}, ${input.ip}, ${input.userAgent?.slice(0, 300) ?? null})`.execute(trx)
    await sql`update users set last_login_at = ${input.now} where id = ${user!.id}`.execute(trx)
    await recordAudit(trx, { actorId: user!.id, action: 'auth.login', ip: input.ip })
  })
  return { userId: user!.id, cookieValue, csrfToken, expiresAt }
}
