import type { FastifyPluginAsync } from 'fastify'
import { registerPermissions, STAFF } from '../../platform/auth/permissions'
import { ValidationError } from '../../platform/http/errors'
import { errorResponses } from '../../platform/http/schemas'
import type { Lang } from '../../platform/i18n/locale'
import { MVNO_PRESET } from './presets/mvno'
import { presetPolicies } from './presets/preset-policies'
import { SlaInputError } from './sla.errors'
import { SimulateBodySchema, SimulateResponseSchema } from './sla.schemas'
import { simulate } from './simulator/simulate'

registerPermissions({ 'sla.simulate': { roles: STAFF, scope: 'tickets:read' } })

// Until policies are stored, the simulator knows the built-in example set by id.
const presetPolicyList = presetPolicies(MVNO_PRESET)

/** The simulator's issues as the platform's 400: one sentence in the caller's language, per-field details. */
export function toValidationError(error: SlaInputError, lang: Lang): ValidationError {
  const details = error.issues.map((i) => ({ field: i.field, rule: i.code, message: i.message[lang] }))
  const summary = details.slice(0, 5).map((d) => `«${d.field}»: ${d.message}`).join('; ')
  return new ValidationError('error.validation', { summary }, details)
}

/** SLA: the simulator ("Simulador de SLA") for agents and admins. */
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
    try {
      return simulate(request.body, { now: ctx.now, findPolicy: (id) => presetPolicyList.find((p) => p.id === id) })
    } catch (error) {
      if (error instanceof SlaInputError) throw toValidationError(error, request.lang)
      throw error
    }
  })
}
