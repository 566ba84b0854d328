import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import nodemailer from 'nodemailer'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { launchBrowser, logIn, newContext, screenshot, step } from './support/browser'

// Every trick below sets window.__xss (or opens a dialog) if it ever runs in a page.
const HOSTILE_HTML = [
  '<p>Texto visible del cliente: la recarga no llega.</p>',
  '<script>window.__xss = "script"</script>',
  '<img src="x" onerror="window.__xss = \'onerror\'">',
  '<a href="javascript:window.__xss = \'href\'" id="js-link">clic aquí</a>',
  '<svg><script>window.__xss = "svg"</script><a xlink:href="javascript:window.__xss=\'svg-href\'">svg</a></svg>',
  '<iframe srcdoc="<script>parent.__xss = \'iframe\'</script>"></iframe>',
  '<form action="https://malo.test/robar"><input name="clave" value="x"><button>Enviar</button></form>',
  '<details open ontoggle="window.__xss = \'ontoggle\'"><summary>más</summary></details>',
  '<p style="background-image: url(javascript:window.__xss=1)">estilo</p>',
  '<img src="https://rastreo.test/pixel.png" alt="pixel">',
].join('\n')
const HOSTILE_TEXT = '<img src=x onerror="window.__xss = \'text\'"> <script>window.__xss = "text-script"</script>'

/** What a page must never contain or do after showing hostile content. */
async function assertInert(page: Page, where: string, dialogs: string[], outside: string[]) {
  const found = await page.evaluate(() => {
    const w = window as unknown as { __xss?: unknown }
    const bodies = [...document.querySelectorAll('.entry-html')]
    const attrs = bodies.flatMap((b) => [...b.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => `${el.tagName.toLowerCase()}[${a.name}=${a.value}]`)))
    return {
      xss: w.__xss ?? null,
      htmlBodies: bodies.length,
      handlers: attrs.filter((a) => /\[on/i.test(a)),
      scriptish: attrs.filter((a) => /javascript:/i.test(a)),
      elements: bodies.flatMap((b) => [...b.querySelectorAll('script, iframe, form, input, object, embed, svg, style')].map((el) => el.tagName.toLowerCase())),
    }
  })
  assert.equal(found.xss, null, `${where}: script ran (${String(found.xss)})`)
  assert.ok(found.htmlBodies >= 1, `${where}: the mailed-in HTML is shown as HTML`)
  assert.deepEqual(found.handlers, [], `${where}: event handler attributes`)
  assert.deepEqual(found.scriptish, [], `${where}: javascript: URLs`)
  assert.deepEqual(found.elements, [], `${where}: active elements`)
  assert.deepEqual(dialogs, [], `${where}: dialogs`)
  assert.deepEqual(outside, [], `${where}: requests outside the help desk (remote images are not loaded)`)
}

