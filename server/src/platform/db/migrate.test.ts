import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { Migrator } from 'kysely/migration'
import { openPglite, openPostgres, type DatabaseHandle } from './database'
import { migrateToLatest, migrationsDir } from './migrate'
import { createPostgresDatabase } from '../../../test/database'

/** An empty database of the engine under test, and how to drop it. */
async function emptyDatabase(): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }> {
  if (!process.env.TEST_DATABASE_URL) {
    const handle = await openPglite(null)
    return { handle, drop: () => handle.close() }
  }
  const db = await createPostgresDatabase(process.env.TEST_DATABASE_URL)
  const handle = await openPostgres(db.url, 2)
  return { handle, drop: async () => { await handle.close(); await db.drop() } }
}

const names = fs.readdirSync(migrationsDir).filter((f) => /^\d{4}_.+\.ts$/.test(f) && !f.endsWith('.test.ts')).sort().map((f) => f.replace(/\.ts$/, ''))

describe('migrations', () => {
  it('announce an upgrade of an existing database with what is pending, never a new install', async () => {
    const { handle, drop } = await emptyDatabase()
    try {
      const announced: string[][] = []
      const onUpgrade = (pending: string[]) => { announced.push(pending) }
      // An install from an earlier version: everything up to the third-last migration.
      const earlier = names[names.length - 3]
      const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => Object.fromEntries(await Promise.all(
        names.filter((n) => n <= earlier).map(async (n) => [n, await import(`${migrationsDir}/${n}.ts`)] as const))) } })
      assert.equal((await migrator.migrateToLatest()).error, undefined)
      assert.deepEqual(await migrateToLatest(handle.db, { onUpgrade }), names.slice(-2))
      assert.deepEqual(announced, [names.slice(-2)])
      assert.deepEqual(await migrateToLatest(handle.db, { onUpgrade }), [], 'up to date: nothing to run or say')
      assert.equal(announced.length, 1)
    } finally {
      await drop()
    }
    const fresh = await emptyDatabase()
    try {
      let called = false
      await migrateToLatest(fresh.handle.db, { onUpgrade: () => { called = true } })
      assert.equal(called, false, 'a new install is not an upgrade')
    } finally {
      await fresh.drop()
    }
  })
})
