import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import { startServer, type TestServer } from './support/server'
import { ApiSession } from './support/api'
import { adminPage, noSeriousViolations, screenshot, step } from './support/browser'

interface Sla { firstResponse: { state: string; metAt: string | null } | null }

describe('SLA in the console: policy and calendar editors, countdowns, row colours, simulator; custom fields on the ticket (browser)', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let api: ApiSession
  const n: Record<string, number> = {}

  before(async () => {
    server = await startServer()
    api = await ApiSession.login(server.url, server.adminEmail, server.adminPassword)
    await api.post('/api/v1/custom-fields', { key: 'numero_linea', labelEs: 'Número de línea', labelEn: 'Line number', kind: 'text', required: false })
    ;({ browser, page } = await adminPage(server))
    page.on('dialog', (d) => { void d.accept() })
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('creates a 24×7 policy for «Consulta» in the policy editor and loads the example set', async () => {
    await step(page, 'sla-policies', async () => {
      await page.goto(`${server.url}/admin/sla-policies`)
      await page.getByRole('heading', { name: 'Políticas de SLA', level: 1 }).waitFor()
      await page.getByText('No hay políticas de SLA').waitFor()
      await page.getByRole('button', { name: 'Nueva política' }).click()
      const dialog = page.getByRole('dialog', { name: 'Nueva política' })
      await dialog.getByLabel('Nombre').fill('Consultas 24×7')
      await dialog.getByRole('group', { name: 'Tipo' }).getByRole('checkbox', { name: 'Consulta' }).check()
      await dialog.getByLabel('Primera respuesta, prioridad Media (minutos)').fill('30')
      await dialog.getByLabel('Resolución, prioridad Media (minutos)').fill('240')
      await dialog.getByLabel('Calendario').selectOption({ label: '24×7 (todas las horas)' })
      await screenshot(page, 'sla-policy-editor')
      await noSeriousViolations(page)
      await dialog.getByRole('button', { name: 'Crear política' }).click()
      await page.getByRole('status').filter({ hasText: 'Política «Consultas 24×7» creada.' }).waitFor()
      const policies = await api.get<{ items: Array<{ name: string; conditions: unknown; targets: unknown; calendar: string }> }>('/api/v1/sla/policies')
      const mine = policies.items.find((p) => p.name === 'Consultas 24×7')
      assert.deepEqual(mine?.conditions, { types: ['consulta'] })
      assert.deepEqual(mine?.targets, { normal: { firstResponseMinutes: 30, resolutionMinutes: 240 } })
      assert.equal(mine?.calendar, '24x7')
      await page.getByRole('button', { name: 'Cargar ejemplo «Operador móvil (MVNO)»' }).click()
      await page.getByRole('status').filter({ hasText: /Conjunto de ejemplo cargado: \d+ políticas/ }).waitFor()
      await page.locator('[data-policy]').nth(5).waitFor()
      // Business minutes read as hours: 1,440 are «24 h hábiles» (three 8-hour working days), never «1 d»; a 24×7 policy's are plain hours.
      await page.locator('[data-policy]').filter({ hasText: '1ª resp. 24 h hábiles' }).first().waitFor()
      assert.doesNotMatch((await page.locator('[data-policy]').allInnerTexts()).join('\n'), /\b\d+ d\b/)
      assert.match(await page.locator('[data-policy="Consultas 24×7"]').innerText(), /1ª resp\. 30 min, resol\. 4 h ·/)
      await screenshot(page, 'sla-policies')
    })
  })

  it('colours rows by SLA state and counts down in the inbox', async () => {
    await step(page, 'sla-inbox', async () => {
      const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()
      const imported = await api.post<{ results: Array<{ externalId: string; number: number }> }>('/api/v1/tickets/import', {
        source: 'e2e',
        tickets: [
          { externalId: 'late', subject: 'No llega mi portabilidad', description: 'Hace dos horas.', type: 'consulta', priority: 'normal', status: 'open', requester: { email: 'late@cliente.test', name: 'Iván Tarde' }, createdAt: ago(120) },
          { externalId: 'soon', subject: 'Duda con mi factura', description: 'Hace 25 minutos.', type: 'consulta', priority: 'normal', status: 'open', requester: { email: 'soon@cliente.test', name: 'Sara Pronto' }, createdAt: ago(25) },
        ],
      })
      for (const r of imported.results) n[r.externalId] = r.number
      n.fresh = (await api.post<{ number: number }>('/api/v1/tickets', { subject: 'Consulta de cobertura', description: 'Recién llegada.', type: 'consulta', requester: { name: 'Fer Nuevo', email: 'fer@cliente.test' } })).number
      await page.goto(`${server.url}/agent/views/all`)
      const row = (k: string) => page.locator(`tr[data-ticket="${n[k]}"]`)
      await row('fresh').waitFor()
      assert.match(await row('late').getAttribute('class') ?? '', /\brow-sla-breached\b/)
      assert.match(await row('soon').getAttribute('class') ?? '', /\brow-sla-warning\b/)
      assert.doesNotMatch(await row('fresh').getAttribute('class') ?? '', /row-sla-(breached|warning)/)
      assert.match(await row('late').locator('[data-sla]').innerText(), /Vencido por 1 h 3\d min/)
      assert.match(await row('soon').locator('[data-sla]').innerText(), /Vence en [45] min/)
      assert.match(await row('fresh').locator('[data-sla]').innerText(), /Vence en (29|30) min/)
      // The breached background is not the plain one.
      const bg = (k: string) => row(k).locator('td').nth(1).evaluate((el) => getComputedStyle(el).backgroundColor)
      assert.notEqual(await bg('late'), await bg('fresh'))
      await screenshot(page, 'sla-inbox')
      await noSeriousViolations(page)
      // Sorting by SLA puts the overdue one first (its first response is owed), then the next deadline.
      await page.getByRole('button', { name: /^SLA/ }).click()
      await page.waitForFunction((order) => [...document.querySelectorAll('tr[data-ticket]')].map((tr) => tr.getAttribute('data-ticket')).join() === order,
        [n.late, n.soon, n.fresh].join())
      // The SLA filter «Vencidos» keeps the breached one only.
      await page.getByRole('button', { name: 'Filtros' }).click()
      await page.getByRole('group', { name: 'SLA' }).getByRole('checkbox', { name: 'Vencidos' }).check()
      const request = page.waitForRequest((r) => r.url().includes('/api/v1/tickets?') && r.url().includes('sla=breached'))
      await page.getByRole('button', { name: 'Aplicar filtros' }).click()
      await request
      await page.waitForFunction((only) => [...document.querySelectorAll('tr[data-ticket]')].map((tr) => tr.getAttribute('data-ticket')).join() === String(only), n.late)
    })
  })

  it('shows the targets on the ticket, meets the first response with a reply, and edits custom fields', async () => {
    await step(page, 'sla-ticket', async () => {
      await page.goto(`${server.url}/agent/tickets/${n.fresh}`)
      const card = page.getByRole('region', { name: 'SLA' })
      await card.getByText('Política: Consultas 24×7').waitFor()
      assert.equal(await card.locator('[data-sla-target="firstResponse"]').getAttribute('data-sla'), 'running')
      await page.locator('.ticket-head [data-sla]').filter({ hasText: /Vence en/ }).waitFor()
      const fields = page.getByRole('region', { name: 'Campos adicionales' })
      await fields.getByLabel('Número de línea').fill('55 4000 1234')
      await fields.getByRole('button', { name: 'Guardar campos' }).click()
      await fields.getByRole('status').filter({ hasText: 'Campos guardados.' }).waitFor()
      const t1 = await api.get<{ customFields: Record<string, unknown>; id: string }>(`/api/v1/tickets/by-number/${n.fresh}`)
      assert.deepEqual(t1.customFields, { numero_linea: '55 4000 1234' })
      await page.keyboard.press('r')
      await page.keyboard.type('Hola Fer, su zona tiene cobertura 4G.')
      await page.getByRole('button', { name: 'Enviar respuesta' }).click()
      await card.locator('[data-sla-target="firstResponse"][data-sla="met"]').waitFor()
      const t2 = await api.get<{ sla: Sla }>(`/api/v1/tickets/by-number/${n.fresh}`)
      assert.equal(t2.sla.firstResponse?.state, 'met')
      await screenshot(page, 'sla-ticket')
      await noSeriousViolations(page)
    })
  })

  it('simulates a ticket on the 24×7 calendar and draws its timeline', async () => {
    await step(page, 'sla-simulator', async () => {
      await page.goto(`${server.url}/admin/sla-simulator`)
      await page.getByRole('heading', { name: 'Simulador de SLA', level: 1 }).waitFor()
      await page.getByLabel('Calendario').selectOption({ label: '24×7' })
      await page.getByLabel('Primera respuesta (minutos hábiles)').fill('60')
      await page.getByLabel('Resolución (minutos hábiles)').fill('240')
      await page.getByRole('button', { name: 'Simular' }).click()
      const first = page.locator('.sim-result[data-target="firstResponse"]')
      await first.locator('[data-sla="met"]').waitFor()
      // Resolution: 1 h open + 2 h open after the customer's answer (pending never counts) = 3 h of 4.
      const resolution = page.locator('.sim-result[data-target="resolution"]')
      await resolution.locator('[data-sla="met"]').waitFor()
      assert.match(await resolution.innerText(), /Tiempo hábil transcurrido\s*3 h/)
      await page.getByRole('list', { name: 'Línea de tiempo' }).getByText('Cumplida: Primera respuesta').waitFor()
      assert.equal(await page.locator('figure.sim-timeline svg rect.band-pending').count(), 1)
      await screenshot(page, 'sla-simulator')
      await noSeriousViolations(page)
      // A 10-minute first response is missed by the reply at 30 minutes: breached, then met late.
      await page.getByLabel('Primera respuesta (minutos hábiles)').fill('10')
      await page.getByRole('button', { name: 'Simular' }).click()
      await first.locator('[data-sla="met-late"]').waitFor()
      await page.getByRole('list', { name: 'Línea de tiempo' }).getByText('Vencida: Primera respuesta').waitFor()
      // Bad input: the server's message, naming the field.
      await page.getByLabel('Fecha y hora del evento 2').fill('2020-01-01T10:00')
      await page.getByRole('button', { name: 'Simular' }).click()
      await page.getByRole('alert').filter({ hasText: /events\[1\]/ }).waitFor()
    })
  })

  it('edits business calendars and their holidays', async () => {
    await step(page, 'sla-calendars', async () => {
      await page.goto(`${server.url}/admin/sla-calendars`)
      await page.getByRole('heading', { name: 'Calendarios de atención', level: 1 }).waitFor()
      await page.getByRole('button', { name: 'Nuevo calendario' }).click()
      const dialog = page.getByRole('dialog', { name: 'Nuevo calendario' })
      await dialog.getByLabel('Nombre').fill('Soporte sábados')
      await dialog.getByLabel('Sábado').fill('9:00-14:00')
      await dialog.getByLabel('Domingo').fill('todo el día')
      await dialog.getByRole('button', { name: 'Crear calendario' }).click()
      await dialog.getByRole('alert').filter({ hasText: 'Revise los horarios' }).waitFor()
      assert.equal(await dialog.getByLabel('Domingo').getAttribute('aria-invalid'), 'true')
      await dialog.getByLabel('Domingo').fill('')
      await dialog.getByRole('button', { name: 'Crear calendario' }).click()
      const cal = page.locator('[data-calendar="Soporte sábados"]')
      await cal.getByText('sáb 09:00-14:00').waitFor()
      const year = new Date().getFullYear()
      await cal.getByLabel('Fecha').fill(`${year}-12-24`)
      await cal.getByLabel('Nombre del día').fill('Nochebuena')
      await cal.getByRole('button', { name: 'Agregar día festivo' }).click()
      await cal.getByText('Nochebuena').waitFor()
      const cals = await api.get<{ items: Array<{ name: string; hours: Record<string, unknown>; holidays: Array<{ date: string }> }> }>(`/api/v1/sla/calendars?year=${year}`)
      const mine = cals.items.find((c) => c.name === 'Soporte sábados')
      assert.deepEqual(mine?.hours.sat, [['09:00', '14:00']])
      assert.ok(mine?.holidays.some((h) => h.date === `${year}-12-24`))
      await screenshot(page, 'sla-calendars')
      await noSeriousViolations(page)
    })
  })

  it('edits a policy’s escalations: notify at warning; at breach notify supervisors, raise priority and move to level 2', async () => {
    await step(page, 'sla-escalations', async () => {
      await page.goto(`${server.url}/admin/sla-policies`)
      await page.getByRole('heading', { name: 'Políticas de SLA', level: 1 }).waitFor()
      await page.getByRole('button', { name: 'Editar Consultas 24×7' }).click()
      const dialog = page.getByRole('dialog', { name: 'Editar Consultas 24×7' })
      await dialog.getByText('Sin escalamientos').waitFor()
      await dialog.getByRole('button', { name: 'Agregar escalamiento al aviso' }).click()
      await dialog.getByRole('button', { name: 'Agregar escalamiento al vencer' }).click()
      const warning = dialog.getByRole('group', { name: 'Escalamiento 1' })
      assert.equal(await warning.getByLabel('Cuándo').inputValue(), 'warning')
      assert.equal(await warning.getByRole('checkbox', { name: 'Asignado' }).isChecked(), true)
      await warning.getByRole('checkbox', { name: 'Primera respuesta' }).check()
      const breach = dialog.getByRole('group', { name: 'Escalamiento 2' })
      await breach.getByRole('checkbox', { name: 'Asignado' }).uncheck()
      await dialog.getByRole('button', { name: 'Guardar' }).click()
      await dialog.getByRole('alert').filter({ hasText: 'Escalamiento 2 no tiene ninguna acción' }).waitFor()
      await breach.getByRole('checkbox', { name: 'Supervisores' }).check()
      await breach.getByRole('checkbox', { name: 'Subir la prioridad un nivel' }).check()
      await breach.getByLabel('Mover al nivel de soporte').selectOption({ label: 'Nivel 2 (N2)' })
      await screenshot(page, 'sla-escalations')
      await noSeriousViolations(page)
      await dialog.getByRole('button', { name: 'Guardar' }).click()
      await page.getByRole('status').filter({ hasText: 'Cambios guardados.' }).waitFor()
      await page.locator('[data-policy="Consultas 24×7"]').getByText('2 escalamientos').waitFor()
      const policies = await api.get<{ items: Array<{ name: string; escalations: unknown }> }>('/api/v1/sla/policies')
      assert.deepEqual(policies.items.find((p) => p.name === 'Consultas 24×7')?.escalations, [
        { on: 'warning', targets: ['firstResponse'], actions: [{ type: 'notify', recipients: ['assignee'] }] },
        { on: 'breach', actions: [{ type: 'notify', recipients: ['supervisors'] }, { type: 'raise_priority' }, { type: 'move', level: 2 }] },
      ])
      // Opened again, the editor shows what was stored; removing a rule saves the rest.
      await page.getByRole('button', { name: 'Editar Consultas 24×7' }).click()
      assert.equal(await dialog.getByRole('group', { name: 'Escalamiento 2' }).getByLabel('Mover al nivel de soporte').inputValue(), '2')
      await dialog.getByRole('button', { name: 'Eliminar Escalamiento 1' }).click()
      await dialog.getByRole('button', { name: 'Guardar' }).click()
      await page.locator('[data-policy="Consultas 24×7"]').getByText('1 escalamiento', { exact: false }).waitFor()
      const after = await api.get<{ items: Array<{ name: string; escalations: Array<{ on: string }> }> }>('/api/v1/sla/policies')
      assert.deepEqual(after.items.find((p) => p.name === 'Consultas 24×7')?.escalations.map((e) => e.on), ['breach'])
    })
  })

  it('lists, creates, edits and deletes cut-offs (cortes)', async () => {
    await step(page, 'sla-cutoffs', async () => {
      await page.goto(`${server.url}/admin/sla-cutoffs`)
      await page.getByRole('heading', { name: 'Cortes', level: 1 }).waitFor()
      // The example set brought its own cut-offs.
      await page.locator('[data-cutoff]').first().waitFor()
      await page.getByRole('button', { name: 'Nuevo corte' }).click()
      const dialog = page.getByRole('dialog', { name: 'Nuevo corte' })
      await dialog.getByLabel('Nombre').fill('Corte de prueba')
      await dialog.getByLabel('Calendario').selectOption({ label: 'Soporte sábados (America/Mexico_City)' })
      await dialog.getByLabel('Horas del corte').fill('9:00, 25:00')
      await dialog.getByRole('checkbox', { name: 'Sábado' }).uncheck()
      await dialog.getByRole('group', { name: 'Prioridad' }).getByRole('checkbox', { name: 'Alta' }).check()
      await dialog.getByLabel('Acción').selectOption({ label: 'Agregar una nota interna' })
      await dialog.getByLabel('Plantilla en español').fill('Corte {{cutoff.time}}: revisar #{{ticket.number}} antes de {{ticket.due_at}}.')
      await dialog.getByRole('button', { name: 'Crear corte' }).click()
      await dialog.getByRole('alert').filter({ hasText: 'Revise las horas' }).waitFor()
      await dialog.getByLabel('Horas del corte').fill('9:00, 14:30')
      await screenshot(page, 'sla-cutoff-editor')
      await noSeriousViolations(page)
      await dialog.getByRole('button', { name: 'Crear corte' }).click()
      await page.getByRole('status').filter({ hasText: 'Corte «Corte de prueba» creado.' }).waitFor()
      const row = page.locator('[data-cutoff="Corte de prueba"]')
      await row.getByText('lun, mar, mié, jue, vie · 09:00, 14:30 (America/Mexico_City)').waitFor()
      const list = await api.get<{ items: Array<{ id: string; name: string; days: string[]; times: string[]; action: string; filter: unknown; calendarId: string | null; remindAssignee: boolean }> }>('/api/v1/sla/cutoffs')
      const mine = list.items.find((c) => c.name === 'Corte de prueba')
      assert.deepEqual([mine?.days, mine?.times, mine?.action, mine?.filter, mine?.remindAssignee], [['mon', 'tue', 'wed', 'thu', 'fri'], ['09:00', '14:30'], 'internal_note', { priority: ['high'] }, true])
      assert.ok(mine?.calendarId)

      await row.getByRole('button', { name: 'Qué vence antes' }).click()
      await row.getByText(/Nada vence antes del próximo corte|vence /).first().waitFor()
      await row.getByRole('button', { name: 'Editar Corte de prueba' }).click()
      const edit = page.getByRole('dialog', { name: 'Editar Corte de prueba' })
      await edit.getByLabel('Horas del corte').fill('13:00')
      await edit.getByLabel('Acción').selectOption({ label: 'Solo recordar al asignado' })
      await edit.getByRole('button', { name: 'Guardar' }).click()
      await page.getByRole('status').filter({ hasText: 'Cambios guardados.' }).waitFor()
      await row.getByText('Solo recordar al asignado', { exact: false }).waitFor()
      const edited = (await api.get<{ times: string[]; action: string }>(`/api/v1/sla/cutoffs/${mine!.id}`))
      assert.deepEqual([edited.times, edited.action], [['13:00'], 'none'])
      await screenshot(page, 'sla-cutoffs')
      await noSeriousViolations(page)

      await row.getByRole('button', { name: 'Eliminar Corte de prueba' }).click()
      await page.getByRole('status').filter({ hasText: 'Corte «Corte de prueba» eliminado.' }).waitFor()
      // The notice can show a frame before the list re-renders without the row: wait for it to go.
      await page.locator('[data-cutoff="Corte de prueba"]').waitFor({ state: 'detached' })
    })
  })
  it('counts down to the deadline instant: outside office hours it shows the due date, never a breach the server did not report', async () => {
    await step(page, 'sla-closed-hours', async () => {
      // A calendar open only on the weekday three days from now: until then the clock does not move.
      const zone = 'America/Mexico_City'
      const day = new Intl.DateTimeFormat('en-US', { weekday: 'short', timeZone: zone }).format(new Date(Date.now() + 3 * 86_400_000)).toLowerCase()
      const calendar = await api.post<{ id: string }>('/api/v1/sla/calendars', { name: 'Un día a la semana', timezone: zone, hours: { [day]: [['09:00', '17:00']] } })
      await api.post('/api/v1/sla/policies', {
        name: 'Urgentes de un día', position: 0, conditions: { priorities: ['urgent'] }, calendarId: calendar.id,
        targets: { urgent: { firstResponseMinutes: 60, resolutionMinutes: 1440 } },
      })
      const number = (await api.post<{ number: number }>('/api/v1/tickets', { subject: 'Fuera de horario', description: 'Llegó de noche.', priority: 'urgent', requester: { name: 'Noé Noche', email: 'noe@cliente.test' } })).number
      const t = await api.get<{ sla: { firstResponse: { state: string; remainingMinutes: number; dueAt: string } } }>(`/api/v1/tickets/by-number/${number}`)
      assert.deepEqual([t.sla.firstResponse.state, t.sla.firstResponse.remainingMinutes], ['running', 60])
      const own = await page.context().newPage()
      try {
        await own.clock.install()
        await own.goto(`${server.url}/agent/tickets/${number}`)
        const head = own.locator('.ticket-head [data-sla]')
        // «Vence vie 11 dic, 10:00»: the deadline itself, not «Vence en 1 h» nor «2 d 16 h».
        await head.filter({ hasText: /Vence \S+ \d{1,2} \S+ 10:00/ }).waitFor()
        assert.equal(await head.getAttribute('data-sla'), 'running')
        const card = own.getByRole('region', { name: 'SLA' })
        await card.locator('[data-sla-target="resolution"]').waitFor()
        assert.doesNotMatch(await card.innerText(), /\b\d+ d\b/)
        // Two hours later (still closed) the old countdown said «Vencido por 1 h»; the deadline has not come.
        await own.clock.fastForward('02:00:00')
        await own.waitForTimeout(100)
        assert.match(await head.innerText(), /Vence \S+ \d{1,2} \S+ 10:00/)
        assert.equal(await head.getAttribute('data-sla'), 'running')
        assert.equal(await card.locator('[data-sla-target="firstResponse"]').getAttribute('data-sla'), 'running')
        await screenshot(own, 'sla-closed-hours')
      } finally {
        await own.close()
      }
    })
  })
})
