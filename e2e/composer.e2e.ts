import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import nodemailer from 'nodemailer'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { launchBrowser, logIn, newContext, noSeriousViolations, screenshot, step } from './support/browser'
import { PNG } from './support/files'

interface FileSpec { name: string; type: string; b64: string }
/**
 * Pastes or drops files on an element the way the browser does (a DataTransfer holding File
 * objects): Chromium cannot reach the OS clipboard or drag files in headless mode.
 */
async function sendFiles(page: Page, selector: string, files: FileSpec[], kind: 'paste' | 'drop') {
  await page.evaluate(({ selector, files, kind }) => {
    const dt = new DataTransfer()
    for (const f of files) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.type }))
    const el = document.querySelector(selector) as HTMLElement
    const r = el.getBoundingClientRect()
    const at = { clientX: r.left + r.width / 2, clientY: r.top + Math.min(r.height / 2, 20) }
    if (kind === 'paste') { el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true })); return }
    for (const type of ['dragenter', 'dragover', 'drop']) el.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true, ...at }))
  }, { selector, files, kind })
}

const png = (name: string): FileSpec => ({ name, type: 'image/png', b64: PNG.toString('base64') })
const txt = (name: string, text: string): FileSpec => ({ name, type: 'text/plain', b64: Buffer.from(text).toString('base64') })

interface ApiComment { id: string; internal: boolean; body: string; bodyHtml: string; mentions?: string[]; attachments?: Array<{ id: string; filename: string; contentType: string }> }

