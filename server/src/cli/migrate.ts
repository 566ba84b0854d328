import { loadConfig } from '../platform/config'
import { openDatabase } from '../platform/db/database'
import { migrateToLatest } from '../platform/db/migrate'

// npm run migrate: bring the configured database up to date and exit.
const config = loadConfig()
const database = await openDatabase(config).catch((err: unknown) => {
  console.error(`No se pudo abrir la base de datos / Could not open the database: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(2)
})
const applied = await migrateToLatest(database.db)
console.log(applied.length ? `Migraciones aplicadas / applied: ${applied.join(', ')}` : 'Sin migraciones pendientes / Up to date')
await database.close()
