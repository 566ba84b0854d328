import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page, Response } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { launchBrowser, logIn, newContext, screenshot, step } from './support/browser'
import { PNG } from './support/files'

const NOTE = 'NOTA-SECRETA-7731 revisar con el proveedor de pagos'
const REPLY = 'Hola Carmen, ya estamos revisando su recarga.'

/**
 * Records what the customer's browser receives: every HTTP response body (page.on('response')) and
 * every Server-Sent Event (EventSource wrapped by an init script, since a stream's body never ends).
 */
function captureTraffic(page: Page) {
  const bodies: Array<{ url: string; body: string }> = []
  const pending: Array<Promise<void>> = []
  page.on('response', (r: Response) => {
    const type = r.headers()['content-type'] ?? ''
    if (type.includes('text/event-stream')) return
    pending.push(r.text().then((body) => { bodies.push({ url: r.url(), body }) }, () => {}))
  })
  return {
    bodies,
    async settle() { await Promise.all(pending) },
  }
}

describe('customer files a ticket, agent replies and notes, resolve → reopen → resolve → confirm (browser)', () => {
  let server: TestServer
  let browser: Browser
  let agent: Page
  let customer: Page
  let number = ''
  let traffic: ReturnType<typeof captureTraffic>
  const sse: string[] = []
  const agentUser = { email: 'alma@atiende.test', name: 'Alma Agente', password: 'Agente-e2e-2026!' }
  const customerUser = { email: 'carmen@cliente.test', name: 'Carmen Cliente', password: 'Cliente-e2e-2026!' }

  before(async () => {
    server = await startServer()
    const admin = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
    await admin.createUser({ ...agentUser, role: 'agent' })
    await admin.createUser({ ...customerUser, role: 'customer' })
    browser = await launchBrowser()
    agent = await (await newContext(browser)).newPage()
    const customerContext = await newContext(browser)
    // Every live event the portal's EventSource receives, across page loads.
    await customerContext.exposeBinding('__recordSse', (_source, data: string) => { sse.push(data) })
    await customerContext.addInitScript(() => {
      const w = window as unknown as { __recordSse: (data: string) => void; EventSource: typeof EventSource }
      const Original = w.EventSource
      w.EventSource = class extends Original {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(url, init)
          for (const type of ['change', 'message', 'presence']) this.addEventListener(type, (e) => { void w.__recordSse((e as MessageEvent<string>).data) })
        }
      }
    })
    customer = await customerContext.newPage()
    traffic = captureTraffic(customer)
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('the agent watches the inbox while the customer files a ticket with an attachment in the portal', async () => {
    await step(agent, 'lifecycle-agent-inbox', async () => {
      await logIn(agent, server.url, agentUser.email, agentUser.password, '/agent')
      await agent.goto(`${server.url}/agent/views/all`)
      await agent.getByRole('heading', { name: 'Todos' }).waitFor()
      await agent.getByText('No hay tickets').first().waitFor()
      // A marker that a reload or navigation would wipe out.
      await agent.evaluate(() => { (window as unknown as { __noReload: boolean }).__noReload = true })
    })
    await step(customer, 'lifecycle-portal-new', async () => {
      await logIn(customer, server.url, customerUser.email, customerUser.password, '/portal')
      await customer.getByRole('navigation').getByRole('link', { name: 'Nuevo ticket' }).click()
      await customer.getByRole('heading', { name: 'Nuevo ticket' }).waitFor()
      await customer.getByLabel('Asunto').fill('No se aplicó mi recarga de $200')
      await customer.getByLabel('Descripción').fill('Pagué con tarjeta a las 10:15 y el saldo no cambió.')
      await customer.getByLabel('Pasos realizados / lo que ya intentó').fill('Reinicié el teléfono y volví a entrar a la app.')
      await customer.getByTestId('file-input').setInputFiles({ name: 'comprobante.png', mimeType: 'image/png', buffer: PNG })
      await customer.getByText('comprobante.png').waitFor()
      await screenshot(customer, 'portal-new-ticket')
      await customer.getByRole('button', { name: 'Enviar solicitud' }).click()
      await customer.getByRole('heading', { name: 'Recibimos su solicitud' }).waitFor()
      number = (await customer.locator('.big-number').innerText()).trim()
      assert.match(number, /^\d+$/)
      await screenshot(customer, 'portal-ticket-created')
    })
  })

  it('shows the new ticket in the agent inbox without a reload', async () => {
    await step(agent, 'lifecycle-agent-live', async () => {
      await agent.locator(`tr[data-ticket="${number}"]`).waitFor({ timeout: 15_000 })
      assert.equal(await agent.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload), true, 'the inbox was reloaded')
      await screenshot(agent, 'lifecycle-agent-inbox-live')
    })
  })

  it('the agent opens it, sees the attachment, adds an internal note and a public reply', async () => {
    await step(agent, 'lifecycle-agent-reply', async () => {
      await agent.locator(`tr[data-ticket="${number}"]`).getByRole('link', { name: `#${number}` }).click()
      await agent.getByRole('heading', { name: 'No se aplicó mi recarga de $200' }).waitFor()
      await agent.getByRole('button', { name: 'comprobante.png' }).waitFor()
      await agent.getByText('Reinicié el teléfono').waitFor()
      await agent.keyboard.press('n')
      await agent.keyboard.type(NOTE)
      await agent.getByRole('button', { name: 'Guardar nota interna' }).click()
      await agent.locator('li[data-internal="true"]').filter({ hasText: NOTE }).waitFor()
      await agent.keyboard.press('r')
      await agent.keyboard.type(REPLY)
      await agent.getByRole('button', { name: 'Enviar respuesta' }).click()
      await agent.locator('li[data-internal="false"]').filter({ hasText: REPLY }).waitFor()
      await screenshot(agent, 'lifecycle-agent-ticket')
    })
  })

  it('the customer sees the reply but not the note — on the page, in its HTML and in every response', async () => {
    await step(customer, 'lifecycle-customer-reply', async () => {
      await customer.getByRole('link', { name: 'Ver el ticket' }).click()
      await customer.getByRole('heading', { name: 'No se aplicó mi recarga de $200' }).waitFor()
      await customer.getByText(REPLY).waitFor()
      await customer.getByRole('button', { name: 'comprobante.png' }).waitFor()
      assert.ok(!(await customer.locator('body').innerText()).includes('NOTA-SECRETA'), 'note visible on the page')
      assert.ok(!(await customer.content()).includes('NOTA-SECRETA'), 'note in the page HTML')
      assert.equal(await customer.locator('[data-internal="true"]').count(), 0)
      // Also what another way in would show: the list and search pages.
      await customer.goto(`${server.url}/portal/tickets?q=proveedor`)
      await customer.getByRole('heading', { name: 'Mis tickets' }).waitFor()
      await customer.waitForLoadState('networkidle')
      await customer.goto(`${server.url}/portal/tickets/${number}`)
      await customer.getByText(REPLY).waitFor()
      await customer.waitForLoadState('networkidle')
      await traffic.settle()
      const api = traffic.bodies.filter((b) => b.url.includes('/api/'))
      assert.ok(api.some((b) => b.body.includes(REPLY)), 'the reply came through the API')
      const leaks = traffic.bodies.filter((b) => b.body.includes('NOTA-SECRETA') || b.body.includes('proveedor de pagos'))
      assert.deepEqual(leaks.map((l) => l.url), [], 'note in a network response')
      assert.ok(sse.length > 0, 'the portal received live events')
      assert.ok(!sse.some((e) => e.includes('NOTA-SECRETA')), 'note in a live event')
      await screenshot(customer, 'portal-ticket-reply')
    })
  })

  it('the agent resolves; the customer is asked «¿Quedó resuelto?» and reopens with a comment', async () => {
    await step(agent, 'lifecycle-agent-resolve', async () => {
      await agent.getByLabel('Estatus', { exact: true }).selectOption('resolved')
      await agent.locator('.ticket-head').getByText('Resuelto').waitFor()
    })
    await step(customer, 'lifecycle-customer-reopen', async () => {
      // Live: the open page learns about the change without a reload.
      await customer.getByRole('heading', { name: '¿Quedó resuelto?' }).waitFor({ timeout: 15_000 })
      await screenshot(customer, 'portal-resolved-question')
      await customer.getByRole('button', { name: 'No, reabrir' }).click()
      await customer.getByLabel('¿Qué sigue sin funcionar?').fill('El saldo sigue sin aparecer después de 2 horas.')
      await customer.getByRole('button', { name: 'Reabrir y enviar' }).click()
      await customer.getByRole('status').filter({ hasText: 'Ticket reabierto' }).waitFor()
      await customer.locator('.ticket-head').getByText('En proceso').waitFor()
    })
  })

  it('the agent sees the reopening live and resolves again; the customer confirms and the ticket closes', async () => {
    await step(agent, 'lifecycle-agent-resolve-again', async () => {
      await agent.getByText('El saldo sigue sin aparecer').waitFor({ timeout: 15_000 })
      await agent.locator('.ticket-head').getByText('En proceso').waitFor()
      await agent.getByLabel('Estatus', { exact: true }).selectOption('resolved')
      await agent.locator('.ticket-head').getByText('Resuelto').waitFor()
    })
    await step(customer, 'lifecycle-customer-confirm', async () => {
      await customer.getByRole('heading', { name: '¿Quedó resuelto?' }).waitFor({ timeout: 15_000 })
      await customer.getByRole('button', { name: 'Sí, quedó resuelto' }).click()
      await customer.getByRole('status').filter({ hasText: 'el ticket quedó cerrado' }).waitFor()
      await customer.locator('.ticket-head').getByText('Cerrado').waitFor()
      await screenshot(customer, 'portal-ticket-closed')
      // Over the whole flow, nothing the customer's browser received carried the note.
      await traffic.settle()
      assert.deepEqual(traffic.bodies.filter((x) => x.body.includes('NOTA-SECRETA')).map((x) => x.url), [])
      assert.ok(!sse.some((e) => e.includes('NOTA-SECRETA')), 'note in a live event')
    })
    await step(agent, 'lifecycle-agent-closed', async () => {
      await agent.locator('.ticket-head').getByText('Cerrado').waitFor({ timeout: 15_000 })
      await agent.getByRole('tab', { name: 'Historial' }).click()
      await agent.getByRole('tabpanel').getByRole('table', { name: 'Historial', exact: true }).waitFor()
      await screenshot(agent, 'lifecycle-agent-history')
      // A reply to the closed ticket opens its follow-up, and the agent is taken there.
      await agent.getByRole('tab', { name: 'Conversación' }).click()
      await agent.getByText('Este ticket ya está cerrado: su respuesta abrirá un ticket de seguimiento').waitFor()
      await agent.keyboard.press('r')
      await agent.keyboard.type('Le escribimos de nuevo: ¿el saldo ya aparece?')
      // A closed ticket takes no files: the reply's file goes with it to the follow-up.
      await agent.getByTestId('composer-files').setInputFiles({ name: 'saldo-actual.png', mimeType: 'image/png', buffer: PNG })
      await agent.getByRole('button', { name: 'Enviar respuesta' }).click()
      await agent.waitForURL((url) => /\/agent\/tickets\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${number}`))
      // The follow-up says what it follows; the agent's reply is its first public reply.
      await agent.locator('.ticket-head').getByRole('link', { name: `#${number}` }).waitFor()
      await agent.getByText(`Seguimiento del ticket #${number}`).waitFor()
      await agent.locator('li[data-internal="false"]').filter({ hasText: '¿el saldo ya aparece?' }).filter({ hasText: 'saldo-actual.png' }).waitFor()
      await screenshot(agent, 'lifecycle-agent-follow-up')
    })
  })
})
