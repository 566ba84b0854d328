import path from 'node:path'
import pg from 'pg'
import { freshStorage, openContext, progressBar, runLoad, startServer, type BenchSuite, type Engine, type LoadResult } from './harness'
import { platformSuite, BENCH_ADMIN } from './scenarios/platform.bench'
import { saveResults } from './results-file'
import { machineSpeed } from './machine-speed'
import { suites as moduleSuites } from './scenarios'

/**
 * npm run bench [-- --engine pglite|postgres] [--only name] [--seconds N]
 * Seeds through the real code paths, starts the real server as a child process, drives it with
 * autocannon, prints p50/p95/p99 and throughput per scenario and engine, and writes
 * bench/results/<date>.json. PostgreSQL: BENCH_DATABASE_URL (default the local server).
 */
const args = process.argv.slice(2)
const arg = (name: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined }
const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const seconds = Number(arg('seconds') ?? 10)
const only = arg('only')

async function postgresReachable() {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 })
  try { await c.connect(); await c.end(); return true } catch { return false }
}

const engines: Engine[] = arg('engine') ? [arg('engine') as Engine] : ['pglite', ...((await postgresReachable()) ? ['postgres' as const] : [])]
const suites: BenchSuite[] = [platformSuite, ...moduleSuites].filter((s) => !only || s.name === only)
type Speed = { machineSpeedMs?: { before: number; after: number } }
const results: Record<string, { loads: Array<LoadResult & Speed>; compute: Array<{ name: string; figures: Record<string, number | string>; target?: string } & Speed> }> = {}

for (const engine of engines) {
  console.log(`\n### ${engine}`)
  const before = (await machineSpeed()).ms
  console.log(`  velocidad de la máquina / machine speed: ${before} ms de CPU para un trabajo fijo / of CPU for a fixed piece of work (menos es más rápido / lower is faster)`)
  const storage = await freshStorage(engine, pgUrl)
  results[engine] = { loads: [], compute: [] }
  try {
    const { ctx, close } = await openContext({ ...storage })
    const progress = progressBar()
    const { hashPassword } = await import('../server/src/platform/auth/secrets')
    await ctx.db.insertInto('users').values({ email: BENCH_ADMIN.email, name: 'Bench Admin', role: 'admin', password_hash: await hashPassword(BENCH_ADMIN.password) }).execute()
    const states: Record<string, Record<string, unknown>> = {}
    for (const suite of suites) {
      if (suite.seed) states[suite.name] = await suite.seed(ctx, engine, progress)
      for (const c of (await suite.compute?.(ctx, engine)) ?? []) {
        results[engine].compute.push(c)
        console.log(`  ${c.name.padEnd(48)} ${JSON.stringify(c.figures)}${c.target ? `  (target ${c.target})` : ''}`)
      }
    }
    await close()
    const server = await startServer(storage.env)
    try {
      console.log(`  ${'scenario'.padEnd(48)} ${'conns'.padStart(5)} ${'req/s'.padStart(7)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'non2xx'.padStart(6)}`)
      for (const suite of suites) {
        for (const load of await suite.loads(server.base, states[suite.name] ?? {}, engine)) {
          const r = await runLoad(server.base, { durationSeconds: seconds, ...load })
          results[engine].loads.push(r)
          console.log(`  ${r.name.padEnd(48)} ${String(r.connections).padStart(5)} ${String(r.throughput).padStart(7)} ${r.p50.toFixed(1).padStart(7)} ${r.p95.toFixed(1).padStart(7)} ${r.p99.toFixed(1).padStart(7)} ${String(r.non2xx + r.errors).padStart(6)}${r.target ? `  (target ${r.target})` : ''}`)
          if (r.after) console.log(`  ${''.padEnd(48)} then ${JSON.stringify(r.after)}`)
        }
      }
    } finally {
      await server.stop()
    }
  } finally {
    await storage.cleanup()
  }
  const after = (await machineSpeed()).ms
  console.log(`  velocidad de la máquina al terminar / machine speed after the run: ${after} ms`)
  for (const r of [...results[engine].loads, ...results[engine].compute]) r.machineSpeedMs = { before, after }
}

const file = saveResults(path.resolve(import.meta.dirname, 'results'), results, { machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, seconds })
console.log(`\nresultados / results: ${path.relative(process.cwd(), file)}`)
process.exit(0)
