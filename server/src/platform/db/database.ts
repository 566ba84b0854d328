import fs from 'node:fs'
import path from 'node:path'
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely'
import pg from 'pg'
import { PGlite } from '@electric-sql/pglite'
import { unaccent } from '@electric-sql/pglite/contrib/unaccent'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin'
import { PGliteDialect, transactionContext } from './pglite-dialect'
import type { Database } from './schema'
import { usePreparedStatements } from './prepared-statements'

export type Db = Kysely<Database>
export type Trx = Transaction<Database>
/** A handle that can run queries: the database or an open transaction. */
export type Executor = Db | Trx

export type Engine = 'pglite' | 'postgres'

export interface DatabaseHandle {
  db: Db
  engine: Engine
  /** Subscribe to a NOTIFY channel; returns an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>
  close(): Promise<void>
  /** PGlite only: the instance (used by tests to dump a template). */
  pglite?: PGlite
}

// int8 (bigserial ids, counts) as JS numbers on both engines; numeric as float.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10))
pg.types.setTypeParser(1700, (v) => Number.parseFloat(v))
const pgliteParsers = { 20: (v: string) => Number.parseInt(v, 10), 1700: (v: string) => Number.parseFloat(v) }

export const pgliteExtensions = { unaccent, pg_trgm, btree_gin }

/** Opens PGlite in `dataDir` (or in memory when null, or from a dump) and wraps it in Kysely. */
export async function openPglite(dataDir: string | null, loadDataDir?: Blob): Promise<DatabaseHandle> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true })
  const pglite = await PGlite.create({
    dataDir: dataDir ?? undefined,
    extensions: pgliteExtensions,
    parsers: pgliteParsers,
    loadDataDir,
  })
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) })
  return {
    db,
    engine: 'pglite',
    pglite,
    async listen(channel, onPayload) {
      // Notifications arrive while the notifying transaction commits, inside its async context:
      // run the handler outside it so its own queries wait their turn instead of being refused.
      const unsub = await pglite.listen(channel, (payload) => transactionContext.exit(() => onPayload(payload)))
      return async () => { await unsub() }
    },
    async close() {
      await db.destroy()
      if (!pglite.closed) await pglite.close()
    },
  }
}

/**
 * Connects to PostgreSQL through a pool; LISTEN uses one dedicated client that reconnects. The
 * pool's connections prepare their statements (prepared-statements.ts) unless `preparedStatements`
 * is false (DATABASE_PREPARED_STATEMENTS=off, for a pooler that cannot keep them).
 */
export async function openPostgres(url: string, poolSize = 20, opts: { preparedStatements?: boolean } = {}): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize })
  pool.on('error', () => { /* idle client errors are retried by the pool */ })
  if (opts.preparedStatements !== false) pool.on('connect', (client) => usePreparedStatements(client))
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  let listener: pg.Client | null = null
  const handlers = new Map<string, Set<(p: string) => void>>()
  async function ensureListener() {
    if (listener) return listener
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    client.on('notification', (msg) => {
      for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '')
    })
    client.on('error', () => {
      listener = null
      setTimeout(() => { void reconnect() }, 1000)
    })
    listener = client
    return client
  }
  async function reconnect() {
    try {
      const c = await ensureListener()
      for (const ch of handlers.keys()) await c.query(`LISTEN ${pgIdent(ch)}`)
    } catch {
      setTimeout(() => { void reconnect() }, 2000)
    }
  }
  return {
    db,
    engine: 'postgres',
    async listen(channel, onPayload) {
      const c = await ensureListener()
      if (!handlers.has(channel)) {
        handlers.set(channel, new Set())
        await c.query(`LISTEN ${pgIdent(channel)}`)
      }
      handlers.get(channel)!.add(onPayload)
      return async () => { handlers.get(channel)?.delete(onPayload) }
    },
    async close() {
      if (listener) await listener.end().catch(() => {})
      listener = null
      await db.destroy()
    },
  }
}

function pgIdent(name: string) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad channel name ${name}`)
  return name
}

export async function openDatabase(opts: { databaseUrl: string | null; dataDir: string; preparedStatements?: boolean }): Promise<DatabaseHandle> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, 20, { preparedStatements: opts.preparedStatements })
  return openPglite(path.join(opts.dataDir, 'pglite'))
}

/**
 * Runs `fn` in one transaction. Use this, not `db.transaction()`, so that on PGlite a stray
 * query through `db` inside the callback fails loudly instead of deadlocking.
 */
export function inTransaction<T>(db: Db, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return transactionContext.run({ holding: false }, () => db.transaction().execute(fn))
}

/** NOTIFY inside the current transaction (delivered after COMMIT on both engines). */
export async function notify(executor: Executor, channel: string, payload: string) {
  await sql`select pg_notify(${channel}, ${payload})`.execute(executor)
}
