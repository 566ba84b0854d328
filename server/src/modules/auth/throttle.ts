import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database'

/**
 * Throttling kept in the `login_throttle` table, so every instance sees the same counts. A key
 * names what is counted: `email:` and `ip:` for failed logins, `reset-email:` and `reset-ip:` for
 * password-reset requests. Rows left over are deleted by the daily housekeeping job.
 */

/** At most `max` attempts in a fixed window of `windowMinutes` that starts at the first one. */
export interface ThrottleLimit { max: number; windowMinutes: number }

/** The seconds until the latest lockout among `keys` ends, or null when none is locked now. */
export async function lockedSeconds(db: Executor, keys: string[], now: Date): Promise<number | null> {
  const locks = await sql<{ locked_until: Date }>`
    select locked_until from login_throttle where key in (${sql.join(keys)}) and locked_until > ${now}`.execute(db)
  if (locks.rows.length === 0) return null
  const until = Math.max(...locks.rows.map((r) => new Date(r.locked_until).getTime()))
  return Math.ceil((until - now.getTime()) / 1000)
}

/** Counts a failure under `key`; reaching `limit.max` in the window locks the key for `lockMinutes`. */
export async function registerFailure(trx: Executor, key: string, limit: ThrottleLimit & { lockMinutes: number }, now: Date) {
  const windowStart = new Date(now.getTime() - limit.windowMinutes * 60_000)
  const lockUntil = new Date(now.getTime() + limit.lockMinutes * 60_000)
  await sql`
    insert into login_throttle (key, failures, window_start) values (${key}, 1, ${now})
    on conflict (key) do update set
      failures = case when login_throttle.window_start < ${windowStart} then 1 else login_throttle.failures + 1 end,
      window_start = case when login_throttle.window_start < ${windowStart} then ${now} else login_throttle.window_start end`.execute(trx)
  await sql`update login_throttle set locked_until = ${lockUntil}, failures = 0, window_start = ${now}
    where key = ${key} and failures >= ${limit.max}`.execute(trx)
}

/**
 * Counts one attempt under `key` and says whether it is within the limit; when it is not,
 * `retryAfterSeconds` is what is left of the window. One statement (an upsert that locks the row),
 * so concurrent attempts on several instances each get their own count.
 */
export async function countAttempt(trx: Executor, key: string, limit: ThrottleLimit, now: Date): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const windowStart = new Date(now.getTime() - limit.windowMinutes * 60_000)
  const row = (await sql<{ failures: number; window_start: Date }>`
    insert into login_throttle (key, failures, window_start) values (${key}, 1, ${now})
    on conflict (key) do update set
      failures = case when login_throttle.window_start <= ${windowStart} then 1 else login_throttle.failures + 1 end,
      window_start = case when login_throttle.window_start <= ${windowStart} then ${now} else login_throttle.window_start end
    returning failures, window_start`.execute(trx)).rows[0]
  const windowEnd = new Date(row.window_start).getTime() + limit.windowMinutes * 60_000
  return { allowed: row.failures <= limit.max, retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now.getTime()) / 1000)) }
}
