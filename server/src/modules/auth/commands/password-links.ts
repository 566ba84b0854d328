import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import { hashPassword, randomSecret, sha256 } from '../../../platform/auth/secrets'
import { ValidationError } from '../../../platform/http/errors'
import { queueMail } from '../../../platform/mail/send-mail.job'
import { t } from '../../../platform/i18n/messages'
import { pickLang } from '../../../platform/i18n/locale'
import { recordAudit } from '../../../platform/audit/audit'

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

/** Consumes a link: sets the password, marks the token used, ends other sessions. */
export async function consumeLinkToken(trx: Executor, token: string, password: string, now: Date): Promise<{ userId: string; purpose: LinkPurpose }> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new ValidationError('auth.weak_password')
  const row = (await sql<{ user_id: string | null; purpose: LinkPurpose }>`
    update user_tokens set used_at = ${now}
    where token_hash = ${sha256(token)} and used_at is null and expires_at > ${now}
    returning user_id, purpose`.execute(trx)).rows[0]
  if (!row || !row.user_id) throw new ValidationError('auth.invalid_token', {}, null, 'invalid_token')
  const hash = await hashPassword(password)
  await sql`update users set password_hash = ${hash}, password_changed_at = ${now}, updated_at = ${now} where id = ${row.user_id}`.execute(trx)
  await sql`delete from sessions where user_id = ${row.user_id}`.execute(trx)
  await recordAudit(trx, { actorId: row.user_id, action: `auth.password_${row.purpose === 'reset' ? 'reset' : 'set'}` })
  return { userId: row.user_id, purpose: row.purpose }
}
