import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { adminPage, axeSerious, screenshot, step } from './support/browser'

interface Created { id: string; number: number }

/** The history table's rows as the agent reads them. */
async function historyText(page: Page): Promise<string> {
  const table = page.getByRole('tabpanel').locator('table.history')
  await table.waitFor()
  return table.locator('tbody').innerText()
}

/** No JSON, no raw action or field codes (snake_case words), no bare ids. */
function assertReadable(text: string) {
  assert.doesNotMatch(text, /[{}"]/, text)
  assert.doesNotMatch(text, /\b[a-z]+_[a-z_]+\b/, text)
  assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-/, text)
}

/** How many pixels of the search box's placeholder would not show (its text typed in, measured, removed). */
async function placeholderOverflow(page: Page): Promise<number> {
  return page.locator('#global-search').evaluate((el: HTMLInputElement) => {
    el.value = el.placeholder
    const over = el.scrollWidth - el.clientWidth
    el.value = ''
    return over
  })
}

describe('ticket history in words, search highlights, console layout at 1366 and 1024 px (browser)', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let admin: ApiSession
  const t: Record<string, Created> = {}

  before(async () => {
    server = await startServer()
    admin = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
    const beto = await admin.createUser({ email: 'beto@atiende.test', name: 'Beto Agente', password: 'Agente-e2e-2026!', role: 'agent' })
    const team = await admin.post<{ id: string }>('/api/v1/teams', { name: 'Mesa N1' })
    await admin.post('/api/v1/custom-fields', {
      key: 'zona', labelEs: 'Zona afectada', labelEn: 'Affected zone', kind: 'select',
      options: [{ value: 'N', labelEs: 'Norte', labelEn: 'North' }, { value: 'S', labelEs: 'Sur', labelEn: 'South' }],
    })
    const make = async (key: string, subject: string, description: string) => {
      t[key] = await admin.post<Created>('/api/v1/tickets', {
        subject, description, type: 'incidente_servicio', priority: 'normal', channel: 'phone',
        requester: { name: `Cliente ${key}`, email: `${key}@cliente.test` },
      })
    }
    await make('main', 'Error en la portabilidad de la línea', 'La <b>portabilidad</b> falló & el número sigue con el otro operador.')
    await make('parent', 'Falla masiva de portabilidad', 'Varios clientes sin portabilidad.')
    await make('dup', 'No se hizo mi cambio de compañía', 'Mismo problema, lo reporta otra vez.')
    for (let i = 0; i < 6; i++) await make(`extra${i}`, `Consulta de saldo número ${i + 1} con un asunto bastante largo para llenar la columna`, 'Saldo.')
    const patch = (body: Record<string, unknown>) => admin.patch(`/api/v1/tickets/${t.main.id}`, body)
    await patch({ status: 'open' })
    await patch({ priority: 'high', assigneeId: beto.id, teamId: team.id })
    await patch({ customFields: { zona: 'N' }, addTags: ['portabilidad', 'vip'] })
    await admin.post(`/api/v1/tickets/${t.main.id}/comments`, { body: 'Revisar con el operador donante.', internal: true })
    await admin.post(`/api/v1/tickets/${t.main.id}/comments`, { body: 'Estamos revisando su portabilidad.', internal: false })
    await patch({ status: 'pending' })
    await admin.post(`/api/v1/tickets/${t.main.id}/links`, { type: 'parent', number: t.parent.number })
    await admin.post(`/api/v1/tickets/${t.dup.id}/merge`, { targetId: t.main.id })
    ;({ browser, page } = await adminPage(server))
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('shows the history in Spanish words: statuses, priorities, people, notes, links, merges, custom fields', async () => {
    await step(page, 'history-es', async () => {
      await page.goto(`${server.url}/agent/tickets/${t.main.number}`)
      await page.getByRole('tab', { name: 'Historial' }).click()
      // Names come from the directory and config, which may arrive after the rows.
      await page.getByRole('tabpanel').getByText('Sin asignar → Beto Agente').waitFor()
      const rows = await historyText(page)
      assertReadable(rows)
      for (const expected of [
        'Creó el ticket', 'Asunto: Error en la portabilidad de la línea', 'Prioridad: Media', 'Canal: Teléfono',
        'Nuevo → En proceso', 'En proceso → En espera de información', 'Media → Alta', 'Sin asignar → Beto Agente',
        'Sin equipo → Mesa N1', 'Zona afectada', '— → Norte', 'Agregó: portabilidad, vip',
        'Agregó una nota interna', 'Agregó una respuesta pública', `Vinculó #${t.parent.number} (padre)`,
        `Fusionó #${t.dup.number} en este ticket`, 'Web',
      ]) assert.ok(rows.includes(expected), `«${expected}» missing in:\n${rows}`)
      assert.ok(!rows.includes('Portal'), rows)
      // The linked ticket's number is a link to it.
      await page.getByRole('tabpanel').getByRole('link', { name: `#${t.parent.number}` }).waitFor()
      await screenshot(page, 'history-es')
      assert.deepEqual(await axeSerious(page), [])
    })
  })

  it('shows the same history in English', async () => {
    await step(page, 'history-en', async () => {
      await page.getByRole('button', { name: 'English' }).click()
      await page.getByRole('tab', { name: 'History' }).waitFor()
      await page.getByRole('tabpanel').getByText('Unassigned → Beto Agente').waitFor()
      const rows = await historyText(page)
      assertReadable(rows)
      for (const expected of [
        'Created the ticket', 'Subject: Error en la portabilidad de la línea', 'Channel: Phone',
        'New → Open', 'Open → Waiting for information', 'Normal → High', 'No team → Mesa N1', 'Affected zone', '— → North',
        'Added an internal note', 'Added a public reply', `Linked #${t.parent.number} (parent)`, `Merged #${t.dup.number} into this ticket`,
      ]) assert.ok(rows.includes(expected), `«${expected}» missing in:\n${rows}`)
      await screenshot(page, 'history-en')
      // The merged ticket reads from its side too.
      await page.goto(`${server.url}/agent/tickets/${t.dup.number}`)
      await page.getByRole('tab', { name: 'History' }).click()
      await page.getByRole('tabpanel').getByText(`Merged this ticket into #${t.main.number}`).waitFor()
      const dupRows = await historyText(page)
      assertReadable(dupRows)
      assert.match(dupRows, /Cancellation reason/)
      assert.match(dupRows, /Duplicate/)
      await screenshot(page, 'history-en-merged')
      await page.getByRole('button', { name: 'Español' }).click()
      await page.getByRole('tab', { name: 'Historial' }).waitFor()
    })
  })

  it('highlights the matched words of a search snippet with <mark>, the rest as text', async () => {
    await step(page, 'search-snippet', async () => {
      await page.goto(`${server.url}/agent/search?q=${encodeURIComponent('operador portabilidad')}`)
      const card = page.locator('.ticket-cards li').filter({ hasText: `#${t.main.number}` })
      const mark = card.locator('.snippet mark').first()
      await mark.waitFor()
      assert.match(await mark.innerText(), /portabilidad|operador/i)
      const cards = await page.locator('.ticket-cards').innerText()
      assert.doesNotMatch(cards, /<\/?mark>|&lt;|&amp;/, cards)
      // Markup typed in a description stays text.
      assert.equal(await page.locator('.ticket-cards b').count(), 0)
      await screenshot(page, 'search-results')
      assert.deepEqual(await axeSerious(page), [])
    })
  })

  for (const width of [1366, 1024]) {
    it(`fits the search box's placeholder and the inbox table at ${width} px`, async () => {
      await step(page, `layout-${width}`, async () => {
        await page.setViewportSize({ width, height: 800 })
        await page.goto(`${server.url}/agent/views/all`)
        await page.locator('tr[data-ticket]').nth(8).waitFor()
        assert.equal(await placeholderOverflow(page), 0, 'the search placeholder is cut')
        // Nothing scrolls the whole page sideways; the table fits, or scrolls inside its own box.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
        assert.ok(overflow <= 0, `page overflows by ${overflow}px`)
        const box = await page.locator('.table-wrap').first().boundingBox()
        assert.ok(box && box.x + box.width <= width, JSON.stringify(box))
        if (width === 1366) {
          const owner = await page.getByRole('columnheader', { name: 'Propietario' }).boundingBox()
          assert.ok(owner && owner.x + owner.width <= box!.x + box!.width + 1, `Propietario at ${JSON.stringify(owner)}, table box ${JSON.stringify(box)}`)
        }
        await screenshot(page, `inbox-${width}`)
      })
    })
  }
})
