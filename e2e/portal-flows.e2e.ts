import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { launchBrowser, newContext, noSeriousViolations, screenshot, step } from './support/browser'
import { PNG } from './support/files'

interface Ticket {
  id: string; number: number; status: string; subject: string; description: string
  cancelReason?: string | null; cancelNote?: string | null; customFields?: Record<string, unknown>
  followUpOf?: { id: string; number: number } | null; requester?: { id: string } | null
}

/** The element that has the focus, as "tag#id" (or "tag" when it has no id). */
const focused = (page: Page) => page.evaluate(() => {
  const el = document.activeElement
  return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` : ''
})

/** Signs in on the login page already open (from a guard's redirect), without going anywhere else first. */
async function signInHere(page: Page, email: string, password: string) {
  await page.getByLabel('Correo electrónico').fill(email)
  await page.getByLabel('Contraseña').fill(password)
  await page.getByRole('button', { name: 'Iniciar sesión' }).click()
}

describe('customer portal: links after sign-in, follow-ups, cancel, details, focus, org lists (browser)', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let admin: ApiSession
  let marta: ApiSession
  const martaUser = { email: 'marta@ferreteria.test', name: 'Marta Gerente', password: 'Cliente-e2e-2026!' }
  const pepeUser = { email: 'pepe@ferreteria.test', name: 'Pepe Colega', password: 'Cliente-e2e-2026!' }
  const t: Record<string, Ticket> = {}

  before(async () => {
    server = await startServer()
    admin = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
    const org = await admin.post<{ id: string }>('/api/v1/organizations', { name: 'Ferretería Sol', sharesTickets: true })
    await admin.post('/api/v1/users', { ...martaUser, role: 'customer', organizationId: org.id, orgManager: true })
    await admin.createUser({ ...pepeUser, role: 'customer', organizationId: org.id })
    await admin.post('/api/v1/custom-fields', {
      key: 'equipo', labelEs: 'Equipo afectado', labelEn: 'Affected device', kind: 'select', customerVisible: true, customerEditable: true,
      options: [{ value: 'tpv', labelEs: 'Terminal punto de venta', labelEn: 'Point of sale terminal' }, { value: 'bascula', labelEs: 'Báscula', labelEn: 'Scale' }],
    })
    await admin.post('/api/v1/custom-fields', { key: 'serie', labelEs: 'Número de serie', labelEn: 'Serial number', kind: 'text', required: true, customerVisible: true, customerEditable: true })
    await admin.post('/api/v1/custom-fields', { key: 'costo_interno', labelEs: 'Costo interno', labelEn: 'Internal cost', kind: 'text' })
    const category = await admin.post<{ id: string }>('/api/v1/categories', { name: 'Hardware' })

    marta = await ApiSession.login(server.url, martaUser.email, martaUser.password)
    const pepe = await ApiSession.login(server.url, pepeUser.email, pepeUser.password)
    const file = (subject: string, s: ApiSession = marta) => s.post<Ticket>('/api/v1/tickets', {
      subject, description: `${subject}: lo reporto desde el portal.`, customFields: { equipo: 'tpv', serie: 'SN-4471' },
    })
    t.link = await file('La terminal no imprime tickets')
    t.closed = await file('Báscula descalibrada')
    t.cancel = await file('Pedí dos rollos de papel de más')
    t.resolved = await file('La caja no abre')
    t.pepe = await file('Lector de códigos sin luz', pepe)
    // Staff-only data on the ticket the customer will look at: the customer must not see it.
    await admin.patch(`/api/v1/tickets/${t.link.id}`, { categoryId: category.id, customFields: { costo_interno: '1234.50' } })
    for (const k of ['closed', 'resolved']) await admin.patch(`/api/v1/tickets/${t[k].id}`, { status: 'resolved' })
    await admin.patch(`/api/v1/tickets/${t.closed.id}`, { status: 'closed' })
    browser = await launchBrowser()
    page = await (await newContext(browser)).newPage()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('an emailed ticket link opened signed out lands on that ticket after signing in, and stays there', async () => {
    await step(page, 'portal-login-next', async () => {
      const visited: string[] = []
      page.on('framenavigated', (f) => { if (f === page.mainFrame()) visited.push(new URL(f.url()).pathname + new URL(f.url()).search) })
      await page.goto(`${server.url}/portal/tickets/${t.link.number}`)
      await page.waitForURL(`${server.url}/login?next=${encodeURIComponent(`/portal/tickets/${t.link.number}`)}`)
      visited.length = 0
      await signInHere(page, martaUser.email, martaUser.password)
      await page.getByRole('heading', { name: 'La terminal no imprime tickets' }).waitFor()
      // Not a moment on the ticket and then home: the address stays, and never went back to the login.
      await page.waitForTimeout(1500)
      assert.equal(new URL(page.url()).pathname, `/portal/tickets/${t.link.number}`)
      assert.ok(!visited.some((v) => v.startsWith('/login') || v === '/portal'), visited.join(' → '))
      await page.getByRole('heading', { name: 'La terminal no imprime tickets' }).waitFor()
      // Signed in already, /login?next= goes straight there; another site is refused.
      await page.goto(`${server.url}/login?next=${encodeURIComponent(`/portal/tickets/${t.closed.number}`)}`)
      await page.waitForURL(`**/portal/tickets/${t.closed.number}`)
      await page.goto(`${server.url}/login?next=${encodeURIComponent('//ejemplo.test/robo')}`)
      await page.waitForURL(`${server.url}/portal`)
    })
  })

  it('shows the request\'s type, category and customer-visible fields with their labels', async () => {
    await step(page, 'portal-details', async () => {
      await page.goto(`${server.url}/portal/tickets/${t.link.number}`)
      const details = page.getByRole('region', { name: 'Datos de su solicitud' })
      // The labels come with the configuration, which may arrive after the ticket.
      await details.getByText('Número de serie').waitFor()
      const text = await details.innerText()
      for (const s of ['Tipo', 'Consulta', 'Categoría', 'Hardware', 'Equipo afectado', 'Terminal punto de venta', 'Número de serie', 'SN-4471']) {
        assert.ok(text.includes(s), `${s} in ${text}`)
      }
      // Neither the option's code nor the staff-only field (the API leaves it out for customers).
      assert.ok(!/\btpv\b|costo|1234/i.test(text), text)
      const seen = await marta.get<Ticket>(`/api/v1/tickets/${t.link.id}`)
      assert.equal(seen.customFields?.costo_interno, undefined)
      await screenshot(page, 'portal-ticket-details')
      await noSeriousViolations(page)
      await page.getByRole('button', { name: 'English' }).click()
      await page.getByRole('region', { name: 'Your request\'s details' }).getByText('Point of sale terminal').waitFor()
      await page.getByRole('button', { name: 'Español' }).click()
      await details.getByText('Terminal punto de venta').waitFor()
    })
  })

  it('a ticket address that is not a number shows "no such ticket", without asking the server', async () => {
    await step(page, 'portal-bad-number', async () => {
      const asked: string[] = []
      const onRequest = (r: { url: () => string }) => { if (r.url().includes('/by-number/')) asked.push(r.url()) }
      page.on('request', onRequest)
      await page.goto(`${server.url}/portal/tickets/abc`)
      await page.getByText('No existe el ticket #abc').waitFor()
      assert.equal(await page.getByRole('button', { name: 'Reintentar' }).count(), 0)
      assert.equal(await page.getByText('integer').count(), 0)
      await screenshot(page, 'portal-bad-number')
      await page.getByRole('link', { name: 'Mis tickets' }).last().click()
      await page.waitForURL('**/portal/tickets')
      page.off('request', onRequest)
      assert.deepEqual(asked, [])
    })
  })

  it('«No, reabrir» hands the focus to the text box that replaces it', async () => {
    await step(page, 'portal-reopen-focus', async () => {
      await page.goto(`${server.url}/portal/tickets/${t.resolved.number}`)
      await page.getByRole('heading', { name: '¿Quedó resuelto?' }).waitFor()
      // A resolved ticket is confirmed or reopened, not cancelled.
      assert.equal(await page.getByRole('button', { name: 'Cancelar mi solicitud' }).count(), 0)
      await page.getByRole('button', { name: 'No, reabrir' }).click()
      await page.getByRole('heading', { name: 'Reabrir el ticket' }).waitFor()
      assert.equal(await focused(page), 'textarea#portal-message')
    })
  })

  it('cancels the customer\'s own request after a confirmation, with a note', async () => {
    await step(page, 'portal-cancel', async () => {
      await page.goto(`${server.url}/portal/tickets/${t.cancel.number}`)
      await page.getByRole('heading', { name: 'Pedí dos rollos de papel de más' }).waitFor()
      await page.getByRole('button', { name: 'Cancelar mi solicitud' }).click()
      const dialog = page.getByRole('dialog', { name: `¿Cancelar su solicitud #${t.cancel.number}?` })
      await dialog.waitFor()
      assert.equal(await focused(page), 'textarea#cancel-request-note')
      await screenshot(page, 'portal-cancel-dialog')
      await noSeriousViolations(page)
      // «No, conservarla» changes nothing.
      await dialog.getByRole('button', { name: 'No, conservarla' }).click()
      await dialog.waitFor({ state: 'hidden' })
      assert.equal((await marta.get<Ticket>(`/api/v1/tickets/${t.cancel.id}`)).status, 'new')
      await page.getByRole('button', { name: 'Cancelar mi solicitud' }).click()
      await dialog.getByLabel('¿Por qué la cancela? (opcional)').fill('Ya llegaron los que faltaban.')
      await dialog.getByRole('button', { name: 'Sí, cancelar mi solicitud' }).click()
      await page.getByRole('status').filter({ hasText: 'Su solicitud quedó cancelada.' }).waitFor()
      await page.locator('.ticket-head').getByText('Cancelado').waitFor()
      const after = await marta.get<Ticket>(`/api/v1/tickets/${t.cancel.id}`)
      assert.equal(after.status, 'cancelled')
      assert.equal(after.cancelReason, 'requester_request')
      assert.equal(after.cancelNote, 'Ya llegaron los que faltaban.')
      assert.equal(await page.getByRole('button', { name: 'Cancelar mi solicitud' }).count(), 0)
      const details = await page.getByRole('region', { name: 'Datos de su solicitud' }).innerText()
      assert.match(details, /A petición del solicitante/)
      assert.match(details, /Ya llegaron los que faltaban\./)
      // A cancelled ticket, like a closed one, takes a message only as a follow-up: the box says so.
      await page.getByRole('heading', { name: 'Este ticket está cancelado: su mensaje abrirá un ticket de seguimiento' }).waitFor()
      await screenshot(page, 'portal-cancelled')
    })
  })

  it('a message on a closed ticket opens a follow-up: the page goes there and gives its number', async () => {
    await step(page, 'portal-follow-up', async () => {
      await page.goto(`${server.url}/portal/tickets/${t.closed.number}`)
      await page.getByRole('heading', { name: 'Este ticket está cerrado: su mensaje abrirá un ticket de seguimiento' }).waitFor()
      const message = 'La báscula volvió a marcar 200 g de más desde esta mañana.'
      await page.getByRole('textbox', { name: 'Mensaje' }).fill(message)
      await page.getByTestId('file-input').setInputFiles({ name: 'bascula.png', mimeType: 'image/png', buffer: PNG })
      await page.getByRole('button', { name: 'Abrir ticket de seguimiento' }).click()
      await page.waitForURL((u) => /\/portal\/tickets\/\d+$/.test(u.pathname) && u.pathname !== `/portal/tickets/${t.closed.number}`)
      const number = Number(new URL(page.url()).pathname.split('/').pop())
      const notice = page.getByRole('status').filter({ hasText: `Abrimos el ticket de seguimiento #${number}` })
      await notice.waitFor()
      assert.match(await notice.innerText(), new RegExp(`#${t.closed.number}`))
      await page.locator('.ticket-number', { hasText: `#${number}` }).waitFor()
      await page.getByText(message).first().waitFor()
      await page.getByRole('link', { name: `#${t.closed.number}` }).first().waitFor()
      await page.getByText('bascula.png').first().waitFor()
      await screenshot(page, 'portal-follow-up')
      // Through the API: the follow-up is the customer's, follows the closed ticket and holds the message and the file.
      const fu = await marta.get<Ticket>(`/api/v1/tickets/by-number/${number}`)
      assert.equal(fu.followUpOf?.number, t.closed.number)
      assert.equal(fu.requester?.id, marta.user.id)
      assert.match(fu.description, /volvió a marcar 200 g/)
      const files = await marta.get<{ items: Array<{ filename: string }> }>(`/api/v1/tickets/${fu.id}/attachments`)
      assert.deepEqual(files.items.map((f) => f.filename), ['bascula.png'])
      assert.equal((await marta.get<Ticket>(`/api/v1/tickets/${t.closed.id}`)).status, 'closed')
      // A reload does not repeat the notice.
      await page.reload()
      await page.locator('.ticket-number', { hasText: `#${number}` }).waitFor()
      assert.equal(await page.getByText('Abrimos el ticket de seguimiento').count(), 0)
    })
  })

  it('a message on a cancelled ticket opens a follow-up too', async () => {
    await step(page, 'portal-follow-up-cancelled', async () => {
      await page.goto(`${server.url}/portal/tickets/${t.cancel.number}`)
      await page.getByRole('textbox', { name: 'Mensaje' }).fill('Al final sí necesito un rollo más.')
      await page.getByRole('button', { name: 'Abrir ticket de seguimiento' }).click()
      await page.getByRole('status').filter({ hasText: 'Abrimos el ticket de seguimiento' }).waitFor()
      const number = Number(new URL(page.url()).pathname.split('/').pop())
      assert.notEqual(number, t.cancel.number)
      assert.equal((await marta.get<Ticket>(`/api/v1/tickets/by-number/${number}`)).followUpOf?.number, t.cancel.number)
    })
  })

  it('an invalid new-ticket form focuses the first field to fix and marks the fields invalid', async () => {
    await step(page, 'portal-new-invalid', async () => {
      await page.goto(`${server.url}/portal/new`)
      await page.getByRole('heading', { name: 'Nuevo ticket' }).waitFor()
      const submit = page.getByRole('button', { name: 'Enviar solicitud' })
      const subject = page.getByLabel('Asunto')
      const description = page.getByLabel('Descripción')
      const serial = page.getByLabel('Número de serie')
      await submit.click()
      assert.equal(await focused(page), 'input#new-subject')
      assert.equal(await subject.getAttribute('aria-invalid'), 'true')
      assert.equal(await description.getAttribute('aria-invalid'), 'true')
      assert.equal(await serial.getAttribute('aria-invalid'), 'true')
      await screenshot(page, 'portal-new-invalid')
      await noSeriousViolations(page)
      await subject.fill('El cajón no abre')
      assert.equal(await subject.getAttribute('aria-invalid'), null, 'fixed fields are no longer marked')
      await submit.click()
      assert.equal(await focused(page), 'textarea#new-description')
      await description.fill('Desde ayer el cajón de dinero no abre.')
      await submit.click()
      assert.equal(await serial.evaluate((el) => el === document.activeElement), true)
      await serial.fill('SN-9000')
      assert.equal(await serial.getAttribute('aria-invalid'), null)
      await submit.click()
      await page.getByRole('heading', { name: 'Recibimos su solicitud' }).waitFor()
    })
  })

  it('a manager\'s list names the requester of the organization\'s tickets and narrows to their own', async () => {
    await step(page, 'portal-org-list', async () => {
      await page.goto(`${server.url}/portal/tickets`)
      const cards = page.locator('.ticket-cards > li')
      const pepeCard = cards.filter({ hasText: 'Lector de códigos sin luz' })
      await pepeCard.waitFor()
      assert.match(await pepeCard.innerText(), /Solicitado por Pepe Colega/)
      const own = cards.filter({ hasText: 'La terminal no imprime tickets' })
      assert.doesNotMatch(await own.innerText(), /Solicitado por/)
      await screenshot(page, 'portal-org-list')
      const listed = page.waitForRequest((r) => r.url().includes('/api/v1/tickets?') && r.url().includes(`requesterId=${marta.user.id}`))
      await page.getByLabel('De quién').selectOption({ label: 'Solo los míos' })
      await listed
      await pepeCard.waitFor({ state: 'detached' })
      await own.waitFor()
      await noSeriousViolations(page)
    })
  })
})
