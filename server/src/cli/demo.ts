import { loadConfig } from '../platform/config'
import { createContext, openAndMigrate } from '../platform/bootstrap'
import { progressBar } from '../platform/cli/progress'
import { loadDemo } from '../modules/demo/load-demo'
import { DEMO_PASSWORD, DEMO_STAFF, demoCustomers } from '../modules/demo/demo-data'

// npm run demo [-- --tickets N]: Spanish demo data in the configured database (default 300 tickets).
const config = loadConfig()
const i = process.argv.indexOf('--tickets')
const tickets = i >= 0 ? Number(process.argv[i + 1]) : 300
const database = await openAndMigrate(config).catch((err: unknown) => {
  console.error(`No se pudo abrir la base de datos / Could not open the database: ${err instanceof Error ? err.message : String(err)}`)
  process.exit(2)
})
const ctx = createContext({ ...config, logLevel: 'silent' }, database)
const summary = await loadDemo(ctx, { tickets, progress: progressBar() })
if (summary.alreadyLoaded) {
  console.log('Los datos de demostración ya estaban cargados / Demo data was already loaded.')
} else {
  console.log(`\nDatos de demostración cargados / Demo data loaded: ${summary.organizations} organizaciones, ${summary.staff} personas de soporte, ${summary.customers} clientes, ${summary.tickets} tickets.`)
  console.log(`Contraseña de todas las cuentas de demostración / password of every demo account: ${DEMO_PASSWORD}`)
  console.log(`  Supervisor: ${DEMO_STAFF[0].email}   Agente: ${DEMO_STAFF[1].email}   Cliente (portal): ${demoCustomers(1)[0].email}`)
}
await database.close()
process.exit(0)
