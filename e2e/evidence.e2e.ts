import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { launchBrowser, logIn, newContext, screenshot, step } from './support/browser'
import { PNG } from './support/files'

interface ApiTicket { id: string; number: number; status: string }
interface ApiAttachment { id: string; filename: string; contentType: string; commentId: string | null }

describe('evidence attached while filing a ticket (browser)', () => {
  let server: TestServer
  let browser: Browser
  let customer: Page
  let agent: Page
  let admin: ApiSession
  const agentUser = { email: 'tere@atiende.test', name: 'Tere Agente', password: 'Agente-e2e-2026!' }
  const customerUser = { email: 'memo@cliente.test', name: 'Memo Cliente', password: 'Cliente-e2e-2026!' }
  let number = ''

  before(async () => {
    server = await startServer()
    admin = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
    await admin.createUser({ ...agentUser, role: 'agent' })
    await admin.createUser({ ...customerUser, role: 'customer' })
    const types = await admin.get<{ items: Array<{ id: string; code: string }> }>('/api/v1/ticket-types')
    const incident = types.items.find((t) => t.code === 'incidente_servicio')!
    await admin.patch(`/api/v1/ticket-types/${incident.id}`, { requiresEvidence: true })
    browser = await launchBrowser()
    customer = await (await newContext(browser)).newPage()
    agent = await (await newContext(browser)).newPage()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('the customer files a service incident with a screenshot in the portal; it starts new, not waiting for evidence', async () => {
    await step(customer, 'evidence-portal-new', async () => {
      await logIn(customer, server.url, customerUser.email, customerUser.password, '/portal')
      await customer.getByRole('navigation').getByRole('link', { name: 'Nuevo ticket' }).click()
      await customer.getByRole('heading', { name: 'Nuevo ticket' }).waitFor()
      await customer.getByLabel('Tipo', { exact: true }).selectOption({ label: 'Incidente en el servicio' })
      await customer.getByLabel('Asunto').fill('La app marca error al pagar')
      await customer.getByLabel('Descripción').fill('Al pagar con tarjeta aparece "Error 502".')
      // The type asks for evidence: the form says so before sending anything.
      await customer.getByRole('button', { name: 'Enviar solicitud' }).click()
      await customer.getByRole('alert').filter({ hasText: 'Evidencia' }).waitFor()
      await customer.getByTestId('file-input').setInputFiles({ name: 'error-502.png', mimeType: 'image/png', buffer: PNG })
      await customer.getByText('error-502.png').waitFor()
      const uploads: string[] = []
      customer.on('request', (r) => { if (r.method() === 'POST' && r.url().includes('/api/v1/')) uploads.push(new URL(r.url()).pathname) })
      await customer.getByRole('button', { name: 'Enviar solicitud' }).click()
      await customer.getByRole('heading', { name: 'Recibimos su solicitud' }).waitFor()
      number = (await customer.locator('.big-number').innerText()).trim()
      assert.match(number, /^\d+$/)
      assert.deepEqual(uploads, ['/api/v1/attachments', '/api/v1/tickets'], 'files staged first, then the ticket claims them')
      await screenshot(customer, 'evidence-portal-created')
    })
    const ticket = await admin.get<ApiTicket>(`/api/v1/tickets/by-number/${number}`)
    assert.equal(ticket.status, 'new', 'evidence came with the ticket')
    const files = await admin.get<{ items: ApiAttachment[] }>(`/api/v1/tickets/${ticket.id}/attachments`)
    assert.deepEqual(files.items.map((f) => [f.filename, f.contentType, f.commentId]), [['error-502.png', 'image/png', null]])
  })

  it('the agent opens the ticket and sees the file with the description', async () => {
    await step(agent, 'evidence-agent-sees-file', async () => {
      await logIn(agent, server.url, agentUser.email, agentUser.password, '/agent')
      await agent.goto(`${server.url}/agent/tickets/${number}`)
      await agent.getByRole('heading', { name: 'La app marca error al pagar' }).waitFor()
      await agent.getByRole('button', { name: 'error-502.png' }).waitFor()
      await screenshot(agent, 'evidence-agent-ticket')
    })
  })

  it('the agent files a ticket for a caller with a file from the call-centre screen', async () => {
    await step(agent, 'evidence-call-capture', async () => {
      await agent.goto(`${server.url}/agent/new-call`)
      await agent.getByRole('heading', { name: 'Nuevo ticket por llamada' }).waitFor()
      await agent.getByRole('button', { name: 'Contacto nuevo' }).click()
      await agent.getByLabel('Nombre').fill('Carmen Llamada')
      await agent.getByLabel('Teléfono').fill('5512345678')
      await agent.getByLabel('Tipo', { exact: true }).selectOption({ label: 'Incidente en el servicio' })
      await agent.getByText('queda «En espera de información»').waitFor()
      await agent.getByLabel('Asunto').fill('Cobro duplicado en la tienda 12')
      await agent.getByTestId('file-input').setInputFiles({ name: 'ticket-tienda.png', mimeType: 'image/png', buffer: PNG })
      await agent.getByText('ticket-tienda.png').waitFor()
      await agent.getByRole('button', { name: 'Crear ticket (Enter)' }).click()
      await agent.getByRole('heading', { name: 'Ticket creado' }).waitFor()
      const called = (await agent.getByTestId('ticket-number').innerText()).trim()
      const ticket = await admin.get<ApiTicket>(`/api/v1/tickets/by-number/${called}`)
      assert.equal(ticket.status, 'new')
      const files = await admin.get<{ items: ApiAttachment[] }>(`/api/v1/tickets/${ticket.id}/attachments`)
      assert.deepEqual(files.items.map((f) => f.filename), ['ticket-tienda.png'])
      await screenshot(agent, 'evidence-call-created')
    })
  })
})
