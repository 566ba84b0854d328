import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Frame, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { axeSerious, launchBrowser, newContext, screenshot, step } from './support/browser'
import { waitForMailLink } from './support/mail'

describe('sign-in, language and account (browser)', () => {
  let server: TestServer
  let browser: Browser
  let page: Page

  before(async () => {
    server = await startServer()
    browser = await launchBrowser()
    page = await (await newContext(browser)).newPage()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('shows the login page in Spanish with no serious accessibility violations', async () => {
    await step(page, 'login-es', async () => {
      await page.goto(`${server.url}/`)
      await page.waitForURL('**/login')
      await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor()
      assert.equal(await page.getAttribute('html', 'lang'), 'es-MX')
      await screenshot(page, 'login-es')
      const violations = await axeSerious(page)
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 2))
    })
  })

  it('shows the server message for a wrong password', async () => {
    await step(page, 'login-wrong-password', async () => {
      await page.getByLabel('Correo electrónico').fill(server.adminEmail)
      await page.getByLabel('Contraseña').fill('not-the-password')
      await page.getByRole('button', { name: 'Iniciar sesión' }).click()
      const alert = page.getByRole('alert')
      await alert.waitFor()
      assert.match(await alert.innerText(), /\S/)
      assert.ok(page.url().endsWith('/login'))
    })
  })

  it('switches the interface to English and back', async () => {
    await step(page, 'language-switch', async () => {
      await page.getByRole('button', { name: 'English' }).click()
      await page.getByRole('heading', { name: 'Sign in' }).waitFor()
      assert.equal(await page.getAttribute('html', 'lang'), 'en')
      await page.getByLabel('Password').fill('still-wrong-password')
      await page.getByRole('button', { name: 'Sign in' }).click()
      // The server's error comes in the UI language (Accept-Language).
      await page.getByRole('alert').filter({ hasText: /password|credentials|incorrect|invalid/i }).waitFor()
      await screenshot(page, 'login-en')
      await page.getByRole('button', { name: 'Español' }).click()
      await page.getByRole('heading', { name: 'Iniciar sesión' }).waitFor()
    })
  })

  it('signs the admin in to the agent console and restores the session after a reload', async () => {
    await step(page, 'login-admin', async () => {
      await page.goto(`${server.url}/login`)
      await page.getByLabel('Correo electrónico').fill(server.adminEmail)
      await page.getByLabel('Contraseña').fill(server.adminPassword)
      await page.getByRole('button', { name: 'Iniciar sesión' }).click()
      await page.waitForURL('**/agent')
      await page.getByRole('link', { name: 'Administración' }).waitFor()
      await page.reload()
      await page.getByRole('link', { name: 'Administración' }).waitFor()
      assert.ok(page.url().endsWith('/agent'))
    })
  })

  it('saves the language to the profile and changes the password from My account', async () => {
    await step(page, 'account', async () => {
      await page.goto(`${server.url}/agent/account`)
      await page.getByRole('heading', { name: 'Mi cuenta' }).waitFor()
      await screenshot(page, 'account')
      const violations = await axeSerious(page)
      assert.deepEqual(violations, [], JSON.stringify(violations, null, 2))
      await page.getByRole('group', { name: 'Idioma' }).first().getByRole('button', { name: 'English' }).click()
      await page.getByRole('heading', { name: 'My account' }).waitFor()
      const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json() as Promise<{ locale: string }>)
      assert.equal(me.locale, 'en')
      await page.getByLabel('Current password').fill(server.adminPassword)
      await page.getByLabel('New password').fill('Changed-pass-2026')
      await page.getByLabel('Confirm password').fill('Changed-pass-2026')
      await page.getByRole('button', { name: 'Change password' }).last().click()
      await page.getByRole('status').filter({ hasText: 'Password changed' }).waitFor()
      server.adminPassword = 'Changed-pass-2026'
    })
  })

  it('signs out, and a protected address sends back to the login with the user\'s language kept', async () => {
    await step(page, 'logout', async () => {
      await page.getByRole('button', { name: 'Sign out' }).first().click()
      await page.waitForURL('**/login')
      await page.goto(`${server.url}/agent/account`)
      await page.waitForURL(/\/login\?next=/)
      await page.getByRole('heading', { name: 'Sign in' }).waitFor()
      await page.getByRole('button', { name: 'Español' }).click()
    })
  })

  it('resets a forgotten password with the emailed link', async () => {
    await step(page, 'forgot-password', async () => {
      await page.goto(`${server.url}/login`)
      await page.getByRole('link', { name: '¿Olvidó su contraseña o es su primera vez?' }).click()
      await page.getByLabel('Correo electrónico').fill(server.adminEmail)
      await page.getByRole('button', { name: 'Enviar enlace' }).click()
      await page.getByRole('status').waitFor()
      const link = await waitForMailLink(server.dataDir, server.adminEmail, '/set-password?token=')
      await page.goto(link.replace(/^https?:\/\/[^/]+/, server.url))
      await page.getByRole('heading', { name: 'Definir contraseña' }).waitFor()
      await screenshot(page, 'set-password')
      await page.getByLabel('Nueva contraseña').fill('Reset-pass-2026')
      await page.getByLabel('Confirme la contraseña').fill('Reset-pass-2026')
      await page.getByRole('button', { name: 'Guardar contraseña' }).click()
      await page.getByRole('status').filter({ hasText: 'Listo' }).waitFor()
      await page.getByRole('link', { name: 'Volver a iniciar sesión' }).click()
      await page.getByLabel('Correo electrónico').fill(server.adminEmail)
      await page.getByLabel('Contraseña').fill('Reset-pass-2026')
      await page.getByRole('button', { name: 'Iniciar sesión' }).click()
      await page.waitForURL('**/agent')
      server.adminPassword = 'Reset-pass-2026'
    })
  })

  it('after signing in goes back to the page asked for (and stays there), never to another site', async () => {
    await step(page, 'login-next', async () => {
      const admin = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
      const ticket = await admin.post<{ number: number }>('/api/v1/tickets', {
        subject: 'Enlace de un correo', description: 'Abierto desde el enlace de una notificación.', requester: { name: 'Cliente Enlace', email: 'enlace@cliente.test' },
      })
      const signOutAndIn = async (from: string, lands: string) => {
        // The admin chose English in an earlier test: either language will do here.
        await page.getByRole('button', { name: /Cerrar sesión|Sign out/ }).first().click()
        await page.waitForURL('**/login')
        await page.goto(`${server.url}${from}`)
        await page.getByLabel(/Correo electrónico|Email/).fill(server.adminEmail)
        await page.locator('input[name="password"]').fill(server.adminPassword)
        // Every address the tab shows from here: a guard that still saw nobody signed in would pass
        // through the page asked for, back to /login?next=… and on to the home page.
        const visited: string[] = []
        const record = (f: Frame) => { if (f === page.mainFrame()) visited.push(new URL(f.url()).pathname) }
        page.on('framenavigated', record)
        await page.getByRole('button', { name: /Iniciar sesión|Sign in/ }).click()
        await page.waitForURL(`${server.url}${lands}`)
        await page.getByRole('button', { name: /Cerrar sesión|Sign out/ }).first().waitFor()
        await page.waitForTimeout(1000)
        page.off('framenavigated', record)
        assert.equal(page.url(), `${server.url}${lands}`)
        assert.deepEqual(visited.filter((p) => p !== lands), [], visited.join(' → '))
      }
      await signOutAndIn('/agent/account', '/agent/account')
      await page.getByRole('heading', { name: /Mi cuenta|My account/ }).waitFor()
      // The link of a ticket notification, opened signed out.
      await signOutAndIn(`/agent/tickets/${ticket.number}`, `/agent/tickets/${ticket.number}`)
      await page.getByRole('heading', { name: 'Enlace de un correo' }).waitFor()
      for (const elsewhere of ['/\\ejemplo.test/robo', '//ejemplo.test/robo', 'https://ejemplo.test/robo']) {
        await signOutAndIn(`/login?next=${encodeURIComponent(elsewhere)}`, '/agent')
        assert.equal(new URL(page.url()).origin, server.url)
        await page.getByRole('heading', { name: /Mis tickets|My tickets/ }).waitFor()
      }
    })
  })
})
