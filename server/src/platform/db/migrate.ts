import fs from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration'
import type { Db } from './database'

export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations')

/** Loads `server/migrations/NNNN_name.ts` files: numbered, forward-only. */
class FolderMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(migrationsDir)).filter((f) => /^\d{4}_.+\.ts$/.test(f) && !f.endsWith('.test.ts')).sort()
    const out: Record<string, Migration> = {}
    for (const f of files) {
      const mod = (await import(pathToFileURL(path.join(migrationsDir, f)).href)) as Migration
      out[f.replace(/\.ts$/, '')] = mod
    }
    return out
  }
}

/**
 * Brings the schema up to date. Kysely takes a PostgreSQL advisory lock around the run, so two
 * instances starting together do not both migrate; running it again is a no-op.
 */
export async function migrateToLatest(db: Db, opts: { onUpgrade?: (pending: string[]) => void } = {}): Promise<string[]> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider(), allowUnorderedMigrations: true })
  if (opts.onUpgrade) {
    // An existing database with migrations to run: some rewrite large tables and take minutes.
    const list = await migrator.getMigrations()
    const pending = list.filter((m) => !m.executedAt).map((m) => m.name)
    if (pending.length > 0 && pending.length < list.length) opts.onUpgrade(pending)
  }
  const { error, results } = await migrator.migrateToLatest()
  if (error) throw error instanceof Error ? error : new Error(String(error))
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

/** True when every known migration has run (used by /readyz). */
export async function migrationsPending(db: Db): Promise<number> {
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider(), allowUnorderedMigrations: true })
  const list = await migrator.getMigrations()
  return list.filter((m) => !m.executedAt).length
}
