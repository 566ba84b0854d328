import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { launchBrowser, logIn, newContext, noSeriousViolations, screenshot, step } from './support/browser'

interface Created { id: string; number: number; subject: string }
interface Detail {
  id: string; number: number; status: string; thirdParty?: string | null; thirdPartyRef?: string | null
  cancelReason: string | null; cancelNote: string | null; duplicateOfId: string | null
  externalRefs?: Array<{ kind: string; provider: string | null; value: string }>
}

/** Names of API fields that must never reach the console's texts (issue: «… (thirdParty).»). */
const FIELD_NAMES = /\b(thirdParty|thirdPartyRef|duplicateOfId|cancelReason|cancelNote|requester_request)\b/

describe('on hold with its third party and cancelling with a reason: side panel, composer, bulk bar (browser)', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let admin: ApiSession
  const t: Record<string, Created> = {}
  const agent = { email: 'olga@atiende.test', name: 'Olga Agente', password: 'Agente-e2e-2026!' }
  /** Every ticket API answer ≥ 400 the console received: the forms check first, so the server refuses nothing. */
  const refused: string[] = []

  const detail = (key: string) => admin.get<Detail>(`/api/v1/tickets/${t[key].id}`)
  const openTicket = async (key: string) => {
    await page.goto(`${server.url}/agent/tickets/${t[key].number}`)
    await page.getByRole('heading', { name: t[key].subject }).waitFor()
  }
  const noFieldNames = async () => assert.doesNotMatch(await page.locator('body').innerText(), FIELD_NAMES)

  before(async () => {
    server = await startServer()
    admin = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
    await admin.createUser({ ...agent, role: 'agent' })
    const make = (key: string, subject: string) => admin.post<Created>('/api/v1/tickets', {
      subject, description: `${subject}. Reportado por teléfono.`, channel: 'phone',
      requester: { name: 'Rosa Operaciones', email: 'rosa@cliente.test' },
    }).then((r) => { t[key] = r })
    await make('panel', 'Sin señal en sitio Centro')
    await make('composer', 'Enlace dedicado intermitente')
    await make('bulkA', 'Fibra cortada en sitio Norte')
    await make('bulkB', 'Fibra cortada en sitio Sur')
    await make('resolved', 'Router reiniciado')
    await make('original', 'Facturación duplicada de marzo')
    await make('duplicate', 'Me cobraron dos veces en marzo')
    await make('errA', 'Prueba de captura 1')
    await make('errB', 'Prueba de captura 2')
    await admin.patch(`/api/v1/tickets/${t.resolved.id}`, { status: 'resolved' })
    browser = await launchBrowser()
    page = await (await newContext(browser)).newPage()
    page.on('response', (r) => {
      if (r.url().includes('/api/v1/tickets') && r.status() >= 400) refused.push(`${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`)
    })
    await logIn(page, server.url, agent.email, agent.password, '/agent')
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('side panel: choosing «Dependencia de un tercero» asks for the third party, then sends both', async () => {
    await step(page, 'status-panel-hold', async () => {
      await openTicket('panel')
      const card = page.getByRole('region', { name: 'Datos del ticket' })
      await card.getByLabel('Estatus', { exact: true }).selectOption('on_hold')
      const form = card.getByRole('form', { name: 'Pasar a Dependencia de un tercero' })
      await form.waitFor()
      // The third party field takes the focus; sending it empty is stopped in the browser.
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'hold-panel-party')
      await form.getByRole('button', { name: 'Pasar a Dependencia de un tercero' }).click()
      await form.getByRole('alert').filter({ hasText: 'Indique el tercero o proveedor' }).waitFor()
      await screenshot(page, 'status-panel-hold-required')
      assert.equal((await detail('panel')).status, 'new', 'nothing was sent without the third party')
      await form.getByLabel('Tercero / proveedor').fill('Telcel Empresarial')
      await form.getByLabel('Folio del proveedor').fill('TE-55821')
      await screenshot(page, 'status-panel-hold-form')
      await form.getByRole('button', { name: 'Pasar a Dependencia de un tercero' }).click()
      await page.locator('.ticket-head').getByText('Dependencia de un tercero').waitFor()
      await card.getByText('Telcel Empresarial').waitFor()
      await card.getByText('TE-55821').waitFor()
      await screenshot(page, 'status-panel-on-hold')
      const d = await detail('panel')
      assert.equal(d.status, 'on_hold')
      assert.equal(d.thirdParty, 'Telcel Empresarial')
      assert.equal(d.thirdPartyRef, 'TE-55821')
      assert.ok(d.externalRefs?.some((r) => r.kind === 'provider_case' && r.value === 'TE-55821'), 'the case number is an external reference')
      await noFieldNames()
    })
  })

  it('composer: «Al enviar: Dependencia de un tercero» asks for the third party before sending the reply', async () => {
    await step(page, 'status-composer-hold', async () => {
      await openTicket('composer')
      const composer = page.getByRole('region', { name: 'Responder' })
      await page.keyboard.press('r')
      await page.keyboard.type('Escalamos el caso con el proveedor del enlace.')
      await composer.getByLabel('Al enviar:').selectOption('on_hold')
      await composer.getByRole('button', { name: 'Enviar respuesta' }).click()
      await composer.getByRole('alert').filter({ hasText: 'Indique el tercero o proveedor' }).first().waitFor()
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'composer-hold-party')
      assert.equal(await page.locator('li[data-internal="false"]').filter({ hasText: 'Escalamos el caso' }).count(), 0, 'the reply was sent')
      await screenshot(page, 'status-composer-hold-required')
      await composer.getByLabel('Tercero / proveedor').fill('Axtel')
      await composer.getByLabel('Folio del proveedor (opcional)').fill('AX-2026-0412')
      await screenshot(page, 'status-composer-hold')
      await composer.getByRole('button', { name: 'Enviar respuesta' }).click()
      await page.locator('li[data-internal="false"]').filter({ hasText: 'Escalamos el caso con el proveedor' }).waitFor()
      await page.locator('.ticket-head').getByText('Dependencia de un tercero').waitFor()
      // The composer is back to «keep the status» and without the third-party inputs.
      await composer.getByLabel('Tercero / proveedor').waitFor({ state: 'detached' })
      const d = await detail('composer')
      assert.equal(d.status, 'on_hold')
      assert.equal(d.thirdParty, 'Axtel')
      assert.equal(d.thirdPartyRef, 'AX-2026-0412')
      await noFieldNames()
    })
  })

  it('bulk bar: on hold asks for the third party, and says why a ticket was refused', async () => {
    await step(page, 'status-bulk-hold', async () => {
      await page.goto(`${server.url}/agent/views/all`)
      for (const key of ['bulkA', 'bulkB', 'resolved']) {
        await page.locator(`tr[data-ticket="${t[key].number}"]`).waitFor()
        await page.getByRole('checkbox', { name: `Seleccionar el ticket #${t[key].number}` }).check()
      }
      const bar = page.getByRole('region', { name: 'Acciones masivas' })
      await bar.getByText('3 tickets seleccionados').waitFor()
      await bar.getByLabel('Estatus').selectOption('on_hold')
      const form = bar.getByRole('form', { name: 'Pasar a Dependencia de un tercero' })
      await form.getByRole('button', { name: 'Aplicar a 3 tickets' }).click()
      await form.getByRole('alert').filter({ hasText: 'Indique el tercero o proveedor' }).waitFor()
      await form.getByLabel('Tercero / proveedor').fill('CFE')
      await screenshot(page, 'status-bulk-hold-form')
      await form.getByRole('button', { name: 'Aplicar a 3 tickets' }).click()
      const alert = page.getByRole('alert').filter({ hasText: '2 actualizados, 1 con error.' })
      await alert.waitFor()
      // The refusal names the ticket and the server's reason, in the UI language.
      await alert.getByText(`#${t.resolved.number}: No se puede cambiar el estatus de «Resuelto» a «Dependencia de un tercero».`).waitFor()
      await screenshot(page, 'status-bulk-hold-partial')
      for (const key of ['bulkA', 'bulkB']) {
        const d = await detail(key)
        assert.equal(d.status, 'on_hold', key)
        assert.equal(d.thirdParty, 'CFE', key)
        assert.equal(d.thirdPartyRef, null, key)
      }
      assert.equal((await detail('resolved')).status, 'resolved')
      await bar.getByRole('button', { name: 'Quitar selección' }).click()
      await noFieldNames()
    })
  })

  it('side panel: «Cancelar ticket…» asks for the reason and the original ticket of a duplicate', async () => {
    await step(page, 'status-cancel-duplicate', async () => {
      // Not offered where the server would refuse it: a resolved ticket cannot be cancelled.
      await openTicket('resolved')
      assert.equal(await page.getByRole('button', { name: 'Cancelar ticket…' }).count(), 0)
      await openTicket('duplicate')
      await page.getByRole('button', { name: 'Cancelar ticket…' }).click()
      const dialog = page.getByRole('dialog', { name: `Cancelar el ticket #${t.duplicate.number}` })
      await dialog.waitFor()
      await dialog.getByRole('button', { name: 'Cancelar ticket' }).click()
      await dialog.getByRole('alert').filter({ hasText: 'Elija el motivo de la cancelación.' }).waitFor()
      await dialog.getByRole('radio', { name: 'Duplicado de otro ticket' }).check()
      const original = dialog.getByLabel('Número del ticket original')
      await dialog.getByRole('button', { name: 'Cancelar ticket' }).click()
      await dialog.getByRole('alert').filter({ hasText: 'Escriba el número del ticket original.' }).waitFor()
      await original.fill(String(t.duplicate.number))
      await dialog.getByRole('button', { name: 'Cancelar ticket' }).click()
      await dialog.getByRole('alert').filter({ hasText: 'Un ticket no puede ser duplicado de sí mismo.' }).waitFor()
      await original.fill('999999')
      await dialog.getByRole('button', { name: 'Cancelar ticket' }).click()
      await dialog.getByRole('alert').filter({ hasText: 'No existe el ticket #999999 o no tiene acceso a él.' }).waitFor()
      await original.fill(`#${t.original.number}`)
      await dialog.getByLabel('Nota (opcional)').fill('El cliente lo reportó dos veces.')
      await screenshot(page, 'status-cancel-dialog')
      await noSeriousViolations(page)
      await dialog.getByRole('button', { name: 'Cancelar ticket' }).click()
      await dialog.waitFor({ state: 'hidden' })
      await page.locator('.ticket-head').getByText('Cancelado').waitFor()
      const card = page.getByRole('region', { name: 'Datos del ticket' })
      await card.getByText('Duplicado de otro ticket').waitFor()
      await card.getByText('El cliente lo reportó dos veces.').waitFor()
      await page.getByRole('region', { name: 'Tickets vinculados' }).getByRole('link', { name: `#${t.original.number}` }).waitFor()
      assert.equal(await page.getByRole('button', { name: 'Cancelar ticket…' }).count(), 0, 'a cancelled ticket offers no cancel')
      await screenshot(page, 'status-cancelled')
      const d = await detail('duplicate')
      assert.equal(d.status, 'cancelled')
      assert.equal(d.cancelReason, 'duplicate')
      assert.equal(d.duplicateOfId, t.original.id)
      assert.equal(d.cancelNote, 'El cliente lo reportó dos veces.')
      const links = await admin.get<{ items: Array<{ type: string; ticket: { id: string } }> }>(`/api/v1/tickets/${t.duplicate.id}/links`)
      assert.ok(links.items.some((l) => l.type === 'duplicate_of' && l.ticket.id === t.original.id), JSON.stringify(links.items))
      await noFieldNames()
    })
  })

  it('bulk bar: «Cancelar tickets…» with the reason «Creado por error»', async () => {
    await step(page, 'status-bulk-cancel', async () => {
      await page.goto(`${server.url}/agent/views/all`)
      for (const key of ['errA', 'errB']) {
        await page.locator(`tr[data-ticket="${t[key].number}"]`).waitFor()
        await page.getByRole('checkbox', { name: `Seleccionar el ticket #${t[key].number}` }).check()
      }
      const bar = page.getByRole('region', { name: 'Acciones masivas' })
      await bar.getByRole('button', { name: 'Cancelar tickets…' }).click()
      const dialog = page.getByRole('dialog', { name: 'Cancelar 2 tickets' })
      // Bulk offers only the reasons that need no original ticket.
      assert.equal(await dialog.getByRole('radio').count(), 2)
      await dialog.getByRole('radio', { name: 'Creado por error' }).check()
      await screenshot(page, 'status-bulk-cancel-dialog')
      await dialog.getByRole('button', { name: 'Cancelar 2 tickets' }).click()
      await page.getByRole('status').filter({ hasText: 'Se actualizaron 2 tickets.' }).waitFor()
      for (const key of ['errA', 'errB']) {
        const d = await detail(key)
        assert.equal(d.status, 'cancelled', key)
        assert.equal(d.cancelReason, 'error', key)
        assert.equal(d.cancelNote, null, key)
      }
      await noFieldNames()
    })
  })

  it('in English, by keyboard: the cancel dialog opens with Enter, checks the reason and closes with Escape', async () => {
    await step(page, 'status-cancel-english', async () => {
      await openTicket('panel')
      await page.getByRole('button', { name: 'English' }).click()
      const open = page.getByRole('button', { name: 'Cancel ticket…' })
      await open.focus()
      await page.keyboard.press('Enter')
      const dialog = page.getByRole('dialog', { name: `Cancel ticket #${t.panel.number}` })
      await dialog.waitFor()
      // Enter in the note is a new line; the confirm button is reached with Tab.
      await dialog.getByRole('button', { name: 'Cancel ticket' }).focus()
      await page.keyboard.press('Enter')
      await dialog.getByRole('alert').filter({ hasText: 'Choose the reason for cancelling.' }).waitFor()
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'cancel-reason-0', 'the focus goes to the reasons')
      await page.keyboard.press('ArrowDown')
      assert.equal(await dialog.getByRole('radio', { name: 'Created by mistake' }).isChecked(), true)
      await screenshot(page, 'status-cancel-dialog-en')
      await page.keyboard.press('Escape')
      await dialog.waitFor({ state: 'hidden' })
      assert.equal((await detail('panel')).status, 'on_hold', 'Escape cancels nothing')
      await page.getByRole('button', { name: 'Español' }).click()
      await page.getByRole('button', { name: 'Cancelar ticket…' }).waitFor()
    })
  })

  it("the admin's statuses reach the console: a renamed base status, a custom one beside it, a custom one that means on hold", async () => {
    await step(page, 'status-custom', async () => {
      type Status = { id: string; key: string }
      await admin.post('/api/v1/statuses', { key: 'escalado_n2', status: 'open', labelEs: 'Escalado a N2', labelEn: 'Escalated to L2' })
      await admin.post('/api/v1/statuses', { key: 'esperando_proveedor', status: 'on_hold', labelEs: 'Esperando proveedor', labelEn: 'Waiting for provider' })
      const open = (await admin.get<{ items: Status[] }>('/api/v1/statuses')).items.find((x) => x.key === 'open')!
      await admin.request('PATCH', `/api/v1/statuses/${open.id}`, { labelEs: 'Abierto' })
      t.custom = await admin.post<Created>('/api/v1/tickets', { subject: 'Caída de enlace en sucursal 9', description: 'Sin servicio.', requester: { name: 'Rosa Operaciones', email: 'rosa@cliente.test' } })
      await admin.patch(`/api/v1/tickets/${t.custom.id}`, { status: 'open' })
      await openTicket('custom')
      const card = page.getByRole('region', { name: 'Datos del ticket' })
      const select = card.getByLabel('Estatus', { exact: true })
      await select.selectOption('escalado_n2')
      const statusKey = async () => (await admin.get<{ customStatus: { key: string } }>(`/api/v1/tickets/${t.custom.id}`)).customStatus.key
      await page.waitForFunction(async (id) => (await (await fetch(`/api/v1/tickets/${id}`)).json()).customStatus.key === 'escalado_n2', t.custom.id)
      const labels = await select.locator('option').allInnerTexts()
      assert.ok(labels.includes('Abierto') && labels.includes('Escalado a N2') && labels.includes('Esperando proveedor'), labels.join(' | '))
      assert.ok(!labels.includes('En proceso'), 'the renamed base status shows its new name')
      await select.selectOption('esperando_proveedor')
      const form = card.getByRole('form', { name: 'Pasar a Dependencia de un tercero' })
      await form.getByLabel('Tercero / proveedor').fill('Totalplay')
      await form.getByRole('button', { name: 'Pasar a Dependencia de un tercero' }).click()
      await form.waitFor({ state: 'detached' })
      const held = await admin.get<Detail & { customStatus: { key: string } }>(`/api/v1/tickets/${t.custom.id}`)
      assert.deepEqual([held.status, held.customStatus.key, held.thirdParty], ['on_hold', 'esperando_proveedor', 'Totalplay'])
      assert.equal(await statusKey(), 'esperando_proveedor')
      await screenshot(page, 'status-custom-panel')
      await page.goto(`${server.url}/agent/views/all`)
      const strip = page.getByRole('region', { name: 'Resumen por estatus' })
      await strip.getByText('Abierto', { exact: true }).waitFor()
      assert.equal(await strip.getByText('En proceso', { exact: true }).count(), 0)
    })
  })

  it('the console was never refused: only the lookup of a ticket number that does not exist', () => {
    assert.deepEqual(refused, ['GET /api/v1/tickets/by-number/999999 404'])
  })
})
