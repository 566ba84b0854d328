import { sql } from 'kysely'
import { inTransaction, type Db, type Executor } from '../../../platform/db/database'
import { hashPassword, randomSecret, sha256 } from '../../../platform/auth/secrets'
import { ValidationError } from '../../../platform/http/errors'
import { queueMail } from '../../../platform/mail/send-mail.job'
import { t } from '../../../platform/i18n/messages'
import { pickLang } from '../../../platform/i18n/locale'
import { recordAudit } from '../../../platform/audit/audit'
import { notifyAccessChanged } from '../../../platform/realtime/realtime'

export type LinkPurpose = 'reset' | 'invite' | 'setup'

const LIFETIME_HOURS: Record<LinkPurpose, number> = { reset: 1, invite: 72, setup: 24 }

export const MIN_PASSWORD_LENGTH = 10

/** Creates a single-use, expiring link token (stored hashed) and returns the raw token. */
export async function createLinkToken(db: Executor, purpose: LinkPurpose, userId: string | null, now: Date): Promise<string> {
  const token = randomSecret()
  const expires = new Date(now.getTime() + LIFETIME_HOURS[purpose] * 3600_000)
  await sql`insert into user_tokens (token_hash, user_id, purpose, expires_at) values (${sha256(token)}, ${userId}, ${purpose}, ${expires})`.execute(db)
  return token
}

/** Emails a reset or invitation link to the user, in their language. */
export async function sendPasswordLink(db: Executor, opts: { purpose: 'reset' | 'invite'; user: { id: string; email: string; name: string; locale: string }; publicUrl: string; from: string; now: Date }) {
  const token = await createLinkToken(db, opts.purpose, opts.user.id, opts.now)
  const lang = pickLang(opts.user.locale)
  const link = `${opts.publicUrl}/set-password?token=${encodeURIComponent(token)}`
  const params = { name: opts.user.name, link, hours: LIFETIME_HOURS[opts.purpose] }
  await queueMail(db, {
    from: opts.from,
    to: opts.user.email,
    subject: t(lang, `auth.mail.${opts.purpose}.subject`),
    text: t(lang, `auth.mail.${opts.purpose}.body`, params),
  })
}

/**
 * Spends every unused reset and invitation link of the user: each of them sets the password, so
 * once it is set (by a link, by the user, by an admin) the others must not set it again. Returns
 * how many were spent. Setup links belong to no user and are not touched.
 */
export async function spendPasswordLinks(trx: Executor, userId: string, now: Date): Promise<number> {
  const spent = await sql`update user_tokens set used_at = ${now}
    where user_id = ${userId} and purpose in ('reset', 'invite') and used_at is null`.execute(trx)
  return Number(spent.numAffectedRows ?? 0)
}

/**
 * Consumes a reset or invitation link: sets the password, spends this link and the user's other
 * unused ones, ends the user's sessions. Audits `auth.password_reset` or `auth.password_set`.
 */
export async function consumeLinkToken(db: Db, token: string, password: string, now: Date): Promise<{ userId: string; purpose: LinkPurpose }> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new ValidationError('auth.weak_password')
  const tokenHash = sha256(token)
  const usable = sql<{ user_id: string; purpose: LinkPurpose }>`
    select user_id, purpose from user_tokens
    where token_hash = ${tokenHash} and purpose in ('reset', 'invite') and user_id is not null and used_at is null and expires_at > ${now}`
  // A wrong link fails before the (slow) hashing, which runs outside the transaction.
  if ((await usable.execute(db)).rows.length === 0) throw invalidLink()
  const hash = await hashPassword(password)
  return inTransaction(db, async (trx) => {
    const found = (await usable.execute(trx)).rows[0]
    if (!found) throw invalidLink()
    // Two links of one user used at once: the user's row lock makes the second wait, and then it
    // finds its link spent by the first.
    await sql`select 1 from users where id = ${found.user_id} for update`.execute(trx)
    const mine = await sql`update user_tokens set used_at = ${now} where token_hash = ${tokenHash} and used_at is null`.execute(trx)
    if (Number(mine.numAffectedRows ?? 0) === 0) throw invalidLink()
    const otherLinksSpent = await spendPasswordLinks(trx, found.user_id, now)
    await sql`update users set password_hash = ${hash}, password_changed_at = ${now}, updated_at = ${now} where id = ${found.user_id}`.execute(trx)
    await sql`delete from sessions where user_id = ${found.user_id}`.execute(trx)
    await notifyAccessChanged(trx)
    await recordAudit(trx, { actorId: found.user_id, action: `auth.password_${found.purpose === 'reset' ? 'reset' : 'set'}`, details: { otherLinksSpent } })
    return { userId: found.user_id, purpose: found.purpose }
  })
}

const invalidLink = () => new ValidationError('auth.invalid_token', {}, null, 'invalid_token')
