import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { adminPage, logIn, newContext, step } from './support/browser'

describe('Export CSV downloads the current view: inbox and portal (browser)', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  const customerUser = { email: 'lucia@cliente.test', name: 'Lucía Cliente', password: 'Cliente-export-2026!' }

  before(async () => {
    server = await startServer()
    const admin = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
    await admin.post('/api/v1/tickets', { subject: 'Exportación, «acentos»', description: 'Se exporta.', requester: { name: 'Cliente Export', email: 'export@cliente.test' } })
    const customer = await admin.createUser({ ...customerUser, role: 'customer' })
    await admin.post('/api/v1/tickets', { subject: 'Mi ticket exportado', description: 'Del portal.', requesterId: customer.id })
    ;({ browser, page } = await adminPage(server))
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('clicks Exportar CSV and gets a file whose header row is in Spanish', async () => {
    await step(page, 'ticket-export', async () => {
      await page.goto(`${server.url}/agent/views/all`)
      await page.locator('tr[data-ticket]').first().waitFor()
      const download = page.waitForEvent('download')
      await page.getByRole('button', { name: 'Exportar CSV' }).click()
      const file = await (await download).path()
      const text = fs.readFileSync(file, 'utf8')
      assert.ok(text.startsWith('\uFEFFNúmero,Asunto,Estatus,Prioridad,Tipo,Categoría,Solicitante,Correo del solicitante,'), text.slice(0, 200))
      assert.match(text, /"Exportación, «acentos»"/)
    })
  })

  it('a customer exports their own tickets from the portal, and only theirs', async () => {
    const portal = await (await newContext(browser)).newPage()
    await step(portal, 'portal-export', async () => {
      await logIn(portal, server.url, customerUser.email, customerUser.password, '/portal')
      await portal.goto(`${server.url}/portal/tickets`)
      await portal.getByText('Mi ticket exportado').waitFor()
      const download = portal.waitForEvent('download')
      await portal.getByRole('button', { name: 'Exportar CSV' }).click()
      const text = fs.readFileSync(await (await download).path(), 'utf8')
      assert.match(text, /Mi ticket exportado/)
      assert.doesNotMatch(text, /acentos/, 'another customer\'s ticket never appears')
    })
  })
})
