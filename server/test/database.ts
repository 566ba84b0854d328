import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { openPglite, openPostgres, type DatabaseHandle } from '../src/platform/db/database'
import { migrateToLatest, migrationsDir } from '../src/platform/db/migrate'
import { loadConfig } from '../src/platform/config'

const cacheDir = path.resolve(migrationsDir, '../../.test-cache')

/** Hash of the migration files: a template is rebuilt when any migration changes. */
function migrationsHash() {
  const h = crypto.createHash('sha256')
  for (const f of fs.readdirSync(migrationsDir).sort()) h.update(f).update(fs.readFileSync(path.join(migrationsDir, f)))
  return h.digest('hex').slice(0, 16)
}

/**
 * A fresh, migrated database for one test file: PostgreSQL when TEST_DATABASE_URL is set (a new
 * database, dropped on close), otherwise in-memory PGlite loaded from a migrated template dump.
 */
export async function freshDatabase(): Promise<DatabaseHandle> {
  const url = process.env.TEST_DATABASE_URL
  if (url) return freshPostgres(url)
  return freshPglite()
}

async function freshPglite(): Promise<DatabaseHandle> {
  const file = path.join(cacheDir, `pglite-${migrationsHash()}.tgz`)
  if (!fs.existsSync(file)) {
    const h = await openPglite(null)
    await migrateToLatest(h.db)
    const dump = await h.pglite!.dumpDataDir('gzip')
    fs.mkdirSync(cacheDir, { recursive: true })
    const tmp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()))
    fs.renameSync(tmp, file)
    return h
  }
  const blob = new Blob([fs.readFileSync(file)])
  const h = await openPglite(null, blob)
  await migrateToLatest(h.db) // no-op unless the template is stale
  return h
}

async function freshPostgres(url: string): Promise<DatabaseHandle> {
  const database = await createPostgresDatabase(url)
  const h = await openPostgres(database.url, 10, { preparedStatements: loadConfig(process.env).preparedStatements })
  await migrateToLatest(h.db)
  const close = h.close
  return {
    ...h,
    async close() {
      await close()
      await database.drop()
    },
  }
}

/** The URL of a new empty PostgreSQL database (for multi-instance tests); caller drops it. */
export async function createPostgresDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `atiende_t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  const u = new URL(url)
  u.pathname = `/${name}`
  return {
    url: u.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: url })
      await a.connect()
      await a.query(`drop database if exists ${name} with (force)`).catch(() => {})
      await a.end()
    },
  }
}
