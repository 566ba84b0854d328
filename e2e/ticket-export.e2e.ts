import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { adminPage, step } from './support/browser'

describe('inbox: Export CSV downloads the current view (browser)', () => {
  let server: TestServer
  let browser: Browser
  let page: Page

  before(async () => {
    server = await startServer()
    const admin = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
    await admin.post('/api/v1/tickets', { subject: 'Exportación, «acentos»', description: 'Se exporta.', requester: { name: 'Cliente Export', email: 'export@cliente.test' } })
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
})