describe('hostile HTML from outside never runs in the agent console or the customer portal (browser)', () => {
  let server: TestServer
  let browser: Browser
  let api: ApiSession
  let number = 0
  const customer = { email: 'ana.hostil@cliente.test', name: 'Ana <b onmouseover="window.__xss=1">López</b>', password: 'Contraseña-larga-1' }

  before(async () => {
    server = await startServer()
    api = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
    await api.post('/api/v1/mailboxes', { address: 'soporte@atiende.test', name: 'Soporte', inbound: 'smtp' })
    await api.createUser({ ...customer, role: 'customer' })
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** A signed-in page that records dialogs and every request leaving the help desk (and blocks it). */
  async function watchedPage(email: string, password: string, lands: string) {
    const page = await (await newContext(browser)).newPage()
    const dialogs: string[] = []
    const outside: string[] = []
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss() })
    await page.route((url) => !url.href.startsWith(server.url), (route) => { outside.push(route.request().url()); void route.abort() })
    await logIn(page, server.url, email, password, lands)
    return { page, dialogs, outside }
  }

  it('files a mailed-in HTML message and API content full of script tricks', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.smtpPort, secure: false, ignoreTLS: true })
    await transport.sendMail({
      from: `"${customer.name}" <${customer.email}>`, to: 'soporte@atiende.test',
      subject: `${HOSTILE_TEXT} Falla de recargas`, html: HOSTILE_HTML,
    })
    transport.close()
    const deadline = Date.now() + 20_000
    while (!number && Date.now() < deadline) {
      const list = await api.get<{ items: Array<{ number: number; subject: string }> }>('/api/v1/tickets?sort=-number')
      number = list.items.find((t) => t.subject.includes('Falla de recargas'))?.number ?? 0
      if (!number) await new Promise((r) => setTimeout(r, 250))
    }
    assert.ok(number, 'the mail became a ticket')
    const ticket = await api.get<{ id: string }>(`/api/v1/tickets/by-number/${number}`)
    await api.post(`/api/v1/tickets/${ticket.id}/comments`, { bodyHtml: `<p>Respuesta del agente</p>${HOSTILE_HTML}` })
    await api.post(`/api/v1/tickets/${ticket.id}/comments`, { bodyHtml: `<p>Nota interna</p>${HOSTILE_HTML}`, internal: true })
    await api.patch(`/api/v1/tickets/${ticket.id}`, { tags: ['<script>window.__xss="tag"</script>'] })
  })

  it('the agent console shows it inert: inbox, ticket page and search', async () => {
    const { page, dialogs, outside } = await watchedPage(server.adminEmail, server.adminPassword, '/agent')
    await step(page, 'hostile-agent', async () => {
      await page.goto(`${server.url}/agent/views/all`)
      await page.locator(`tr[data-ticket="${number}"]`).waitFor()
      await page.goto(`${server.url}/agent/tickets/${number}`)
      // The message, the reply and the note each show the visible paragraph.
      await page.getByText('Nota interna').last().waitFor()
      await page.getByText('Texto visible del cliente: la recarga no llega.').nth(2).waitFor()
      // The subject is shown as text, tags and all.
      await page.getByRole('heading', { name: /Falla de recargas/ }).waitFor()
      assert.match(await page.getByRole('heading', { name: /Falla de recargas/ }).innerText(), /<img src=x onerror=/)
      // The sanitised link has no href left: clicking it must do nothing.
      await page.locator('a:text("clic aquí")').first().click()
      await page.waitForTimeout(300)
      await assertInert(page, 'ticket page', dialogs, outside)
      await screenshot(page, 'hostile-html-agent')
      await page.goto(`${server.url}/agent/search?q=recargas`)
      await page.getByText(/Falla de recargas/).first().waitFor()
      const xss = await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss ?? null)
      assert.equal(xss, null, 'search page')
    })
  })

  it('text pasted with invisible NUL characters is saved without them (the server refuses them from other clients)', async () => {
    const { page } = await watchedPage(server.adminEmail, server.adminPassword, '/agent')
    await step(page, 'nul-paste', async () => {
      await page.goto(`${server.url}/agent/new-call`)
      await page.getByRole('heading', { name: 'Nuevo ticket por llamada' }).waitFor()
      await page.keyboard.type('Rosa Pegado')
      await page.getByRole('button', { name: 'Contacto nuevo' }).click()
      await page.keyboard.press('Tab')
      await page.keyboard.type('55 4444 5555')
      await page.getByLabel('Asunto').fill('Copiado de un PDF\u0000 con caracteres nulos')
      await page.getByLabel('Asunto').press('Tab')
      await page.keyboard.insertText('Línea del reporte\u0000\u0000 pegada tal cual')
      await page.getByLabel('Asunto').press('Enter')
      const created = (await page.getByTestId('ticket-number').innerText()).trim()
      const ticket = await api.get<{ subject: string; description: string }>(`/api/v1/tickets/by-number/${created}`)
      assert.equal(ticket.subject, 'Copiado de un PDF con caracteres nulos')
      assert.equal(ticket.description, 'Línea del reporte pegada tal cual')
    })
  })

  it('the customer portal shows the message and the reply inert, and never the internal note', async () => {
    const { page, dialogs, outside } = await watchedPage(customer.email, customer.password, '/portal')
    await step(page, 'hostile-portal', async () => {
      await page.goto(`${server.url}/portal/tickets/${number}`)
      await page.getByText('Respuesta del agente').waitFor()
      await page.getByText('Texto visible del cliente: la recarga no llega.').nth(1).waitFor()
      assert.equal(await page.getByText('Texto visible del cliente: la recarga no llega.').count(), 2, 'the message and the reply, not the note')
      assert.equal(await page.getByText('Nota interna').count(), 0)
      await page.locator('a:text("clic aquí")').first().click()
      await page.waitForTimeout(300)
      await assertInert(page, 'portal ticket page', dialogs, outside)
      await screenshot(page, 'hostile-html-portal')
    })
  })
})
