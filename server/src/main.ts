import cluster from 'node:cluster'
import { loadConfig, type Config } from './platform/config'
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
import { EXIT_NO_DATABASE, processCount, superviseProcesses } from './processes'
import type { AppContext } from './platform/context'
import type { DatabaseHandle } from './platform/db/database'

/**
 * Opens and migrates the database, or exits with a clear message (code 2) when it cannot. An
 * upgrade says so first, and every minute while it lasts: some migrations rewrite large tables.
 */
async function openOrExit(config: Config): Promise<DatabaseHandle> {
  let ticking: NodeJS.Timeout | undefined
  const onUpgrade = (pending: string[]) => {
    const started = Date.now()
    console.log(`Atiende: actualizando la base de datos (${pending.join(', ')}); en bases grandes puede tardar varios minutos…`)
    console.log(`Atiende: upgrading the database (${pending.length} migration${pending.length === 1 ? '' : 's'}); on large databases this can take minutes…`)
    ticking = setInterval(() => console.log(`Atiende: … ${Math.round((Date.now() - started) / 60_000)} min`), 60_000)
  }
  try {
    return await openAndMigrate(config, { onUpgrade })
  } catch (err) {
    const where = config.databaseUrl ? config.databaseUrl.replace(/\/\/[^@]*@/, '//***@') : `${config.dataDir}/pglite`
    console.error(`Atiende: no se pudo abrir la base de datos (${where}): ${err instanceof Error ? err.message : String(err)}`)
    console.error(`Atiende: could not open the database (${where}).`)
    process.exit(EXIT_NO_DATABASE)
  } finally {
    clearInterval(ticking)
  }
}

/** First run: create the administrator from the environment, or print a one-time setup link. */
async function announceFirstAdmin(ctx: AppContext, info: (message: string) => void): Promise<void> {
  const first = await ensureFirstAdmin(ctx)
  if (first?.created) info(`first administrator created: ${first.created}`)
  if (first?.setupLink) {
    console.log(`\nAtiende: no hay administrador. Cree el primero en / No administrator yet. Create the first one at:\n  ${first.setupLink}\n`)
  }
}

/**
 * Start: config, database + migrations, first admin, HTTP, worker, real-time; graceful stop. With
 * HELPDESK_PROCESSES > 1 (PostgreSQL) this process supervises that many copies of itself.
 */
async function main() {
  const config = loadConfig()
  const processes = processCount(process.env.HELPDESK_PROCESSES)
  if (processes > 1 && cluster.isPrimary) {
    if (!config.databaseUrl) {
      console.error('Atiende: HELPDESK_PROCESSES > 1 necesita PostgreSQL (DATABASE_URL); la base embebida es de un solo proceso.')
      console.error('Atiende: HELPDESK_PROCESSES > 1 needs PostgreSQL (DATABASE_URL); the embedded database serves one process.')
      process.exit(EXIT_NO_DATABASE)
    }
    await superviseProcesses(processes, async () => {
      const database = await openOrExit(config)
      const ctx = createContext(config, database)
      await announceFirstAdmin(ctx, (m) => console.log(`Atiende: ${m}`))
      ctx.mailer.close()
      await database.close()
    })
    return
  }
  const database = await openOrExit(config)
  const ctx = createContext(config, database)
  const app = await buildApp(ctx, { logger: loggerOptions(config.logLevel), serveWeb: true })
  ctx.log = app.log
  // In a group of processes the primary did this once.
  if (cluster.isPrimary) await announceFirstAdmin(ctx, (m) => app.log.info(m))
  await ctx.realtime.start()
  const worker = new Worker(ctx, { lanes: database.engine === 'pglite' ? 1 : config.workerLanes })
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
  app.log.info(`Atiende listo en ${config.publicUrl} (${database.engine}${cluster.isWorker ? `, proceso ${cluster.worker!.id}` : ''})`)

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
