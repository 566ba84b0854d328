import type { FastifyPluginAsync } from 'fastify'
import { registerPermissions, STAFF } from '../../platform/auth/permissions'
import { errorResponses } from '../../platform/http/schemas'
import './sla.permissions'
import './sla.jobs'
import { MVNO_PRESET } from './presets/mvno'
import { presetPolicies } from './presets/preset-policies'
import { SimulateBodySchema, SimulateResponseSchema } from './sla.schemas'
import { simulate } from './simulator/simulate'
import { withSlaErrors } from './sla.http'
import { compiledCalendarOf, listCalendars } from './storage/calendar-store'
import { listPolicies } from './storage/policy-store'
import { slaCalendarsRoutes } from './admin/calendars.routes'
import { slaPoliciesRoutes } from './admin/policies.routes'
import { slaCutoffsRoutes } from './admin/cutoffs.routes'

export { toValidationError } from './sla.http'

registerPermissions({ 'sla.simulate': { roles: STAFF, scope: 'tickets:read' } })

// Built-in example policies stay known to the simulator by id even before they are loaded.
const presetPolicyList = presetPolicies(MVNO_PRESET)

/** SLA: the simulator ("Simulador de SLA"), calendars, policies, example sets, cut-offs and breaches. */
export const slaRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  app.post('/api/v1/sla/simulate', {
    config: { access: 'sla.simulate' },
    schema: {
      tags: ['sla'],
      summary: 'Simular los tiempos de SLA de un ticket a partir de sus eventos',
      body: SimulateBodySchema,
      response: { 200: SimulateResponseSchema, ...errorResponses },
    },
  }, async (request) => {
    const [calendars, policies] = await Promise.all([listCalendars(ctx.db), listPolicies(ctx.db)])
    const calendarBy = (id: string) => calendars.find((c) => (id === 'default' ? c.is_default : id === '24x7' ? c.builtin === '24x7' : c.id === id))
    return withSlaErrors(request, async () => simulate(request.body, {
      now: ctx.now,
      findCalendar: (id) => { const row = calendarBy(id); return row ? compiledCalendarOf(row).spec : undefined },
      findPolicy: (id) => policies.find((p) => p.id === id || p.presetKey === id) ?? presetPolicyList.find((p) => p.id === id),
    }))
  })
  await app.register(slaCalendarsRoutes)
  await app.register(slaPoliciesRoutes)
  await app.register(slaCutoffsRoutes)
}
