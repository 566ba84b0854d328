import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Locator, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { adminPage, axeSerious, screenshot, step } from './support/browser'

interface Created { id: string; number: number }

/** The ticket numbers the table shows, sorted, once they equal `expected` (10 s at most). */
async function waitForRows(page: Page, expected: number[]) {
  const want = [...expected].sort((a, b) => a - b)
  const deadline = Date.now() + 10_000
  let got: number[] = []
  while (Date.now() < deadline) {
    got = (await page.locator('tr[data-ticket]').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-ticket'))))).sort((a, b) => a - b)
    if (JSON.stringify(got) === JSON.stringify(want)) return
    await page.waitForTimeout(150)
  }
  assert.deepEqual(got, want)
}

/** Opens a pick-several filter field by its label and ticks the named options. */
async function pick(form: Locator, label: string, options: string[]) {
  const field = form.locator('.multi-select').filter({ has: form.page().getByText(label, { exact: true }) })
  await field.locator('summary').click()
  const group = field.getByRole('group', { name: label })
  for (const o of options) await group.getByRole('checkbox', { name: o, exact: true }).check()
  await field.locator('summary').click()
}

/** The text of one column's cell in a ticket's row. */
async function cell(page: Page, number: number, column: string): Promise<string> {
  const headers = await page.locator('table.grid thead th').allInnerTexts()
  const i = headers.findIndex((h) => h.replace(/[↑↓↕]/g, '').trim() === column)
  assert.ok(i >= 0, `column «${column}» in ${headers.join(' | ')}`)
  return (await page.locator(`tr[data-ticket="${number}"] td`).nth(i).innerText()).trim()
}

describe('inbox: site and custom field columns, several values per filter (browser)', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let admin: ApiSession
  const t: Record<string, Created> = {}
  let betoId = ''

  before(async () => {
    server = await startServer()
    admin = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
    betoId = (await admin.createUser({ email: 'beto@atiende.test', name: 'Beto Agente', password: 'Agente-e2e-2026!', role: 'agent' })).id
    const org = await admin.post<{ id: string }>('/api/v1/organizations', { name: 'Gasolineras del Norte' })
    const site = await admin.post<{ id: string }>(`/api/v1/organizations/${org.id}/sites`, { code: 'GAS-0042', name: 'Estación Insurgentes' })
    await admin.post('/api/v1/custom-fields', {
      key: 'zona', labelEs: 'Zona afectada', labelEn: 'Affected zone', kind: 'select',
      options: [{ value: 'N', labelEs: 'Norte', labelEn: 'North' }, { value: 'S', labelEs: 'Sur', labelEn: 'South' }],
    })
    const team = await admin.post<{ id: string }>('/api/v1/teams', { name: 'Mesa N1' })
    const make = async (key: string, body: Record<string, unknown>) => {
      t[key] = await admin.post<Created>('/api/v1/tickets', {
        description: 'Reportado por teléfono.', requester: { name: `Cliente ${key}`, email: `${key}@cliente.test` }, ...body,
      })
    }
    await make('pump', {
      subject: 'Dispensario 3 sin lectura', type: 'incidente_servicio', channel: 'phone', organizationId: org.id, siteId: site.id,
      customFields: { zona: 'N' }, assigneeId: betoId, teamId: team.id, priority: 'high',
    })
    await make('invoice', { subject: 'Factura con RFC erróneo', type: 'consulta', channel: 'email', assigneeId: admin.user.id })
    await make('quote', { subject: 'Cotización de 10 terminales', type: 'solicitud_cotizacion', channel: 'chat' })
    await make('balance', { subject: 'Saldo de monedero', type: 'consulta', channel: 'whatsapp', customFields: { zona: 'S' } })
    ;({ browser, page } = await adminPage(server))
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('shows the site and a custom field (its option label) as columns', async () => {
    await step(page, 'inbox-columns', async () => {
      await page.goto(`${server.url}/agent/views/all`)
      await waitForRows(page, Object.values(t).map((x) => x.number))
      await page.getByRole('button', { name: 'Columnas' }).click()
      const dialog = page.getByRole('dialog', { name: 'Columnas' })
      await dialog.getByRole('checkbox', { name: 'Sitio' }).check()
      await dialog.getByRole('checkbox', { name: 'Zona afectada' }).check()
      await dialog.locator('.btn-primary', { hasText: 'Cerrar' }).click()
      assert.equal(await cell(page, t.pump.number, 'Sitio'), 'GAS-0042 · Estación Insurgentes')
      assert.equal(await cell(page, t.pump.number, 'Zona afectada'), 'Norte')
      assert.equal(await cell(page, t.balance.number, 'Zona afectada'), 'Sur')
      assert.equal(await cell(page, t.invoice.number, 'Sitio'), '')
      // The columns stay chosen after a reload (this browser's storage).
      await page.reload()
      await waitForRows(page, Object.values(t).map((x) => x.number))
      assert.equal(await cell(page, t.pump.number, 'Sitio'), 'GAS-0042 · Estación Insurgentes')
      await screenshot(page, 'inbox-site-custom-field-columns')
    })
  })

  it('filters on several types, channels and assignees at once, and a saved view keeps them', async () => {
    await step(page, 'inbox-multi-filters', async () => {
      await page.getByRole('button', { name: 'Filtros' }).click()
      const form = page.getByRole('form', { name: 'Filtros' })
      await pick(form, 'Tipo', ['Consulta', 'Solicitud de cotización'])
      await form.locator('.multi-select summary', { hasText: 'Consulta, Solicitud de cotización' }).waitFor()
      let request = page.waitForRequest((r) => r.url().includes('/api/v1/tickets?') && r.url().includes('type='))
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      assert.deepEqual(new URL((await request).url()).searchParams.getAll('type'), ['consulta', 'solicitud_cotizacion'])
      await waitForRows(page, [t.invoice.number, t.quote.number, t.balance.number])

      await pick(form, 'Canal', ['Correo', 'WhatsApp', 'Teléfono'])
      await form.locator('.multi-select summary', { hasText: '3 seleccionados' }).waitFor()
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      await waitForRows(page, [t.invoice.number, t.balance.number])

      await pick(form, 'Propietario', ['Yo', 'Sin asignar'])
      request = page.waitForRequest((r) => r.url().includes('/api/v1/tickets?') && r.url().includes('assignee='))
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      const url = new URL((await request).url())
      assert.deepEqual(url.searchParams.getAll('assignee'), ['me', 'unassigned'])
      assert.deepEqual(url.searchParams.getAll('channel'), ['email', 'whatsapp', 'phone'])
      await waitForRows(page, [t.invoice.number, t.balance.number])
      await screenshot(page, 'inbox-multi-filters')
      assert.deepEqual(await axeSerious(page), [])

      // A long list has a search box; Escape closes the panel.
      const assignee = form.locator('.multi-select').filter({ has: page.getByText('Propietario', { exact: true }) })
      await assignee.locator('summary').click()
      await assignee.getByRole('group', { name: 'Propietario' }).getByRole('checkbox', { name: 'Beto Agente' }).check()
      await page.keyboard.press('Escape')
      await assignee.getByRole('group', { name: 'Propietario' }).waitFor({ state: 'hidden' })
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      await waitForRows(page, [t.invoice.number, t.balance.number])
      await pick(form, 'Tipo', ['Incidente en el servicio'])
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      await waitForRows(page, [t.invoice.number, t.balance.number, t.pump.number])

      await form.getByRole('button', { name: 'Guardar como vista' }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel('Nombre de la vista').fill('Consultas por canal')
      await dialog.getByRole('button', { name: 'Guardar' }).click()
      await page.waitForURL(/\/agent\/views\/saved-/)
      await page.reload()
      await page.getByRole('heading', { name: 'Consultas por canal' }).waitFor()
      await waitForRows(page, [t.invoice.number, t.balance.number, t.pump.number])
      const views = await admin.get<{ items: Array<{ name: string; filters: Record<string, unknown> }> }>('/api/v1/ticket-views')
      const saved = views.items.find((v) => v.name === 'Consultas por canal')
      assert.deepEqual(saved?.filters, {
        type: ['consulta', 'solicitud_cotizacion', 'incidente_servicio'], channel: ['email', 'whatsapp', 'phone'], assignee: ['me', 'unassigned', betoId],
      })
    })
  })

  it('filters on several teams (incl. none), tags, an organization found by name, and by date range', async () => {
    await step(page, 'inbox-team-tag-date', async () => {
      await admin.patch(`/api/v1/tickets/${t.quote.id}`, { tags: ['terminales', 'pos'] })
      await page.goto(`${server.url}/agent/views/all`)
      await waitForRows(page, Object.values(t).map((x) => x.number))
      await page.getByRole('button', { name: 'Filtros' }).click()
      const form = page.getByRole('form', { name: 'Filtros' })
      await pick(form, 'Equipo', ['Mesa N1'])
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      await waitForRows(page, [t.pump.number])
      await pick(form, 'Equipo', ['Sin equipo'])
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      await waitForRows(page, Object.values(t).map((x) => x.number))
      await form.getByLabel('Etiqueta').fill('pos, terminales')
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      await waitForRows(page, [t.quote.number])
      await form.getByLabel('Etiqueta').fill('')
      // Organizations are searched on the server as you type.
      const orgField = form.locator('.multi-select').filter({ has: page.getByText('Organización', { exact: true }) })
      await orgField.locator('summary').click()
      await orgField.getByRole('searchbox', { name: 'Buscar en Organización' }).fill('gasolin')
      await orgField.getByRole('checkbox', { name: 'Gasolineras del Norte' }).check()
      await page.keyboard.press('Escape')
      await orgField.locator('summary', { hasText: 'Gasolineras del Norte' }).waitFor()
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      await waitForRows(page, [t.pump.number])
      await orgField.locator('summary').click()
      await orgField.getByRole('button', { name: 'Quitar selección' }).click()
      await page.keyboard.press('Escape')
      // Today in the browser's zone (the context's America/Mexico_City).
      const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(new Date())
      await form.getByLabel('Actualizado desde').fill(day)
      await form.getByLabel('Actualizado hasta').fill(day)
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      await waitForRows(page, Object.values(t).map((x) => x.number))
      await form.getByLabel('Resuelto desde').fill(day)
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      await page.getByText('Ningún ticket coincide con los filtros').waitFor()
    })
  })

  it('serves hashed assets for a year and the page without caching', async () => {
    const html = await fetch(`${server.url}/agent`)
    assert.equal(html.headers.get('cache-control'), 'no-cache')
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await html.text())?.[1]
    assert.ok(asset)
    const res = await fetch(`${server.url}${asset}`)
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('cache-control'), 'public, max-age=31536000, immutable')
    assert.equal((await fetch(`${server.url}/assets/no-existe-123.js`)).status, 404)
  })
})
