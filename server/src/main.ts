import { loadConfig } from './platform/config'
import { createContext, ensureFirstAdmin, openAndMigrate } from './platform/bootstrap'
import { buildApp } from './app'
import { loggerOptions } from './platform/http/logging'
import { Worker } from './platform/jobs/worker'
import { upsertSchedule } from './platform/jobs/queue'
import { housekeepingSchedule } from './platform/jobs/housekeeping.job'
import { closeResolvedTicketsSchedule } from './modules/tickets/jobs/close-resolved-tickets.job'
import { collectUnusedBlobsSchedule } from './modules/tickets/attachments/jobs/collect-unused-blobs.job'
import { sweepDueSlaSchedule } from './modules/sla/jobs/sweep-due-sla.job'
import { startBackgroundServices } from './background'

/** Start: config, database + migrations, first admin, HTTP, worker, real-time; graceful stop. */
async function main() {
  const config = loadConfig()
  let database
  try {
    database = await openAndMigrate(config)
  } catch (err) {
    const where = config.databaseUrl ? config.databaseUrl.replace(/\/\/[^@]*@/, '//***@') : `${config.dataDir}/pglite`
    console.error(`Atiende: no se pudo abrir la base de datos (${where}): ${err instanceof Error ? err.message : String(err)}`)
    console.error(`Atiende: could not open the database (${where}).`)
    process.exit(2)
  }
  const ctx = createContext(config, database)
  const app = await buildApp(ctx, { logger: loggerOptions(config.logLevel), serveWeb: true })
  ctx.log = app.log
  const first = await ensureFirstAdmin(ctx)
  if (first?.created) app.log.info({ email: first.created }, 'first administrator created')
  if (first?.setupLink) {
    console.log(`\nAtiende: no hay administrador. Cree el primero en / No administrator yet. Create the first one at:\n  ${first.setupLink}\n`)
  }
  await ctx.realtime.start()
  const worker = new Worker(ctx)
  const background: Array<{ stop: () => Promise<void> }> = []
  if (config.worker) {
    await upsertSchedule(ctx.db, housekeepingSchedule, ctx.now())
    await upsertSchedule(ctx.db, closeResolvedTicketsSchedule, ctx.now())
    await upsertSchedule(ctx.db, collectUnusedBlobsSchedule, ctx.now())
    await upsertSchedule(ctx.db, sweepDueSlaSchedule, ctx.now())
    await worker.start()
    background.push(...(await startBackgroundServices(ctx)))
  }
  await app.listen({ port: config.port, host: config.host })
  app.log.info(`Atiende listo en ${config.publicUrl} (${database.engine})`)

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    app.log.info({ signal }, 'shutting down')
    await app.close()
    for (const b of background) await b.stop().catch(() => {})
    await worker.stop()
    await ctx.realtime.stop()
    ctx.mailer.close()
    await database.close()
    process.exit(0)
  }
  process.on('SIGINT', () => { void shutdown('SIGINT') })
  process.on('SIGTERM', () => { void shutdown('SIGTERM') })
}

void main()
