import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { repoRoot, type TestServer } from './server'

export const artifactsDir = path.join(repoRoot, 'e2e/artifacts')
fs.mkdirSync(artifactsDir, { recursive: true })

/** Debian's Chromium, headless; never a downloaded browser. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  })
}

export async function newContext(browser: Browser, opts: { mobile?: boolean; timezoneId?: string } = {}): Promise<BrowserContext> {
  const ctx = await browser.newContext({
    viewport: opts.mobile ? { width: 375, height: 740 } : { width: 1366, height: 860 },
    locale: 'es-MX',
    timezoneId: opts.timezoneId ?? 'America/Mexico_City',
  })
  ctx.setDefaultTimeout(10_000)
  return ctx
}

/** Saves a full-page screenshot to e2e/artifacts/<name>.png (CI keeps the folder). */
export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(artifactsDir, `${name.replace(/[^a-z0-9_-]+/gi, '-')}.png`), fullPage: true })
}

interface AxeViolation { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown; html: string }> }

/** Runs axe-core in the page; returns the serious and critical violations (WCAG 2 A/AA rules). */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  const source = fs.readFileSync(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8')
  await page.addScriptTag({ content: source })
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }
    const res = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html })) }))
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** Fails with the list when axe finds serious or critical violations in the page. */
export async function noSeriousViolations(page: Page) {
  const v = await axeSerious(page)
  assert.deepEqual(v, [], JSON.stringify(v, null, 2))
}

/** Signs in through the login form (Spanish labels) and waits for the page it lands on. */
export async function logIn(page: Page, url: string, email: string, password: string, lands = '/agent') {
  await page.goto(`${url}/login`)
  await page.getByLabel('Correo electrónico').fill(email)
  await page.getByLabel('Contraseña').fill(password)
  await page.getByRole('button', { name: 'Iniciar sesión' }).click()
  await page.waitForURL(`**${lands}`)
}

/** A browser with one page signed in as the test server's administrator (on the agent console). */
export async function adminPage(server: TestServer): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchBrowser()
  const page = await (await newContext(browser)).newPage()
  await logIn(page, server.url, server.adminEmail, server.adminPassword)
  return { browser, page }
}

/**
 * Runs one browser step; on failure saves a screenshot named after it and rethrows.
 */
export async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    await screenshot(page, `FAILED-${name}`).catch(() => {})
    throw err
  }
}
