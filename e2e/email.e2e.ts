import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import nodemailer from 'nodemailer'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { adminPage, noSeriousViolations, screenshot, step } from './support/browser'

describe('email screens: mailboxes, a mailed-in ticket with From/To/CC and its original, outbox, templates with preview (browser)', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let api: ApiSession
  let number = ''

  before(async () => {
    server = await startServer()
    api = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
    ;({ browser, page } = await adminPage(server))
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('creates a mailbox on the built-in SMTP receiver', async () => {
    await step(page, 'email-mailboxes', async () => {
      await page.goto(`${server.url}/admin/mailboxes`)
      await page.getByRole('heading', { name: 'Buzones de correo', level: 1 }).waitFor()
      await page.getByText('Aún no hay buzones').waitFor()
      await page.getByRole('button', { name: 'Nuevo buzón' }).click()
      const dialog = page.getByRole('dialog', { name: 'Nuevo buzón' })
      await dialog.getByLabel('Dirección').fill('soporte@atiende.test')
      await dialog.getByLabel('Nombre del remitente').fill('Soporte Atiende')
      await dialog.getByLabel('Prioridad').selectOption({ label: 'Alta' })
      await noSeriousViolations(page)
      await dialog.getByRole('button', { name: 'Crear buzón' }).click()
      await page.getByRole('status').filter({ hasText: 'Buzón soporte@atiende.test creado.' }).waitFor()
      await page.locator('[data-mailbox="soporte@atiende.test"]').getByText('SMTP (receptor integrado)').waitFor()
      await screenshot(page, 'admin-mailboxes')
    })
  })

  it('a mail to the mailbox opens a ticket live; the ticket shows From, To, CC and the original', async () => {
    await step(page, 'email-ticket', async () => {
      await page.goto(`${server.url}/agent/views/all`)
      await page.getByText('No hay tickets en esta vista').waitFor()
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.smtpPort, secure: false, ignoreTLS: true })
      await transport.sendMail({
        from: 'Rosa Cliente <rosa@cliente.test>', to: 'soporte@atiende.test', cc: 'Jefe Rosa <jefe@cliente.test>',
        subject: 'No puedo enviar SMS', text: 'Desde ayer los SMS no salen de mi línea 55 1111 2222.',
      })
      const row = page.locator('tr[data-ticket]').filter({ hasText: 'No puedo enviar SMS' })
      await row.waitFor({ timeout: 20_000 })
      number = (await row.getAttribute('data-ticket')) ?? ''
      await row.getByRole('link', { name: 'No puedo enviar SMS' }).click()
      await page.getByRole('heading', { name: 'No puedo enviar SMS' }).waitFor()
      const meta = page.locator('[data-email="inbound"]').first()
      await meta.getByText('Rosa Cliente <rosa@cliente.test>').waitFor()
      await meta.getByText('soporte@atiende.test').waitFor()
      await meta.getByText('Jefe Rosa <jefe@cliente.test>').waitFor()
      // The CC is a follower, listed with its address; the agent can follow the ticket too, and stop.
      const followers = page.getByRole('region', { name: 'Seguidores' })
      await followers.getByText('jefe@cliente.test').waitFor()
      await followers.getByRole('button', { name: 'Seguir este ticket' }).click()
      await followers.getByRole('button', { name: 'Quitar a Jefe Rosa de los seguidores' }).waitFor()
      await followers.getByRole('button', { name: 'Dejar de seguir' }).click()
      await followers.getByRole('button', { name: 'Seguir este ticket' }).waitFor()
      const href = await meta.getByRole('link', { name: 'Ver original' }).getAttribute('href')
      assert.ok(href)
      const raw = await page.evaluate(async (u) => { const r = await fetch(u); return { status: r.status, type: r.headers.get('content-type'), text: await r.text() } }, href)
      assert.equal(raw.status, 200)
      assert.match(raw.text, /Subject: No puedo enviar SMS/)
      assert.match(raw.text, /Cc: Jefe Rosa <jefe@cliente.test>/i)
      await screenshot(page, 'email-ticket')
      await noSeriousViolations(page)
    })
  })

  it('edits the reply template with a live preview that flags unknown variables', async () => {
    await step(page, 'email-templates', async () => {
      await page.goto(`${server.url}/admin/email-templates`)
      await page.getByRole('heading', { name: 'Plantillas de correo', level: 1 }).waitFor()
      await page.getByLabel('Notificación').selectOption({ label: 'Respuesta del agente — para el cliente' })
      const subject = page.getByLabel('Asunto')
      await subject.waitFor()
      assert.equal(await subject.inputValue(), '[#{{ticket.number}}] {{ticket.subject}}')
      await subject.fill('Ticket #{{ticket.numero}}')
      await page.getByRole('status').filter({ hasText: 'Variable desconocida' }).filter({ hasText: 'ticket.numero' }).waitFor()
      await subject.fill('Ticket #{{ticket.number}}: respuesta sobre «{{ticket.subject}}»')
      await page.getByTestId('preview-subject').filter({ hasText: /Ticket #\d+: respuesta sobre «.+»/ }).waitFor()
      assert.equal(await page.getByRole('status').filter({ hasText: 'Variable desconocida' }).count(), 0)
      await screenshot(page, 'email-templates')
      await noSeriousViolations(page)
      await page.getByRole('button', { name: 'Guardar' }).click()
      await page.getByRole('status').filter({ hasText: 'Plantilla guardada.' }).waitFor()
      await page.getByLabel('Notificación').locator('option', { hasText: 'Respuesta del agente — para el cliente (personalizada)' }).waitFor({ state: 'attached' })
    })
  })

  it('the agent replies; the outbox shows the mail sent with the customised subject', async () => {
    await step(page, 'email-outbox', async () => {
      await page.goto(`${server.url}/agent/tickets/${number}`)
      await page.getByRole('heading', { name: 'No puedo enviar SMS' }).waitFor()
      await page.keyboard.press('r')
      await page.keyboard.type('Hola Rosa, ya reiniciamos su perfil de SMS.')
      await page.getByRole('button', { name: 'Enviar respuesta' }).click()
      await page.locator('li[data-internal="false"]').filter({ hasText: 'ya reiniciamos' }).waitFor()
      await page.goto(`${server.url}/admin/email-log`)
      await page.getByRole('heading', { name: 'Bitácora de correo', level: 1 }).waitFor()
      const customised = `Ticket #${number}: respuesta sobre «No puedo enviar SMS»`
      const row = page.locator('tr[data-outbox="rosa@cliente.test"]').filter({ hasText: customised })
      // Without SMTP_URL mail is written to files: the screen says so instead of «Enviado».
      await page.getByRole('status').filter({ hasText: 'El correo no sale del servidor' }).waitFor()
      await row.getByText('Guardado en archivo').waitFor({ timeout: 20_000 })
      // The received mail is in the inbound log, linked to its ticket.
      await page.getByRole('region', { name: 'Correos recibidos' }).getByRole('link', { name: `#${number}` }).waitFor()
      await screenshot(page, 'email-log')
      await noSeriousViolations(page)
      const out = await api.get<{ items: Array<{ to: string; subject: string; status: string }> }>('/api/v1/email/outbox')
      assert.ok(out.items.some((m) => m.to === 'rosa@cliente.test' && m.subject.includes(customised) && m.status === 'sent'), JSON.stringify(out.items))
      // The ticket lists its mail, sent and received, in the history tab.
      await page.goto(`${server.url}/agent/tickets/${number}`)
      await page.getByRole('tab', { name: 'Historial' }).click()
      const mail = page.getByRole('region', { name: 'Correos del ticket' })
      await mail.getByText(customised).first().waitFor()
      await mail.getByRole('link', { name: 'Ver original' }).first().waitFor()
    })
  })
})
