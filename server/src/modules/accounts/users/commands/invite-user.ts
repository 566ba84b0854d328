import { sql } from 'kysely'
import type { Trx } from '../../../../platform/db/database'
import type { Actor } from '../../../../platform/auth/actor'
import { ConflictError, NotFoundError } from '../../../../platform/http/errors'
import { recordAudit } from '../../../../platform/audit/audit'
import { sendPasswordLink } from '../../../auth/commands/password-links'
import { systemFromAddress } from '../../../auth/system-address'

/**
 * Emails a user a single-use link to set their password (72 h). Earlier unused invitation links
 * stop working, so only the newest one is valid. Audits `user.invited`.
 */
export async function inviteUser(trx: Trx, actor: Actor, userId: string, opts: { ip: string | null; publicUrl: string; now: Date }) {
  const user = (await sql<{ id: string; email: string | null; name: string; locale: string; active: boolean }>`
    select id, email, name, locale, active from users where id = ${userId} for update`.execute(trx)).rows[0]
  if (!user) throw new NotFoundError('users.not_found')
  if (!user.active) throw new ConflictError('user_inactive', 'users.invite_inactive')
  if (!user.email) throw new ConflictError('user_without_email', 'users.invite_no_email')
  const superseded = await sql`update user_tokens set used_at = ${opts.now}
    where user_id = ${userId} and purpose = 'invite' and used_at is null`.execute(trx)
  await sendPasswordLink(trx, {
    purpose: 'invite',
    user: { id: user.id, email: user.email, name: user.name, locale: user.locale },
    publicUrl: opts.publicUrl,
    from: await systemFromAddress(trx, opts.publicUrl),
    now: opts.now,
  })
  await recordAudit(trx, {
    actorId: actor.id, action: 'user.invited', targetType: 'user', targetId: userId, ip: opts.ip,
    details: { email: user.email, supersededLinks: Number(superseded.numAffectedRows ?? 0) },
  })
}
