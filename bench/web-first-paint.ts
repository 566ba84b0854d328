/**
 * "First ticket list painted within 1 s with 100,000 tickets" (issue 4 §5), measured in Debian's
 * Chromium against the real server on loopback.
 *
 *   node --import tsx bench/web-first-paint.ts [--engine pglite|postgres] [--tickets 100000] [--runs 7]
 *
 * Seeding (bench/tickets-seed.ts, the tickets bench's seeder): a few hundred tickets through the
 * real commands (the demo loader: createTicket, comments, status changes, SLA), then bulk
 * INSERT … SELECT copies of those tickets in batches until `--tickets` exist, then VACUUM (ANALYZE).
 * Then the server starts on that database and an agent signs in; each run opens an inbox view
 * (a new page; "cold" = a new browser context, nothing cached; "warm" = same context, the app's
 * JavaScript cached) and records, from the navigation start (performance.timeOrigin), the first
 * animation frame in which a ticket row (`tr[data-ticket]`) is in the document — the frame that
 * paints it — plus the list request's own time. Each page is closed only once its sidebar counts
 * have arrived, so a run never queues behind the previous page's requests. One untimed load of each view warms the server up
 * first. `--waterfall` prints every request of the last cold and warm run with its start and end;
 * `--keep` keeps the seeded database (its HELPDESK_DATA_DIR / DATABASE_URL are printed).
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { sql } from 'kysely'
import type { Browser, BrowserContext } from 'playwright-core'
import { freshStorage, openContext, progressBar, startServer, type Engine } from './harness'
import { seedTickets } from './tickets-seed'
import { launchBrowser } from '../e2e/support/browser'

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback
}
const engine = arg('engine', 'pglite') as Engine
const tickets = Number(arg('tickets', '100000'))
const runs = Number(arg('runs', '7'))
const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const root = path.resolve(import.meta.dirname, '..')

interface Sample { firstRowMs: number; listRequestMs: number | null; rows: number; waterfall: string[] }

async function measure(context: BrowserContext, url: string): Promise<Sample> {
  const page = await context.newPage()
  let listMs: number | null = null
  const done: Array<{ url: string; start: number; end: number }> = []
  page.on('requestfinished', (r) => {
    const t = r.timing()
    done.push({ url: r.url(), start: t.startTime, end: t.startTime + t.responseEnd })
    if (listMs === null && /\/api\/v1\/tickets\?/.test(r.url()) && r.url().includes('limit=50')) {
      listMs = t.responseEnd > 0 ? t.responseEnd - t.requestStart : null
    }
  })
  await page.goto(url, { waitUntil: 'commit' })
  const handle = await page.waitForFunction(() => (document.querySelector('tr[data-ticket]') ? performance.now() : false), undefined, { polling: 'raf', timeout: 30_000 })
  const firstRowMs = (await handle.jsonValue()) as number
  const origin = await page.evaluate(() => performance.timeOrigin)
  const rows = await page.locator('tr[data-ticket]').count()
  // Let the page finish what it asks for after the list (the views' counts) before the next run,
  // so a run never waits behind the previous page's queries.
  await page.waitForFunction(() => document.querySelectorAll('nav .count').length >= 7, undefined, { timeout: 60_000 })
  await page.close()
  // Every request finished by the first row: when it started and ended after the navigation start.
  const waterfall = done.filter((d) => d.end - origin <= firstRowMs + 5).sort((a, b) => a.start - b.start)
    .map((d) => `${String(Math.round(d.start - origin)).padStart(6)} → ${String(Math.round(d.end - origin)).padStart(6)} ms  ${new URL(d.url).pathname}${new URL(d.url).search.slice(0, 60)}`)
  return { firstRowMs, listRequestMs: listMs, rows, waterfall }
}

/** When GET /api/v1/me (signed in) last answered in under 250 ms three times in a row. */
async function settle(base: string, email: string, password: string): Promise<number> {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]
  const deadline = Date.now() + 300_000
  let fast = 0
  while (Date.now() < deadline) {
    const t0 = Date.now()
    await fetch(`${base}/api/v1/me`, { headers: { cookie } })
    fast = Date.now() - t0 < 250 ? fast + 1 : 0
    if (fast >= 3) return Date.now()
    await new Promise((r) => setTimeout(r, 500))
  }
  return Date.now()
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : NaN }

