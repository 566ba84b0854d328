import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import { repoRoot, startServer, type TestServer } from './support/server'
import { axeSerious, launchBrowser, newContext, screenshot, step } from './support/browser'

async function login(page: Page, url: string, email: string, password: string) {
  await page.goto(`${url}/login`)
  await page.getByLabel('Correo electrónico').fill(email)
  await page.getByLabel('Contraseña').fill(password)
  await page.getByRole('button', { name: 'Iniciar sesión' }).click()
}

async function noSeriousViolations(page: Page) {
  const v = await axeSerious(page)
  assert.deepEqual(v, [], JSON.stringify(v, null, 2))
}

describe('agent console, call capture and admin (browser)', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  const scripts = new Set<string>()

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    page = await (await newContext(browser)).newPage()
    page.on('response', (r) => { if (r.url().endsWith('.js')) scripts.add(new URL(r.url()).pathname) })
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('loads the inbox as the first screen and keeps its JavaScript under 350 KB gzipped', async () => {
    await step(page, 'inbox', async () => {
      await login(page, server.url, server.adminEmail, server.adminPassword)
      await page.waitForURL('**/agent')
      await page.getByRole('heading', { name: 'Mis tickets' }).waitFor()
      await page.waitForLoadState('networkidle')
      let total = 0
      for (const s of scripts) total += zlib.gzipSync(fs.readFileSync(path.join(repoRoot, 'web/dist', s))).length
      console.log(`# agent console first load: ${scripts.size} JS files, ${(total / 1024).toFixed(1)} KB gzipped`)
      assert.ok(total < 350 * 1024, `${total} bytes`)
      await screenshot(page, 'agent-inbox-empty')
      await noSeriousViolations(page)
    })
  })

  it('files a ticket from a call with the keyboard only and shows its number large', async () => {
    await step(page, 'call-capture', async () => {
      await page.getByRole('link', { name: 'Nuevo ticket por llamada' }).click()
      await page.getByRole('heading', { name: 'Nuevo ticket por llamada' }).waitFor()
      await noSeriousViolations(page)
      // Keyboard only from here: the caller search has focus.
      await page.keyboard.type('Rosa Llamadas')
      await page.getByRole('button', { name: 'Contacto nuevo' }).focus()
      await page.keyboard.press('Enter')
      await page.keyboard.press('Tab') // name field is focused with the typed name; go to phone
      await page.keyboard.type('55 1234 5678')
      await page.getByLabel('Asunto').focus()
      await page.keyboard.type('No puedo hacer recargas desde la app')
      await page.keyboard.press('Tab')
      await page.keyboard.type('Error 500 al pagar con tarjeta')
      await page.getByLabel('ID de llamada', { exact: true }).focus()
      await page.keyboard.type('CALL-7788')
      await page.keyboard.press('Enter')
      const number = page.getByTestId('ticket-number')
      await number.waitFor()
      const text = (await number.innerText()).trim()
      assert.match(text, /^\d+$/)
      await screenshot(page, 'call-capture-done')
      // "Otra llamada" has focus: Enter starts a new capture.
      await page.keyboard.press('Enter')
      await page.getByRole('heading', { name: 'Nuevo ticket por llamada' }).waitFor()
      // Add a call to the same ticket: find the caller by phone.
      await page.keyboard.type('5512345678')
      await page.getByRole('option').first().waitFor()
      await page.keyboard.press('ArrowDown')
      await page.keyboard.press('Enter')
      await page.getByRole('button', { name: `Agregar llamada al #${text}` }).click()
      await page.getByText('2 llamadas recibidas').waitFor()
      await page.goto(`${server.url}/agent/tickets/${text}`)
      await page.getByRole('heading', { name: 'No puedo hacer recargas desde la app' }).waitFor()
    })
  })

  it('shows internal notes clearly apart from public replies on the ticket page', async () => {
    await step(page, 'ticket-page', async () => {
      await page.keyboard.press('n')
      await page.keyboard.type('Revisar con el proveedor de pagos')
      await page.getByRole('button', { name: 'Guardar nota interna' }).click()
      const note = page.locator('li[data-internal="true"]')
      await note.waitFor()
      assert.match(await note.innerText(), /Nota interna/i)
      await page.keyboard.press('r')
      await page.keyboard.type('Estamos revisando su caso.')
      await page.getByRole('button', { name: 'Enviar respuesta' }).click()
      await page.locator('li[data-internal="false"]').filter({ hasText: 'Estamos revisando' }).waitFor()
      const bgNote = await note.evaluate((el) => getComputedStyle(el).backgroundColor)
      const bgReply = await page.locator('li[data-internal="false"]').filter({ hasText: 'Estamos revisando' }).evaluate((el) => getComputedStyle(el).backgroundColor)
      assert.notEqual(bgNote, bgReply)
      await screenshot(page, 'ticket-page')
      await noSeriousViolations(page)
      await page.getByRole('tab', { name: 'Historial' }).click()
      await page.getByRole('tabpanel').getByRole('table', { name: 'Historial', exact: true }).waitFor()
      await screenshot(page, 'ticket-history')
    })
  })

  it('lists the ticket in the inbox with live counts', async () => {
    await step(page, 'inbox-all', async () => {
      await page.goto(`${server.url}/agent/views/all`)
      await page.locator('tr[data-ticket]').first().waitFor()
      await screenshot(page, 'agent-inbox')
      await noSeriousViolations(page)
    })
  })

  it('administers users, teams and organizations', async () => {
    await step(page, 'admin', async () => {
      await page.goto(`${server.url}/admin/users`)
      await page.getByRole('heading', { name: 'Usuarios e invitaciones' }).waitFor()
      const form = page.locator('form', { has: page.getByRole('heading', { name: 'Nuevo usuario' }) })
      await form.getByLabel('Nombre').fill('Ana Agente')
      await form.getByLabel('Correo electrónico').fill('ana@atiende.test')
      await form.getByRole('button', { name: 'Crear usuario' }).click()
      await page.getByRole('status').filter({ hasText: 'ana@atiende.test' }).waitFor()
      await page.getByRole('cell', { name: 'Ana Agente', exact: true }).first().waitFor()
      await screenshot(page, 'admin-users')
      await noSeriousViolations(page)
      await page.getByRole('link', { name: 'Equipos y niveles' }).click()
      await page.getByLabel('Nombre del equipo').fill('Soporte N1')
      await page.getByRole('button', { name: 'Crear equipo' }).click()
      await page.getByRole('heading', { name: /Soporte N1/ }).waitFor()
      await screenshot(page, 'admin-teams')
      await noSeriousViolations(page)
      for (const [link, name] of [['Registro de auditoría', 'admin-audit'], ['Tareas en segundo plano', 'admin-jobs'], ['Organizaciones y sitios', 'admin-orgs']] as const) {
        await page.getByRole('link', { name: link }).click()
        await page.getByRole('heading', { name: link }).waitFor()
        await screenshot(page, name)
        await noSeriousViolations(page)
      }
    })
  })
})
