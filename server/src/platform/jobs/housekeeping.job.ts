import { sql } from 'kysely'
import { defineJob } from './queue'

/** Daily clean-up: finished jobs after 14 days, expired sessions, link tokens and idempotency keys. */
defineJob('housekeeping', async (ctx) => {
  const now = ctx.now()
  await sql`delete from jobs where status = 'done' and finished_at < ${new Date(now.getTime() - 14 * 86400_000)}`.execute(ctx.db)
  await sql`delete from sessions where expires_at < ${now}`.execute(ctx.db)
  await sql`delete from user_tokens where expires_at < ${new Date(now.getTime() - 7 * 86400_000)}`.execute(ctx.db)
  await sql`delete from idempotency_keys where created_at < ${new Date(now.getTime() - 86400_000)}`.execute(ctx.db)
  await sql`delete from login_throttle where window_start < ${new Date(now.getTime() - 86400_000)} and (locked_until is null or locked_until < ${now})`.execute(ctx.db)
})

export const housekeepingSchedule = { name: 'housekeeping', jobName: 'housekeeping', cron: '17 3 * * *', timezone: 'America/Mexico_City' }