describe('rich-text reply composer, portal reply by drag-and-drop, email notification switches (browser)', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let admin: ApiSession
  let ticket = { id: '', number: 0 }
  const agentUser = { email: 'ana@atiende.test', name: 'Ana Agente', password: 'Agente-e2e-2026!' }
  const customerUser = { email: 'rosa@cliente.test', name: 'Rosa Cliente', password: 'Cliente-e2e-2026!' }
  let agentId = ''

  before(async () => {
    server = await startServer()
    admin = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
    agentId = (await admin.createUser({ ...agentUser, role: 'agent' })).id
    const customer = await admin.createUser({ ...customerUser, role: 'customer' })
    ticket = await admin.post<{ id: string; number: number }>('/api/v1/tickets', {
      subject: 'El módem se reinicia solo', description: 'Desde ayer se reinicia cada 10 minutos.', requesterId: customer.id,
    })
    browser = await launchBrowser()
    page = await (await newContext(browser)).newPage()
    await logIn(page, server.url, server.adminEmail, server.adminPassword, '/agent')
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('sends a formatted reply with a pasted inline image, a dropped file, a mention and a status, by Ctrl+Enter', async () => {
    await step(page, 'composer-rich-reply', async () => {
      const loaded: string[] = []
      page.on('request', (r) => { if (r.url().endsWith('.js')) loaded.push(r.url()) })
      await page.goto(`${server.url}/agent/tickets/${ticket.number}`)
      await page.getByRole('heading', { name: 'El módem se reinicia solo' }).waitFor()
      const editor = page.locator('#composer-body[contenteditable="true"]')
      await editor.waitFor()
      assert.ok(loaded.some((u) => /RichEditor-[\w-]+\.js$/.test(u)), 'the editor arrives as its own chunk on the ticket page')

      await page.keyboard.press('r')
      await page.keyboard.type('Hola ')
      await page.keyboard.press('Control+b')
      await page.keyboard.type('Rosa')
      await page.keyboard.press('Control+b')
      await page.keyboard.type(', le pedimos:')
      await page.keyboard.press('Enter')
      await page.getByRole('toolbar', { name: 'Formato del texto' }).getByRole('button', { name: 'Lista numerada' }).click()
      await page.keyboard.type('Apagar el módem')
      await page.keyboard.press('Enter')
      await page.keyboard.type('Esperar 30 segundos')
      await page.keyboard.press('Enter')
      await page.keyboard.press('Enter')
      await page.keyboard.type('Así se ve la luz: ')
      await sendFiles(page, '#composer-body', [png('luz-modem.png')], 'paste')
      await editor.locator('img[alt="luz-modem.png"]').waitFor()
      assert.match(await editor.locator('img[alt="luz-modem.png"]').getAttribute('src') ?? '', /^blob:/, 'shown inline before it is uploaded')
      await sendFiles(page, '#composer-body', [txt('diagnostico.txt', 'señal -72 dBm')], 'drop')
      await page.getByRole('list', { name: 'Archivos adjuntos del mensaje' }).getByText('diagnostico.txt').waitFor()
      await page.keyboard.press('End')
      await page.keyboard.type(' Copio a @Ana')
      const option = page.getByRole('listbox', { name: 'Agentes para mencionar' }).getByRole('option', { name: /Ana Agente/ })
      await option.waitFor()
      await page.keyboard.press('Enter')
      await editor.locator(`span.mention[data-mention-id="${agentId}"]`).waitFor()
      await page.getByLabel('Al enviar:').selectOption('pending')
      await screenshot(page, 'composer-rich-draft')
      await noSeriousViolations(page)
      await editor.focus()
      await page.keyboard.press('Control+Enter')

      const sent = page.locator('li[data-internal="false"]').filter({ hasText: 'Esperar 30 segundos' })
      await sent.waitFor()
      await sent.locator('strong', { hasText: 'Rosa' }).waitFor()
      assert.equal(await sent.locator('ol > li').count(), 2)
      const img = sent.locator('.entry-body img')
      await img.waitFor()
      assert.match(await img.getAttribute('src') ?? '', /^\/api\/v1\/attachments\/[0-9a-f-]{36}$/)
      await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('li[data-internal="false"] .entry-body img')].some((i) => i.complete && i.naturalWidth > 0))
      await sent.getByRole('link', { name: 'diagnostico.txt' }).waitFor()
      assert.equal(await sent.getByRole('button', { name: 'luz-modem.png' }).count(), 0, 'an inline image is not listed again')
      await sent.locator('span.mention', { hasText: '@Ana Agente' }).waitFor()
      await page.locator('.ticket-head').getByText('En espera de información').waitFor()
      assert.equal(await editor.innerText().then((s) => s.trim()), '', 'the composer is empty after sending')
      await screenshot(page, 'composer-rich-sent')

      const comments = (await admin.get<{ items: ApiComment[] }>(`/api/v1/tickets/${ticket.id}/comments`)).items
      const c = comments.find((x) => x.body.includes('Esperar 30 segundos'))
      assert.ok(c, 'the comment was stored')
      assert.equal(c.internal, false)
      assert.match(c.bodyHtml, /<strong>Rosa<\/strong>/)
      assert.match(c.bodyHtml, /<ol>/)
      assert.doesNotMatch(c.bodyHtml, /blob:/)
      assert.match(c.body, /Hola Rosa, le pedimos:\n\n1\. Apagar el módem\n2\. Esperar 30 segundos\n\nAsí se ve la luz: \[luz-modem\.png\] Copio a @Ana Agente/)
      assert.deepEqual(c.attachments?.map((a) => a.filename).sort(), ['diagnostico.txt', 'luz-modem.png'])
      assert.deepEqual(c.mentions, [agentId], 'the mention reached the server')
    })
  })

  it('writes an internal note with a quote and a link; the customer sees the reply and its image but not the note', async () => {
    await step(page, 'composer-note', async () => {
      // Shortcuts work outside the text box (the last send left the focus in it).
      await page.getByRole('heading', { name: 'El módem se reinicia solo' }).click()
      await page.keyboard.press('n')
      const editor = page.locator('#composer-body[contenteditable="true"]')
      assert.equal(await editor.getAttribute('aria-label'), 'Nota interna')
      const toolbar = page.getByRole('toolbar', { name: 'Formato del texto' })
      await toolbar.getByRole('button', { name: 'Cita' }).click()
      await page.keyboard.type('NOTA-7731 el técnico dice: revisar fuente')
      await page.keyboard.press('Enter')
      await page.keyboard.press('Enter')
      await page.keyboard.type('Manual')
      await page.keyboard.press('Shift+Home')
      await toolbar.getByRole('button', { name: 'Enlace' }).click()
      await page.getByLabel('Dirección del enlace').fill('soporte.atiende.mx/modem')
      await page.keyboard.press('Enter')
      // The editor takes the focus back on the next animation frame (Tiptap's focus command).
      await page.waitForFunction(() => document.activeElement?.id === 'composer-body')
      // The toolbar is one Tab stop (the last tool used); arrows, Home and End move inside it.
      assert.equal(await toolbar.locator('button[tabindex="0"]').count(), 1)
      await page.keyboard.press('Shift+Tab')
      const focused = () => page.evaluate(() => document.activeElement?.closest('button')?.textContent ?? null)
      assert.match(await focused() ?? '', /Enlace$/)
      await page.keyboard.press('Home')
      assert.match(await focused() ?? '', /Negritas$/)
      await page.keyboard.press('ArrowRight')
      assert.match(await focused() ?? '', /Cursivas$/)
      await page.keyboard.press('ArrowLeft')
      await page.keyboard.press('ArrowLeft')
      assert.match(await focused() ?? '', /Enlace$/)
      await page.getByRole('button', { name: 'Guardar nota interna' }).click()
      const note = page.locator('li[data-internal="true"]').filter({ hasText: 'NOTA-7731' })
      await note.waitFor()
      await note.locator('blockquote', { hasText: 'revisar fuente' }).waitFor()
      assert.equal(await note.getByRole('link', { name: 'Manual' }).getAttribute('href'), 'https://soporte.atiende.mx/modem')
      await screenshot(page, 'composer-note-sent')

      const customer = await (await newContext(browser)).newPage()
      await logIn(customer, server.url, customerUser.email, customerUser.password, '/portal')
      await customer.goto(`${server.url}/portal/tickets/${ticket.number}`)
      const reply = customer.locator('li[data-internal="false"]').filter({ hasText: 'Esperar 30 segundos' })
      await reply.waitFor()
      await reply.locator('strong', { hasText: 'Rosa' }).waitFor()
      await customer.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('.entry-body img')].some((i) => i.complete && i.naturalWidth > 0))
      assert.ok(!(await customer.content()).includes('NOTA-7731'), 'the note reached the portal')
      await customer.close()
    })
  })

  it('the customer replies in the portal with a file dropped on the drop zone; the agent sees it live', async () => {
    const customer = await (await newContext(browser)).newPage()
    await step(customer, 'portal-reply-drop', async () => {
      await logIn(customer, server.url, customerUser.email, customerUser.password, '/portal')
      await customer.goto(`${server.url}/portal/tickets/${ticket.number}`)
      await customer.getByRole('heading', { name: 'El módem se reinicia solo' }).waitFor()
      await customer.getByLabel('Mensaje').fill('Ya lo hice, adjunto la foto.')
      await sendFiles(customer, '.dropzone', [png('foto-luces.png')], 'drop')
      await customer.locator('.file-list').getByText('foto-luces.png').waitFor()
      await customer.getByRole('button', { name: 'Enviar respuesta' }).click()
      await customer.getByRole('status').filter({ hasText: /enviad/i }).waitFor()
      await customer.getByRole('button', { name: 'foto-luces.png' }).waitFor()
      await screenshot(customer, 'portal-reply-drop')
    })
    await customer.close()
    await step(page, 'agent-sees-portal-reply', async () => {
      const entry = page.locator('li[data-internal="false"]').filter({ hasText: 'Ya lo hice' })
      await entry.waitFor({ timeout: 15_000 })
      await entry.getByRole('button', { name: 'foto-luces.png' }).waitFor()
    })
  })

  it('keeps every key when the editor arrives late: a draft begun in the plain box is sent from it, the next one is rich', async () => {
    const slow = await (await newContext(browser)).newPage()
    await step(slow, 'composer-late-editor', async () => {
      let release: () => void = () => {}
      const held = new Promise<void>((resolve) => { release = resolve })
      await slow.route('**/assets/RichEditor-*.js', async (route) => { await held; await route.continue() })
      await logIn(slow, server.url, server.adminEmail, server.adminPassword, '/agent')
      await slow.goto(`${server.url}/agent/tickets/${ticket.number}`)
      await slow.getByRole('heading', { name: 'El módem se reinicia solo' }).waitFor()
      await slow.keyboard.press('n')
      await slow.keyboard.type('LENTO-1 revisar antes de asignar')
      release()
      await slow.waitForResponse((r) => /RichEditor-[\w-]+\.js$/.test(r.url()))
      await slow.keyboard.type(' y avisar')
      const box = slow.locator('textarea#composer-body')
      assert.equal(await box.inputValue(), 'LENTO-1 revisar antes de asignar y avisar')
      await slow.keyboard.press('Control+Enter')
      await slow.locator('li[data-internal="true"]').filter({ hasText: 'LENTO-1 revisar antes de asignar y avisar' }).waitFor()
      // The ticket was not assigned by a stray "a": every key went into the note.
      assert.equal((await admin.get<{ assignee: unknown }>(`/api/v1/tickets/${ticket.id}`)).assignee, null)
      // The rich editor takes over the focus (Tiptap focuses on the next animation frame).
      await slow.locator('#composer-body[contenteditable="true"]').waitFor()
      await slow.waitForFunction(() => document.activeElement?.matches('#composer-body[contenteditable="true"]') === true, undefined, { timeout: 5000 })
    })
    await slow.close()
  })

  it('a mailed-in ticket and a mailed reply show their From/To/CC, their own attachments and the original', async () => {
    await step(page, 'email-attachments', async () => {
      await admin.post('/api/v1/mailboxes', { address: 'ayuda@atiende.test', name: 'Ayuda Atiende', inbound: 'smtp' })
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.smtpPort, secure: false, ignoreTLS: true })
      await transport.sendMail({
        from: 'Luis Cliente <luis@cliente.test>', to: 'ayuda@atiende.test', cc: 'compras@cliente.test', subject: 'Factura duplicada',
        text: 'Me cobraron dos veces la factura de octubre.', attachments: [{ filename: 'factura-octubre.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n'), contentType: 'application/pdf' }],
      })
      let created: { id: string; number: number } | undefined
      for (let i = 0; i < 40 && !created; i++) {
        created = (await admin.get<{ items: Array<{ id: string; number: number; subject: string }> }>('/api/v1/tickets?q=Factura%20duplicada')).items.find((x) => x.subject === 'Factura duplicada')
        if (!created) await new Promise((r) => setTimeout(r, 250))
      }
      assert.ok(created, 'the mail opened a ticket')
      await transport.sendMail({
        from: 'Luis Cliente <luis@cliente.test>', to: 'ayuda@atiende.test', subject: `Re: [#${created.number}] Factura duplicada`,
        text: 'Adjunto el estado de cuenta.', attachments: [{ filename: 'estado-cuenta.txt', content: 'cargo 1\ncargo 2\n', contentType: 'text/plain' }],
      })
      await page.goto(`${server.url}/agent/tickets/${created.number}`)
      const reply = page.locator('li[data-comment]').filter({ hasText: 'Adjunto el estado de cuenta.' })
      await reply.waitFor({ timeout: 20_000 })
      await reply.getByRole('link', { name: 'estado-cuenta.txt' }).waitFor()
      await reply.locator('[data-email="inbound"]').getByText('Luis Cliente <luis@cliente.test>').waitFor()
      const opening = page.locator('.timeline > li').first()
      await opening.getByRole('button', { name: 'factura-octubre.pdf' }).waitFor()
      await opening.locator('[data-email="inbound"]').getByText('compras@cliente.test').waitFor()
      assert.equal(await opening.getByText('estado-cuenta.txt').count(), 0, "the reply's file is not listed with the description")
      assert.equal(await reply.getByText('factura-octubre.pdf').count(), 0)
      const href = await opening.getByRole('link', { name: 'Ver original' }).getAttribute('href')
      const raw = await page.evaluate(async (u) => (await fetch(u ?? '')).text(), href)
      assert.match(raw, /Subject: Factura duplicada/)
      await screenshot(page, 'email-ticket-attachments')
    })
  })

  it('an agent switches off assignment emails in My account and the choice is kept', async () => {
    const agent = await (await newContext(browser)).newPage()
    await step(agent, 'account-notifications', async () => {
      await logIn(agent, server.url, agentUser.email, agentUser.password, '/agent')
      await agent.goto(`${server.url}/agent/account`)
      const card = agent.getByRole('region', { name: 'Avisos por correo' })
      const assigned = card.getByRole('switch', { name: 'Cuando me asignan un ticket' })
      await assigned.waitFor()
      assert.equal(await assigned.isChecked(), true)
      await assigned.uncheck()
      await card.getByRole('status').filter({ hasText: 'Aviso actualizado.' }).waitFor()
      await noSeriousViolations(agent)
      await screenshot(agent, 'account-notifications')
      await agent.reload()
      await agent.getByRole('switch', { name: 'Cuando me asignan un ticket' }).waitFor()
      assert.equal(await agent.getByRole('switch', { name: 'Cuando me asignan un ticket' }).isChecked(), false)
      assert.equal(await agent.getByRole('switch', { name: 'Cuando me mencionan (@) en un ticket' }).isChecked(), true)
      const me = await ApiSession.login(server.url, agentUser.email, agentUser.password)
      const prefs = await me.get<Record<string, boolean>>('/api/v1/me/email-notifications')
      assert.deepEqual([prefs.assigned, prefs.mentioned, prefs.customerReply], [false, true, true])
      // Customers have no such switches.
      const customer = await (await newContext(browser)).newPage()
      await logIn(customer, server.url, customerUser.email, customerUser.password, '/portal')
      await customer.goto(`${server.url}/portal/account`)
      await customer.getByRole('heading', { name: 'Mi cuenta' }).waitFor()
      assert.equal(await customer.getByRole('region', { name: 'Avisos por correo' }).count(), 0)
      await customer.close()
    })
    await agent.close()
  })
})
