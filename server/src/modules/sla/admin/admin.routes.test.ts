import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { anonymous, createTeam, createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { assertBadInput, auditEntries } from '../../accounts/accounts.test-helpers'
import { mx } from '../test-support/clock-helpers'
import { MVNO_PRESET } from '../presets/mvno'

const CAL = '/api/v1/sla/calendars'
const POL = '/api/v1/sla/policies'
const weekdays = { mon: [['09:00', '14:00'], ['15:00', '18:00']], tue: [['09:00', '18:00']], sat: [['09:00', '13:00']] }

describe('SLA admin API', () => {
  let env: TestEnv
  let admin: Client
  let agent: Client
  let customer: Client
  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    agent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    customer = await loginAs(env.app, await createUser(env.ctx, { role: 'customer' }))
    env.clock.set(mx('2026-03-02 09:00'))
  })
  after(async () => { await env.close() })

  describe('calendars', () => {
    it('ships the default Mon–Fri 9–17 Mexico City calendar with statutory rest days, and a 24×7 one', async () => {
      const res = await agent.get(`${CAL}?year=2030`)
      assert.equal(res.statusCode, 200, res.body)
      const [def, allDay] = res.json().items
      assert.deepEqual([def.builtin, def.isDefault, def.timezone, def.weeklyMinutes, def.statutory], ['default', true, 'America/Mexico_City', 2400, 'MX'])
      assert.deepEqual(def.holidays.map((h: { date: string }) => h.date), [
        '2030-01-01', '2030-02-04', '2030-03-18', '2030-05-01', '2030-09-16', '2030-10-01', '2030-11-18', '2030-12-25',
      ])
      assert.deepEqual([allDay.builtin, allDay.weeklyMinutes, allDay.holidays], ['24x7', 10080, []])
    })

    it('is read by staff and changed by admins only', async () => {
      assert.equal((await anonymous(env.app).get(CAL)).statusCode, 401)
      assert.equal((await customer.get(CAL)).statusCode, 403)
      const denied = await agent.post(CAL, { name: 'X', timezone: 'UTC', hours: weekdays })
      assert.equal(denied.statusCode, 403)
    })

    it('creates calendars with several intervals a day and Saturdays; refuses bad ones naming the field', async () => {
      const res = await admin.post(CAL, { name: 'Soporte extendido', timezone: 'America/Monterrey', hours: weekdays, holidays: [{ date: '2026-12-24', name: 'Nochebuena' }] })
      assert.equal(res.statusCode, 201, res.body)
      assert.deepEqual([res.json().weeklyMinutes, res.json().isDefault], [(5 + 3 + 9 + 4) * 60, false])
      assert.equal((await auditEntries(env, res.json().id)).at(-1)?.action, 'sla.calendar_created')
      await assertBadInput(admin, 'POST', CAL, { name: 'Gótica', timezone: 'America/Ciudad_Gotica', hours: weekdays },
        /«timezone»: Zona horaria desconocida/, /«timezone»: Unknown time zone/)
      await assertBadInput(admin, 'POST', CAL, { name: 'Encimado', timezone: 'UTC', hours: { mon: [['09:00', '14:00'], ['13:00', '18:00']] } },
        /«hours\.mon\[1\]»: El intervalo se encima/, /«hours\.mon\[1\]»: The interval overlaps/)
      await assertBadInput(admin, 'POST', CAL, { name: 'Al revés', timezone: 'UTC', hours: { mon: [['18:00', '09:00']] } },
        /«hours\.mon\[0\]»/, /«hours\.mon\[0\]»: The interval ends/)
      await assertBadInput(admin, 'POST', CAL, { name: 'Cerrado', timezone: 'UTC', hours: {} },
        /«hours»: El calendario no tiene horario de atención/, /«hours»: The calendar has no working time/)
      await assertBadInput(admin, 'POST', CAL, { name: 'Fecha mala', timezone: 'UTC', hours: weekdays, holidays: [{ date: '2026-02-30' }] },
        /«holidays\[0\]\.date»/, /«holidays\[0\]\.date»: Invalid date/)
      const dup = await admin.post(CAL, { name: 'soporte EXTENDIDO', timezone: 'UTC', hours: weekdays })
      assert.equal(dup.statusCode, 409)
    })

    it('adds and removes holidays, statutory ones included, and keeps built-ins', async () => {
      const def = (await agent.get(CAL)).json().items[0]
      const removed = await admin.delete(`${CAL}/${def.id}/holidays/2026-09-16`)
      assert.equal(removed.statusCode, 200, removed.body)
      assert.ok(!removed.json().holidays.some((h: { date: string }) => h.date === '2026-09-16'))
      assert.deepEqual(removed.json().removedHolidays, ['2026-09-16'])
      const added = await admin.post(`${CAL}/${def.id}/holidays`, { date: '2026-11-02', name: 'Día de Muertos' })
      assert.deepEqual(added.json().holidays.find((h: { date: string }) => h.date === '2026-11-02'), { date: '2026-11-02', name: 'Día de Muertos', source: 'custom' })
      const back = await admin.post(`${CAL}/${def.id}/holidays`, { date: '2026-09-16' })
      assert.deepEqual([back.json().removedHolidays, back.json().holidays.find((h: { date: string }) => h.date === '2026-09-16')?.source], [[], 'statutory'])
      assert.equal((await admin.delete(`${CAL}/${def.id}/holidays/2026-09-17`)).statusCode, 404)
      assert.equal((await admin.delete(`${CAL}/${def.id}`)).statusCode, 409)
      // The simulator counts in the stored default calendar: 2 November is now closed.
      const sim = await agent.post('/api/v1/sla/simulate', {
        calendarId: 'default', targets: { firstResponseMinutes: 60, resolutionMinutes: 480 },
        events: [{ at: '2026-10-30T16:00:00-06:00', type: 'created' }], now: '2026-10-30T16:00:00-06:00',
      })
      assert.equal(sim.json().resolution.dueAt, '2026-11-03T16:00:00-06:00')
      await admin.delete(`${CAL}/${def.id}/holidays/2026-11-02`)
    })
  })

  describe('policies', () => {
    let level2: string
    before(async () => { level2 = await createTeam(env.ctx, 'N2', 2) })

    it('creates ordered policies with targets per priority, calendar and escalations', async () => {
      const res = await admin.post(POL, {
        name: 'Clientes VIP', conditions: { tiers: ['vip'], channels: ['phone'] }, calendar: '24x7', pauseOnHold: true,
        resolutionStart: 'info_complete', warningPercent: 80,
        targets: { urgent: { firstResponseMinutes: 15, resolutionMinutes: 120 }, high: { firstResponseMinutes: 30 } },
        escalations: [{ on: 'breach', targets: ['resolution'], actions: [{ type: 'notify', recipients: ['supervisors'] }, { type: 'move', teamId: level2, level: 2 }] }],
      })
      assert.equal(res.statusCode, 201, res.body)
      const p = res.json()
      assert.deepEqual([p.calendar, p.pauseOnHold, p.resolutionStart, p.warningPercent, p.escalations.length], ['24x7', true, 'info_complete', 80, 1])
      const second = (await admin.post(POL, { name: 'Todo lo demás', targets: { normal: { resolutionMinutes: 480 } } })).json()
      const list = (await agent.get(POL)).json().items.map((i: { name: string }) => i.name)
      assert.deepEqual(list.slice(-2), ['Clientes VIP', 'Todo lo demás'])
      const reordered = await admin.put(`${POL}/order`, { ids: [second.id, p.id] })
      assert.equal(reordered.statusCode, 200, reordered.body)
      assert.deepEqual(reordered.json().items.map((i: { name: string }) => i.name), ['Todo lo demás', 'Clientes VIP'])
      assert.equal((await admin.put(`${POL}/order`, { ids: [p.id] })).statusCode, 400)
      const changed = await admin.patch(`${POL}/${p.id}`, { warningPercent: 90, active: false })
      assert.deepEqual([changed.json().warningPercent, changed.json().active, changed.json().name], [90, false, 'Clientes VIP'])
      assert.equal((await admin.delete(`${POL}/${second.id}`)).statusCode, 200)
      assert.equal((await agent.get(`${POL}/${second.id}`)).statusCode, 404)
      assert.equal((await agent.patch(`${POL}/${p.id}`, { active: true })).statusCode, 403)
    })

    it('inserts a policy at the given position and moves the others down; a change of position moves it the same way', async () => {
      await sql`delete from sla_policies`.execute(env.ctx.db)
      const make = async (name: string, position?: number) => {
        const res = await admin.post(POL, { name, targets: { normal: { resolutionMinutes: 480 } }, ...(position === undefined ? {} : { position }) })
        assert.equal(res.statusCode, 201, res.body)
        return res.json() as { id: string; position: number }
      }
      const order = async () => (await agent.get(POL)).json().items.map((i: { name: string; position: number }) => [i.name, i.position])
      await make('A')
      await make('B')
      const c = await make('C')
      const x = await make('X', 1)
      assert.equal(x.position, 1)
      assert.deepEqual(await order(), [['A', 0], ['X', 1], ['B', 2], ['C', 3]])
      await make('Primera', 0)
      await make('Última', 99)
      assert.deepEqual(await order(), [['Primera', 0], ['A', 1], ['X', 2], ['B', 3], ['C', 4], ['Última', 5]])
      const moved = await admin.patch(`${POL}/${c.id}`, { position: 0 })
      assert.equal(moved.statusCode, 200, moved.body)
      assert.deepEqual(await order(), [['C', 0], ['Primera', 1], ['A', 2], ['X', 3], ['B', 4], ['Última', 5]])
      assert.equal((await admin.patch(`${POL}/${x.id}`, { position: 5 })).statusCode, 200)
      assert.deepEqual(await order(), [['C', 0], ['Primera', 1], ['A', 2], ['B', 3], ['Última', 4], ['X', 5]])
      await sql`delete from sla_policies`.execute(env.ctx.db)
    })

    it('keeps a category a policy matches from being deleted (the policy would match nothing and could not be saved again)', async () => {
      const category = (await admin.post('/api/v1/categories', { name: 'Temporal de QA' })).json()
      const policy = (await admin.post(POL, { name: 'Solo Temporal', conditions: { categoryIds: [category.id] }, targets: { normal: { resolutionMinutes: 480 } } })).json()
      const refused = await admin.delete(`/api/v1/categories/${category.id}`)
      assert.equal(refused.statusCode, 409, refused.body)
      assert.equal(refused.json().error.code, 'category_in_use')
      assert.match(refused.json().error.message, /la usan las políticas de SLA «Solo Temporal»/)
      assert.equal((await admin.delete(`${POL}/${policy.id}`)).statusCode, 200)
      assert.equal((await admin.delete(`/api/v1/categories/${category.id}`)).statusCode, 200, 'free once no policy names it')
    })

    it('refuses bad policies naming the field', async () => {
      await assertBadInput(admin, 'POST', POL, { name: 'Cero', targets: { normal: { firstResponseMinutes: 0 } } },
        /targets\.normal\.firstResponseMinutes/, /targets\.normal\.firstResponseMinutes/)
      await assertBadInput(admin, 'POST', POL, { name: 'Vacía', targets: {} }, /«targets»: Defina al menos un objetivo/, /«targets»: Define at least one target/)
      await assertBadInput(admin, 'POST', POL, { name: 'Sin categoría', targets: { normal: { resolutionMinutes: 60 } }, conditions: { categoryIds: ['00000000-0000-4000-8000-000000000001'] } },
        /«conditions\.categoryIds\[0\]»: No existe la categoría/, /«conditions\.categoryIds\[0\]»: Category .* does not exist/)
      await assertBadInput(admin, 'POST', POL, { name: 'Mover a nada', targets: { normal: { resolutionMinutes: 60 } }, escalations: [{ on: 'breach', actions: [{ type: 'move' }] }] },
        /«escalations\[0\]\.actions\[0\]»: Indique el equipo/, /«escalations\[0\]\.actions\[0\]»: Give the team/)
      await assertBadInput(admin, 'POST', POL, { name: 'Porcentaje', targets: { normal: { resolutionMinutes: 60 } }, warningPercent: 120 }, /warningPercent/, /warningPercent/)
      await assertBadInput(admin, 'POST', POL, { name: 'Calendario', targets: { normal: { resolutionMinutes: 60 } }, calendarId: '00000000-0000-4000-8000-000000000002' },
        /«calendarId»: No existe el calendario/, /«calendarId»: Calendar .* does not exist/)
    })

    it('refuses conditions that can never match: unknown ticket types and tiers, and a 24×7 policy with a calendar', async () => {
      const base = { name: 'Nunca', targets: { normal: { resolutionMinutes: 60 } } }
      await assertBadInput(admin, 'POST', POL, { ...base, conditions: { types: ['consulta', 'no_existe'] } },
        /«conditions\.types\[1\]»: No existe el tipo de ticket «no_existe»/, /«conditions\.types\[1\]»: Ticket type "no_existe" does not exist/)
      await assertBadInput(admin, 'POST', POL, { ...base, conditions: { tiers: ['vip', 'gold'] } },
        /«conditions\.tiers\[1\]»: Nivel de organización desconocido: «gold» \(use standard, vip\)/, /«conditions\.tiers\[1\]»: Unknown organization tier: "gold"/)
      const calendarId = (await agent.get(CAL)).json().items.find((c: { builtin: string | null }) => c.builtin === 'default').id
      await assertBadInput(admin, 'POST', POL, { ...base, calendar: '24x7', calendarId },
        /«calendarId»: Una política 24×7 no usa calendario/, /«calendarId»: A 24×7 policy uses no calendar/)
      const all = await admin.post(POL, { ...base, calendar: '24x7', calendarId, conditions: { types: ['nada'], tiers: ['oro'] } })
      assert.deepEqual(all.json().error.details.map((d: { field: string }) => d.field).sort(), ['calendarId', 'conditions.tiers[0]', 'conditions.types[0]'])

      const ok = await admin.post(POL, { ...base, calendarId, conditions: { types: ['consulta'], tiers: ['standard'] } })
      assert.equal(ok.statusCode, 201, ok.body)
      await assertBadInput(admin, 'PATCH', `${POL}/${ok.json().id}`, { calendar: '24x7', calendarId },
        /«calendarId»: Una política 24×7/, /«calendarId»: A 24×7 policy/)
      await assertBadInput(admin, 'PATCH', `${POL}/${ok.json().id}`, { conditions: { tiers: ['gold'] } }, /conditions\.tiers\[0\]/, /conditions\.tiers\[0\]/)
      const to24 = await admin.patch(`${POL}/${ok.json().id}`, { calendar: '24x7' })
      assert.equal(to24.statusCode, 200, to24.body)
      assert.deepEqual([to24.json().calendar, to24.json().calendarId], ['24x7', null])
      assert.equal((await admin.delete(`${POL}/${ok.json().id}`)).statusCode, 200)
    })
  })

  describe('example set "Operador móvil (MVNO)"', () => {
    it('creates its categories with process text, its policies and cut-offs once; the simulator knows them', async () => {
      assert.equal((await agent.post('/api/v1/sla/example-sets/mvno')).statusCode, 403)
      const res = await admin.post('/api/v1/sla/example-sets/mvno')
      assert.equal(res.statusCode, 200, res.body)
      const parents = new Set(MVNO_PRESET.rows.map((r) => r.category)).size
      assert.deepEqual(res.json(), { preset: 'mvno', categoriesCreated: parents + MVNO_PRESET.rows.length, policiesCreated: MVNO_PRESET.rows.length, policiesKept: 0, cutoffsCreated: 2 })
      const again = (await admin.post('/api/v1/sla/example-sets/mvno')).json()
      assert.deepEqual([again.categoriesCreated, again.policiesCreated, again.policiesKept, again.cutoffsCreated], [0, 0, MVNO_PRESET.rows.length, 0])

      const category = (await sql<{ id: string; description: string; default_priority: string }>`select id, description, default_priority from categories
        where name = 'Escalamiento de fallas en pagos y errores administrativos'`.execute(env.ctx.db)).rows[0]
      assert.ok(category, 'row category created')
      assert.match(category.description, /^Proceso: /)
      const policy = (await agent.get(POL)).json().items.find((p: { presetKey: string }) => p.presetKey === 'mvno-payment-adjustments-sla')
      assert.deepEqual([policy.conditions.categoryIds, policy.resolutionStart, policy.targets.high], [[category.id], 'info_complete', { firstResponseMinutes: 60, resolutionMinutes: 240 }])

      const sim = await agent.post('/api/v1/sla/simulate', { policyId: policy.id, priority: 'high', events: [{ at: '2026-03-06T16:30:00-06:00', type: 'created' }], now: '2026-03-09T09:00:00-06:00' })
      assert.equal(sim.statusCode, 200, sim.body)
      assert.equal(sim.json().firstResponse.dueAt, '2026-03-09T09:30:00-06:00')

      // A ticket filed in the category gets the row's targets.
      const t = await agent.post('/api/v1/tickets', { subject: 'Pago no reflejado', categoryId: category.id })
      assert.equal(t.json().priority, 'high')
      assert.equal(t.json().sla.policy.id, policy.id)
      assert.equal(t.json().sla.firstResponse.dueAt, '2026-03-02T10:00:00-06:00')
    })
  })
})
