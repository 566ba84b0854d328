import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { adminPage, axeSerious, screenshot, step } from './support/browser'

interface Created { id: string; number: number; subject: string }

/** The ticket numbers the table shows, in order. */
async function rows(page: Page): Promise<number[]> {
  return (await page.locator('tr[data-ticket]').evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-ticket')))))
}

/** The count the sidebar shows next to a view. */
async function waitForCount(page: Page, view: string, expected: number) {
  const count = page.getByRole('navigation', { name: 'Vistas' }).getByRole('link', { name: new RegExp(`^${view}`) }).locator('.count')
  const deadline = Date.now() + 10_000
  let got = ''
  while (Date.now() < deadline) {
    got = (await count.innerText().catch(() => '')).trim()
    if (got === String(expected)) return
    await page.waitForTimeout(150)
  }
  assert.equal(got, String(expected), `count of «${view}»`)
}

async function waitForRows(page: Page, expected: number[]) {
  const want = [...expected].sort((a, b) => a - b)
  const deadline = Date.now() + 10_000
  let got: number[] = []
  while (Date.now() < deadline) {
    got = (await rows(page)).sort((a, b) => a - b)
    if (JSON.stringify(got) === JSON.stringify(want)) return
    await page.waitForTimeout(150)
  }
  assert.deepEqual(got, want)
}

describe('inbox: filters, saved views, bulk assign and merge (browser)', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let admin: ApiSession
  const t: Record<string, Created> = {}
  const beto = { email: 'beto@atiende.test', name: 'Beto Agente', password: 'Agente-e2e-2026!' }
  let betoId = ''

  before(async () => {
    server = await startServer()
    admin = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
    betoId = (await admin.createUser({ ...beto, role: 'agent' })).id
    const make = (key: string, subject: string, type: string, priority: string, requester: string) =>
      admin.post<Created>('/api/v1/tickets', {
        subject, description: `${subject}. Reportado por teléfono.`, type, priority, channel: 'phone',
        requester: { name: requester, email: `${requester.split(' ')[0].toLowerCase()}@cliente.test` },
      }).then((r) => { t[key] = r })
    await make('outage', 'Falla de red en sitio Norte', 'incidente_servicio', 'urgent', 'Rosa Operaciones')
    await make('quote', 'Cotización de 50 líneas', 'solicitud_cotizacion', 'normal', 'Luis Compras')
    await make('balance', 'Consulta de saldo prepago', 'consulta', 'low', 'Marta Cliente')
    await make('dup', 'Sin servicio de datos en sitio Norte', 'incidente_servicio', 'high', 'Pedro Sitio')
    ;({ browser, page } = await adminPage(server))
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('filters by priority with repeated query parameters and saves the filters as a view', async () => {
    await step(page, 'inbox-filters', async () => {
      // A full load asks for the list once: the request index.html starts early is the one the app uses.
      const listRequests: string[] = []
      const onRequest = (r: { url: () => string }) => { if (/\/api\/v1\/tickets\?/.test(r.url())) listRequests.push(r.url()) }
      // Off the app first: a page still open may refetch its own list (a live update) meanwhile.
      await page.goto('about:blank')
      page.on('request', onRequest)
      await page.goto(`${server.url}/agent/views/all`)
      await page.locator('tr[data-ticket]').first().waitFor()
      page.off('request', onRequest)
      assert.deepEqual(listRequests.map((u) => new URL(u).search), ['?sort=-updatedAt&limit=50'])
      await waitForRows(page, Object.values(t).map((x) => x.number))
      // Sidebar counts apply each view's status filter.
      await waitForCount(page, 'Todos', 4)
      await waitForCount(page, 'Sin asignar', 4)
      await waitForCount(page, 'En espera de información', 0)
      await waitForCount(page, 'Resueltos recientes', 0)
      await page.getByRole('button', { name: 'Filtros' }).click()
      const form = page.getByRole('form', { name: 'Filtros' })
      await form.getByRole('checkbox', { name: 'Urgente' }).check()
      await form.getByRole('checkbox', { name: 'Alta' }).check()
      const request = page.waitForRequest((r) => r.url().includes('/api/v1/tickets?') && r.url().includes('priority='))
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      const url = new URL((await request).url())
      // The querystring schema's arrays: the key repeats once per value.
      assert.deepEqual(url.searchParams.getAll('priority'), ['urgent', 'high'])
      await waitForRows(page, [t.outage.number, t.dup.number])
      await screenshot(page, 'inbox-filtered')
      assert.deepEqual(await axeSerious(page), [])

      // Type is filtered by code, dates by day bounds in the viewer's zone.
      const typeField = form.locator('.multi-select').filter({ has: page.getByText('Tipo', { exact: true }) })
      await typeField.locator('summary').click()
      await typeField.getByRole('group', { name: 'Tipo' }).getByRole('checkbox', { name: 'Incidente en el servicio' }).check()
      await page.keyboard.press('Escape')
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      await waitForRows(page, [t.outage.number, t.dup.number])
      await form.getByLabel('Creado hasta').fill('2020-01-01')
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      await page.getByText('Ningún ticket coincide con los filtros').waitFor()
      await form.getByLabel('Creado hasta').fill('')
      await form.getByRole('button', { name: 'Aplicar filtros' }).click()
      await waitForRows(page, [t.outage.number, t.dup.number])

      await form.getByRole('button', { name: 'Guardar como vista' }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel('Nombre de la vista').fill('Incidentes urgentes')
      await dialog.getByRole('button', { name: 'Guardar' }).click()
      await page.waitForURL(/\/agent\/views\/saved-/)
      await page.getByRole('heading', { name: 'Incidentes urgentes' }).waitFor()
      await waitForRows(page, [t.outage.number, t.dup.number])
      const link = page.getByRole('navigation', { name: 'Vistas' }).getByRole('link', { name: /Incidentes urgentes/ })
      await link.filter({ hasText: '2' }).waitFor()
    })
  })

  it('a saved view keeps working after a reload (the server applies it)', async () => {
    await step(page, 'inbox-saved-view', async () => {
      await page.reload()
      await page.getByRole('heading', { name: 'Incidentes urgentes' }).waitFor()
      await waitForRows(page, [t.outage.number, t.dup.number])
      const views = await admin.get<{ items: Array<{ name: string; filters: Record<string, unknown> }> }>('/api/v1/ticket-views')
      const saved = views.items.find((v) => v.name === 'Incidentes urgentes')
      assert.deepEqual(saved?.filters, { priority: ['urgent', 'high'], type: ['incidente_servicio'] })
      await screenshot(page, 'inbox-saved-view')
    })
  })

  it('assigns two tickets at once from the bulk bar', async () => {
    await step(page, 'inbox-bulk-assign', async () => {
      await page.goto(`${server.url}/agent/views/all`)
      await waitForRows(page, Object.values(t).map((x) => x.number))
      await page.getByRole('checkbox', { name: `Seleccionar el ticket #${t.quote.number}` }).check()
      await page.getByRole('checkbox', { name: `Seleccionar el ticket #${t.balance.number}` }).check()
      const bar = page.getByRole('region', { name: 'Acciones masivas' })
      await bar.getByText('2 tickets seleccionados').waitFor()
      await screenshot(page, 'inbox-bulk-bar')
      await bar.getByLabel('Asignar a').selectOption({ label: beto.name })
      await page.getByRole('status').filter({ hasText: 'Se actualizaron 2 tickets.' }).waitFor()
      for (const key of ['quote', 'balance']) {
        await page.locator(`tr[data-ticket="${t[key].number}"]`).getByText(beto.name).waitFor()
        const detail = await admin.get<{ assignee: { id: string } | null }>(`/api/v1/tickets/${t[key].id}`)
        assert.equal(detail.assignee?.id, betoId)
      }
      const other = await admin.get<{ assignee: { id: string } | null }>(`/api/v1/tickets/${t.outage.id}`)
      assert.equal(other.assignee, null)
      await waitForCount(page, 'Sin asignar', 2)
    })
  })

  it('merges a duplicate into the ticket that stays', async () => {
    await step(page, 'inbox-merge', async () => {
      await page.getByRole('checkbox', { name: `Seleccionar el ticket #${t.outage.number}` }).check()
      await page.getByRole('checkbox', { name: `Seleccionar el ticket #${t.dup.number}` }).check()
      await page.getByRole('region', { name: 'Acciones masivas' }).getByRole('button', { name: 'Fusionar…' }).click()
      const dialog = page.getByRole('dialog', { name: 'Fusionar tickets' })
      await dialog.getByRole('radio', { name: new RegExp(`#${t.outage.number}`) }).check()
      await screenshot(page, 'inbox-merge-dialog')
      assert.deepEqual(await axeSerious(page), [])
      await dialog.getByRole('button', { name: 'Fusionar', exact: true }).click()
      await page.getByRole('status').filter({ hasText: `Se fusionó 1 ticket en el #${t.outage.number}.` }).waitFor()
      await page.locator(`tr[data-ticket="${t.dup.number}"]`).getByText('Cancelado').waitFor()
      const dup = await admin.get<{ status: string; mergedIntoId: string | null }>(`/api/v1/tickets/${t.dup.id}`)
      assert.equal(dup.status, 'cancelled')
      assert.equal(dup.mergedIntoId, t.outage.id)
      // The ticket that stays shows the merged one among its links, and its conversation moved over.
      await page.goto(`${server.url}/agent/tickets/${t.outage.number}`)
      await page.getByRole('region', { name: 'Tickets vinculados' }).getByRole('link', { name: `#${t.dup.number}` }).waitFor()
      await page.getByText('Sin servicio de datos en sitio Norte', { exact: false }).first().waitFor()
      await screenshot(page, 'ticket-after-merge')
    })
  })
})