async function main() {
  console.log(`web first paint: ${engine}, ${tickets.toLocaleString('en-US')} tickets, ${runs} runs per case`)
  const storage = await freshStorage(engine, pgUrl)
  let browser: Browser | null = null
  let server: { base: string; stop: () => Promise<void> } | null = null
  try {
    const seeded = Date.now()
    const { ctx, close } = await openContext(storage)
    const state = await seedTickets(ctx, { tickets, commentsPerTicket: 2, templates: 300, batch: engine === 'postgres' ? 10_000 : 5_000 }, progressBar())
    const total = (await sql<{ n: number }>`select count(*)::int as n from tickets`.execute(ctx.db)).rows[0].n
    const agent = (await sql<{ id: string; ticket_scope: string }>`select id, ticket_scope from users where email = ${state.agentEmail}`.execute(ctx.db)).rows[0]
    const mine = (await sql<{ n: number }>`select count(*)::int as n from tickets where assignee_id = ${agent.id}`.execute(ctx.db)).rows[0].n
    await close()
    console.log(`  seeded ${total.toLocaleString('en-US')} tickets in ${((Date.now() - seeded) / 1000).toFixed(0)} s (${JSON.stringify(state.seconds)}); agent ${state.agentEmail} (scope ${agent.ticket_scope}) owns ${mine}`)

    const build = spawnSync(process.execPath, [path.join(root, 'scripts/ensure-web-build.mjs')], { cwd: root, stdio: 'inherit' })
    if (build.status !== 0) throw new Error('web build failed')
    const startAt = Date.now()
    server = await startServer(storage.env)
    const readyAt = Date.now()
    // Background work after a start (jobs catching up over 100,000 tickets) holds PGlite's single
    // session: wait until a signed-in request answers quickly three times in a row (at most 5 min).
    const settled = await settle(server.base, state.agentEmail, state.password)
    console.log(`  server ready in ${((readyAt - startAt) / 1000).toFixed(1)} s; requests fast again ${((settled - readyAt) / 1000).toFixed(1)} s later`)
    browser = await launchBrowser()

    // Sign in once; every context reuses the session cookie.
    const signIn = await browser.newContext({ locale: 'es-MX', timezoneId: 'America/Mexico_City', viewport: { width: 1366, height: 860 } })
    const p = await signIn.newPage()
    await p.goto(`${server.base}/login`)
    await p.getByLabel('Correo electrónico').fill(state.agentEmail)
    await p.getByLabel('Contraseña').fill(state.password)
    await p.getByRole('button', { name: 'Iniciar sesión' }).click()
    await p.waitForURL('**/agent')
    const cookies = await signIn.cookies()
    await signIn.close()

    const cases = [['Todos (all tickets, newest first)', '/agent/views/all'], ['Mis tickets (the landing view)', '/agent']] as const
    // One untimed load of each first: the server's first queries (plans, caches, JIT) are not what is measured.
    const warmUp = await browser.newContext({ locale: 'es-MX', timezoneId: 'America/Mexico_City' })
    await warmUp.addCookies(cookies)
    for (const [, route] of cases) await measure(warmUp, `${server.base}${route}`)
    await warmUp.close()
    const results: Record<string, unknown> = {}
    for (const [name, route] of cases) {
      const cold: Sample[] = []
      for (let i = 0; i < runs; i++) {
        const c = await browser.newContext({ locale: 'es-MX', timezoneId: 'America/Mexico_City', viewport: { width: 1366, height: 860 } })
        await c.addCookies(cookies)
        cold.push(await measure(c, `${server.base}${route}`))
        await c.close()
      }
      const wc = await browser.newContext({ locale: 'es-MX', timezoneId: 'America/Mexico_City', viewport: { width: 1366, height: 860 } })
      await wc.addCookies(cookies)
      await measure(wc, `${server.base}${route}`) // fills the cache
      const warm: Sample[] = []
      for (let i = 0; i < runs; i++) warm.push(await measure(wc, `${server.base}${route}`))
      await wc.close()
      const summary = (xs: Sample[]) => ({
        firstRowMedianMs: Math.round(median(xs.map((x) => x.firstRowMs))), firstRowMaxMs: Math.round(Math.max(...xs.map((x) => x.firstRowMs))),
        listRequestMedianMs: Math.round(median(xs.map((x) => x.listRequestMs ?? NaN).filter((x) => !Number.isNaN(x)))), rows: xs[0]?.rows,
      })
      results[name] = { cold: summary(cold), warm: summary(warm) }
      if (process.argv.includes('--waterfall')) {
        for (const [label, xs] of [['cold', cold], ['warm', warm]] as const) {
          const last = xs[xs.length - 1]
          console.log(`  waterfall of the last ${label} run (first row at ${Math.round(last.firstRowMs)} ms):\n${last.waterfall.map((l) => `    ${l}`).join('\n')}`)
        }
      }
      console.log(`  ${name}: cold ${JSON.stringify(summary(cold))}; warm ${JSON.stringify(summary(warm))}`)
    }
    console.log(JSON.stringify({ engine, tickets: total, runs, results }, null, 2))
  } finally {
    await browser?.close()
    await server?.stop()
    if (process.argv.includes('--keep')) console.log(`  kept: ${JSON.stringify(storage.env)}`)
    else await storage.cleanup()
  }
}

void main().catch((err: unknown) => { console.error(err); process.exit(1) })
