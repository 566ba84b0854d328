import crypto from 'node:crypto'
import os from 'node:os'
import { sql } from 'kysely'
import type { Config } from './config'
import type { AppContext } from './context'
import { openDatabase, inTransaction, type DatabaseHandle } from './db/database'
import { migrateToLatest } from './db/migrate'
import { createMailer } from './mail/mailer'
import { Realtime } from './realtime/realtime'
import { hashPassword } from './auth/secrets'
import { recordAudit } from './audit/audit'
import { createLinkToken } from '../modules/auth/commands/password-links'
import '../jobs'

/** Builds the process context on an open database (migrations are the caller's call). */
export function createContext(config: Config, database: DatabaseHandle, now: () => Date = () => new Date()): AppContext {
  return {
    config,
    db: database.db,
    database,
    now,
    mailer: createMailer(config),
    realtime: new Realtime(database),
    instanceId: `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`,
  }
}

/** Opens the configured database and migrates it; a clear error if it cannot be reached. */
export async function openAndMigrate(config: Config, opts: { onUpgrade?: (pending: string[]) => void } = {}): Promise<DatabaseHandle> {
  const database = await openDatabase(config)
  await migrateToLatest(database.db, opts)
  return database
}

/**
 * First run: with no active admin, create one from HELPDESK_ADMIN_EMAIL/PASSWORD, or return a
 * one-time setup link to print. Returns null when an admin exists.
 */
export async function ensureFirstAdmin(ctx: AppContext): Promise<{ created?: string; setupLink?: string } | null> {
  const n = (await sql<{ n: number }>`select count(*)::int as n from users where role = 'admin' and active`.execute(ctx.db)).rows[0].n
  if (n > 0) return null
  const { adminEmail, adminPassword } = ctx.config
  if (adminEmail && adminPassword) {
    const hash = await hashPassword(adminPassword)
    await inTransaction(ctx.db, async (trx) => {
      const row = (await sql<{ id: string }>`insert into users (email, name, role, password_hash)
        values (${adminEmail.toLowerCase()}, 'Administrador', 'admin', ${hash})
        on conflict (lower(email)) where email is not null do update set role = 'admin', active = true, password_hash = excluded.password_hash
        returning id`.execute(trx)).rows[0]
      await recordAudit(trx, { actorId: null, action: 'auth.first_admin_created', targetType: 'user', targetId: row.id })
    })
    return { created: adminEmail }
  }
  const token = await createLinkToken(ctx.db, 'setup', null, ctx.now())
  return { setupLink: `${ctx.config.publicUrl}/setup?token=${encodeURIComponent(token)}` }
}
