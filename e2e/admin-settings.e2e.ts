import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { launchBrowser, logIn, newContext, noSeriousViolations, screenshot, step } from './support/browser'

interface TicketSettings { reopenWindowDays: number; defaultTypeCode: string; defaultPriority: string; defaultCategoryId: string | null }
interface Setting { key: string; value: unknown; isDefault: boolean }
interface Team { id: string; name: string; members: Array<{ id: string; name: string; active: boolean }> }
interface Paged<T> { items: T[]; nextCursor?: string | null }

const settingValue = async (api: ApiSession, key: string) => (await api.get<{ items: Setting[] }>('/api/v1/settings')).items.find((s) => s.key === key)

describe('admin settings, team members, users past 50 and a Windows-1252 import (browser)', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let api: ApiSession

  before(async () => {
    server = await startServer()
    api = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
    browser = await launchBrowser()
    page = await (await newContext(browser)).newPage()
    await logIn(page, server.url, server.adminEmail, server.adminPassword, '/agent')
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('saves ticket defaults from «Ajustes»: the API and a new ticket use them', async () => {
    await step(page, 'admin-settings-tickets', async () => {
      await page.goto(`${server.url}/admin`)
      await page.getByRole('navigation', { name: 'Administración' }).getByRole('link', { name: 'Ajustes' }).click()
      await page.waitForURL('**/admin/settings')
      await page.getByRole('heading', { name: 'Ajustes', level: 1 }).waitFor()
      const form = page.locator('form', { has: page.getByRole('heading', { name: 'Tickets', level: 2 }) })
      const days = form.getByLabel('Días para reabrir un ticket resuelto')
      assert.equal(await days.inputValue(), '7')
      await form.getByText('Durante este plazo el solicitante puede reabrir').waitFor()

      // Checked before sending: nothing reaches the server.
      let patches = 0
      page.on('request', (r) => { if (r.method() === 'PATCH' && r.url().endsWith('/api/v1/ticket-settings')) patches++ })
      await days.fill('400')
      await form.getByRole('button', { name: 'Guardar' }).click()
      await form.getByRole('alert').filter({ hasText: 'Escriba un número entero entre 0 y 365.' }).waitFor()
      assert.equal(patches, 0)

      await days.fill('3')
      await form.getByLabel('Prioridad por omisión').selectOption({ label: 'Alta' })
      await form.getByRole('button', { name: 'Guardar' }).click()
      await form.getByRole('status').filter({ hasText: 'Ajustes de tickets guardados.' }).waitFor()
      assert.equal(patches, 1)
      assert.equal(await form.getByRole('alert').count(), 0)
      const saved = await api.get<TicketSettings>('/api/v1/ticket-settings')
      assert.equal(saved.reopenWindowDays, 3)
      assert.equal(saved.defaultPriority, 'high')

      const ticket = await api.post<{ id: string; priority: string }>('/api/v1/tickets', { subject: 'Sin prioridad indicada', description: 'La bomba 3 no despacha.' })
      assert.equal(ticket.priority, 'high', 'a ticket created with only subject and description takes the default priority')

      // The server's refusal is shown as it says it: a type deleted after the page loaded.
      const type = await api.post<{ id: string }>('/api/v1/ticket-types', { code: 'temporal', nameEs: 'Temporal', nameEn: 'Temporary' })
      await page.reload()
      await form.getByLabel('Tipo por omisión').selectOption({ label: 'Temporal' })
      await api.request('DELETE', `/api/v1/ticket-types/${type.id}`)
      await form.getByRole('button', { name: 'Guardar' }).click()
      await form.getByRole('alert').filter({ hasText: 'No existe el tipo de ticket «temporal».' }).first().waitFor()
      await screenshot(page, 'admin-settings-error')
      await form.getByLabel('Tipo por omisión').selectOption({ label: 'Consulta' })
      await form.getByRole('button', { name: 'Guardar' }).click()
      await form.getByRole('status').filter({ hasText: 'Ajustes de tickets guardados.' }).waitFor()
    })
  })

  it('saves general and email settings, checks them first, and restores a default', async () => {
    await step(page, 'admin-settings-general', async () => {
      const general = page.locator('form', { has: page.getByRole('heading', { name: 'General', level: 2 }) })
      const email = page.locator('form', { has: page.getByRole('heading', { name: 'Correo', level: 2 }) })
      const from = general.getByLabel('Remitente de los correos del sistema')
      await from.fill('soporte')
      await general.getByRole('button', { name: 'Guardar' }).click()
      await general.getByRole('alert').filter({ hasText: 'Escriba una dirección de correo' }).waitFor()
      await from.fill('Mesa de Ayuda <soporte@gasolineras.mx>')
      await general.getByLabel('Idioma de los usuarios nuevos').selectOption('en')
      await general.getByLabel('Zona horaria de los usuarios nuevos').selectOption('America/Monterrey')
      await general.getByRole('button', { name: 'Guardar' }).click()
      await general.getByRole('status').filter({ hasText: 'Se guardaron 3 ajustes.' }).waitFor()
      assert.equal((await settingValue(api, 'mail.from'))?.value, 'Mesa de Ayuda <soporte@gasolineras.mx>')
      assert.equal((await settingValue(api, 'users.defaultLocale'))?.value, 'en')
      assert.equal((await settingValue(api, 'users.defaultTimezone'))?.value, 'America/Monterrey')

      const deny = email.getByLabel('Remitentes bloqueados')
      await deny.fill('spam@ejemplo.com\nno es correo')
      await email.getByRole('button', { name: 'Guardar' }).click()
      await email.getByRole('alert').filter({ hasText: '«no es correo» no es una dirección' }).waitFor()
      await deny.fill('spam@ejemplo.com\n@molesto.mx\n')
      await email.getByLabel('Correos por hora de un mismo remitente').fill('12')
      await email.getByLabel('Tamaño máximo de un correo entrante (MB)').fill('10')
      await email.getByRole('button', { name: 'Guardar' }).click()
      await email.getByRole('status').filter({ hasText: 'Se guardaron 3 ajustes.' }).waitFor()
      assert.deepEqual((await settingValue(api, 'email.denyList'))?.value, ['spam@ejemplo.com', '@molesto.mx'])
      assert.equal((await settingValue(api, 'email.senderRateLimitPerHour'))?.value, 12)
      assert.equal((await settingValue(api, 'email.maxMessageBytes'))?.value, 10 * 1024 * 1024)
      await screenshot(page, 'admin-settings')
      await noSeriousViolations(page)

      await general.getByRole('button', { name: 'Restaurar valor predeterminado: Remitente de los correos del sistema' }).click()
      await general.getByRole('status').filter({ hasText: 'Valor predeterminado restaurado.' }).waitFor()
      assert.equal(await from.inputValue(), '')
      const restored = await settingValue(api, 'mail.from')
      assert.equal(restored?.value, null)
      assert.equal(restored?.isDefault, true)
    })
  })

  it('shows the settings in English, with the server\'s hints in English', async () => {
    await step(page, 'admin-settings-en', async () => {
      await page.getByRole('group', { name: 'Idioma' }).getByRole('button', { name: 'English' }).click()
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor()
      await page.getByLabel('Days to reopen a resolved ticket').waitFor()
      await page.getByText('Blocked senders: full addresses').waitFor()
      assert.equal(await page.getByLabel('Days to reopen a resolved ticket').inputValue(), '3')
      await screenshot(page, 'admin-settings-en')
      await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Español' }).click()
      await page.getByRole('heading', { name: 'Ajustes', level: 1 }).waitFor()
    })
  })

  it('lets a deactivated member be seen and taken off, and other changes to the team go through', async () => {
    await step(page, 'admin-teams-inactive', async () => {
      const pw = 'Agente-e2e-2026!'
      const ana = await api.createUser({ email: 'ana@atiende.test', name: 'Ana Activa', role: 'agent', password: pw })
      const ivan = await api.createUser({ email: 'ivan@atiende.test', name: 'Iván Inactivo', role: 'agent', password: pw })
      const nora = await api.createUser({ email: 'nora@atiende.test', name: 'Nora Nueva', role: 'agent', password: pw })
      const team = await api.post<Team>('/api/v1/teams', { name: 'Mesa N1', level: 1 })
      await api.request('PUT', `/api/v1/teams/${team.id}/members`, { userIds: [ana.id, ivan.id] })
      await api.patch(`/api/v1/users/${ivan.id}`, { active: false })

      await page.goto(`${server.url}/admin/teams`)
      const card = page.locator('section', { has: page.getByRole('heading', { name: /Mesa N1/ }) })
      const inactive = card.getByRole('checkbox', { name: 'Iván Inactivo (inactivo)' })
      await inactive.waitFor()
      assert.equal(await inactive.isChecked(), true)
      await screenshot(page, 'admin-teams-inactive')

      // Adding someone while the deactivated member is still on the team.
      await card.getByRole('checkbox', { name: 'Nora Nueva' }).check()
      const deadline = Date.now() + 10_000
      while (!(await api.get<Team>(`/api/v1/teams/${team.id}`)).members.some((m) => m.id === nora.id)) {
        assert.ok(Date.now() < deadline, `Nora was not added: ${await card.innerText()}`)
        await page.waitForTimeout(200)
      }
      await card.getByRole('checkbox', { name: 'Nora Nueva' }).and(page.locator(':checked')).waitFor()
      assert.equal(await card.getByRole('alert').count(), 0, await card.innerText())

      // Taking the deactivated member off.
      await inactive.uncheck()
      await card.getByRole('checkbox', { name: 'Iván Inactivo (inactivo)' }).waitFor({ state: 'detached' })
      assert.equal(await card.getByRole('alert').count(), 0)
      const after = await api.get<Team>(`/api/v1/teams/${team.id}`)
      assert.deepEqual(after.members.map((m) => m.id).sort(), [ana.id, nora.id].sort())
      await noSeriousViolations(page)
    })
  })

  it('pages users past 50, and the team picker sees every active agent', async () => {
    await step(page, 'admin-users-paging', async () => {
      for (let i = 1; i <= 55; i++) {
        const n = String(i).padStart(3, '0')
        await api.createUser({ email: `zz${n}@atiende.test`, name: `Zeta Agente ${n}`, role: 'agent', password: 'Agente-e2e-2026!' })
      }
      const total = (await api.get<Paged<unknown>>('/api/v1/users?limit=200')).items.length
      assert.ok(total > 55, `users: ${total}`)

      await page.goto(`${server.url}/admin/users`)
      const rows = page.locator('table.grid tbody tr')
      await rows.first().waitFor()
      assert.equal(await rows.count(), 50)
      await page.getByRole('status').filter({ hasText: 'Se muestran 50 usuarios; hay más.' }).waitFor()
      await page.getByRole('button', { name: 'Cargar más' }).click()
      await page.getByRole('status').filter({ hasText: `${total} usuarios.` }).waitFor()
      assert.equal(await rows.count(), total)
      await page.getByRole('cell', { name: 'Zeta Agente 055', exact: true }).waitFor()
      assert.equal(await page.getByRole('button', { name: 'Cargar más' }).count(), 0)
      await screenshot(page, 'admin-users-paging')

      await page.goto(`${server.url}/admin/teams`)
      const card = page.locator('section', { has: page.getByRole('heading', { name: /Mesa N1/ }) })
      await card.getByRole('checkbox', { name: 'Zeta Agente 055' }).waitFor()
      // Every active staff user: Ana, Nora, the admin and the 55 agents (Iván is inactive and off the team).
      assert.equal(await card.getByRole('checkbox').count(), 3 + 55)
    })
  })

  it('imports a Windows-1252 CSV from Excel with its accents, and numbers error rows as the sheet does', async () => {
    await step(page, 'admin-import-cp1252', async () => {
      const csv = 'organización;nombre;correo\r\nGasolinera Peñasco;José Peña;jose.pena@penasco.mx\r\n\r\nGasolinera Peñasco;Sin Correo;no-es-correo\r\n'
      await page.goto(`${server.url}/admin/import`)
      await page.getByLabel('Archivo CSV').setInputFiles({ name: 'contactos.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'latin1') })
      await page.getByText('2 filas listas para importar.').waitFor()
      assert.equal(await page.getByText('Columnas ignoradas').count(), 0)
      await page.getByRole('button', { name: 'Importar' }).click()
      await page.getByRole('heading', { name: 'Importación terminada' }).waitFor({ timeout: 20_000 })
      const errors = page.getByRole('table', { name: 'Filas con error' })
      await errors.waitFor()
      assert.equal((await errors.locator('tbody tr td').first().innerText()).trim(), '4', 'header = 1, José = 2, blank line = 3')
      await screenshot(page, 'admin-import-cp1252')

      const users = await api.get<Paged<{ name: string; email: string }>>('/api/v1/users?q=jose.pena')
      assert.deepEqual(users.items.map((u) => u.name), ['José Peña'])
      const orgs = await api.get<Paged<{ name: string }>>(`/api/v1/organizations?q=${encodeURIComponent('Peñasco')}`)
      assert.deepEqual(orgs.items.map((o) => o.name), ['Gasolinera Peñasco'])
    })
  })
})
