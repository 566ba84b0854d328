import { sql } from 'kysely'
import { randomSecret } from '../../platform/auth/secrets'
import type { AppContext } from '../../platform/context'
import { inTransaction } from '../../platform/db/database'

const cache = new WeakMap<AppContext, { secrets: string[]; at: number }>()
const TTL_MS = 60_000

/**
 * The HMAC secrets for reply tokens and one-click links, newest first: EMAIL_REPLY_SECRETS when
 * set, else the rows of email_secrets (one is generated on first use). Older secrets still
 * verify, so a rotation does not break replies to mail sent before it.
 */
export async function emailSecrets(ctx: AppContext): Promise<string[]> {
  const fromEnv = (process.env.EMAIL_REPLY_SECRETS ?? '').split(',').map((s) => s.trim()).filter((s) => s.length >= 16)
  if (fromEnv.length) return fromEnv
  const hit = cache.get(ctx)
  if (hit && Date.now() - hit.at < TTL_MS) return hit.secrets
  let rows = (await sql<{ secret: string }>`select secret from email_secrets order by id desc`.execute(ctx.db)).rows
  if (rows.length === 0) {
    rows = await inTransaction(ctx.db, async (trx) => {
      // Two instances starting together: the advisory lock makes the second one read the first's secret.
      await sql`select pg_advisory_xact_lock(730001)`.execute(trx)
      const again = (await sql<{ secret: string }>`select secret from email_secrets order by id desc`.execute(trx)).rows
      if (again.length) return again
      await sql`insert into email_secrets (secret) values (${randomSecret(32)})`.execute(trx)
      return (await sql<{ secret: string }>`select secret from email_secrets order by id desc`.execute(trx)).rows
    })
  }
  const secrets = rows.map((r) => r.secret)
  cache.set(ctx, { secrets, at: Date.now() })
  return secrets
}
