import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { SlaPolicy } from '../../../../../common/src/sla/sla-policy.types'
import { matchPolicy } from '../policies/match-policy'
import { simulate } from '../simulator/simulate'
import { MVNO_PRESET } from './mvno'
import { presetCategories, presetCategoryId, presetPolicies } from './preset-policies'

/**
 * The seed's table (000, "Categorías de Tickets & tiempos de respuesta y resolución"), transcribed
 * row by row: ticket, response, resolution, priority as written. Due instants are for a ticket
 * created Monday 2 March 2026 09:00 Mexico City with no further events (Mon–Fri 09:00–17:00).
 */
const SEED_TABLE: [ticket: string, response: string, resolution: string, prioridad: string, firstDue: string, resolutionDue: string][] = [
  ['persona física y/o persona moral', '24 horas hábiles', '24 horas hábiles', 'Alta', '2026-03-04T17:00:00-06:00', '2026-03-04T17:00:00-06:00'],
  ['Cancelación (reversa) o Error en la portabilidad', '24 horas hábiles', '72 horas hábiles', 'Alta', '2026-03-04T17:00:00-06:00', '2026-03-12T17:00:00-06:00'],
  ['Contratación de planes de Larga Distancia o Roaming Internacional', '2 horas hábiles', '2 horas hábiles', 'Media', '2026-03-02T11:00:00-06:00', '2026-03-02T11:00:00-06:00'],
  ['Falla de servicio (voz, datos, sms) Nacional o Roaming', '1 hora hábil', '1 hora', 'Alta', '2026-03-02T10:00:00-06:00', '2026-03-02T10:00:00-06:00'],
  ['Escalamiento de fallas en pagos y errores administrativos', '1 hora hábil', '4 horas hábiles', 'Alta', '2026-03-02T10:00:00-06:00', '2026-03-02T13:00:00-06:00'],
  ['Solicitar Cambio de SIM o Recuperar eSIM', '2 horas hábiles', '12 horas hábiles', 'Media', '2026-03-02T11:00:00-06:00', '2026-03-03T13:00:00-06:00'],
  ['Solicitar Cambio de NIR (LADA)', '2 horas hábiles', '4 horas hábiles', 'Media', '2026-03-02T11:00:00-06:00', '2026-03-02T13:00:00-06:00'],
  ['Falla en aprovisionamiento de recargas', '1 hora hábil', '2 horas hábiles', 'Alta', '2026-03-02T10:00:00-06:00', '2026-03-02T11:00:00-06:00'],
  ['Solicitar Factura de pago realizado por Usuario', '1 hora hábil', '6 horas hábiles', 'Media', '2026-03-02T10:00:00-06:00', '2026-03-02T15:00:00-06:00'],
  ['Problemas con envíos de SIMs (Pickit)', '2 horas hábil', '6 horas hábiles', 'Media', '2026-03-02T11:00:00-06:00', '2026-03-02T15:00:00-06:00'],
  ['Bugs en APIs, BSS, e-commerce de la marca, Interfaz de Recargas, etc.', '2 horas hábiles', '72 horas hábiles', 'Media', '2026-03-02T11:00:00-06:00', '2026-03-12T17:00:00-06:00'],
  ['Implementación de nuevas funcionalidades en plataformas (BSS, CRM, App POS)', '4 horas hábiles', '72 horas hábiles', 'Baja', '2026-03-02T13:00:00-06:00', '2026-03-12T17:00:00-06:00'],
  ['Fallas en mails transaccionales', '2 horas hábiles', '4 horas hábiles', 'Media', '2026-03-02T11:00:00-06:00', '2026-03-02T13:00:00-06:00'],
  ['Fallas en pagos desde interfaces (Openpay)', '2 horas hábiles', '24 horas hábiles', 'Alta', '2026-03-02T11:00:00-06:00', '2026-03-04T17:00:00-06:00'],
]

const PRIORITY = { Alta: 'high', Media: 'normal', Baja: 'low' } as const
const minutes = (text: string) => Number(/(\d+) horas?/.exec(text)?.[1]) * 60
const policies = presetPolicies(MVNO_PRESET)
const findPolicy = (id: string): SlaPolicy | undefined => policies.find((p) => p.id === id)

describe('preset "Operador móvil (MVNO)": the seed’s SLA table', () => {
  it('has every row of the table, in order', () => {
    assert.equal(MVNO_PRESET.name, 'Operador móvil (MVNO)')
    assert.deepEqual(MVNO_PRESET.rows.map((r) => r.ticket), SEED_TABLE.map(([ticket]) => ticket))
  })

  for (const [i, [ticket, response, resolution, prioridad, firstDue, resolutionDue]] of SEED_TABLE.entries()) {
    describe(`row ${i + 1}: ${ticket}`, () => {
      const row = MVNO_PRESET.rows[i]

      it(`has ${response} / ${resolution} in business minutes and priority ${prioridad}`, () => {
        assert.equal(row.firstResponseMinutes, minutes(response))
        assert.equal(row.resolutionMinutes, minutes(resolution))
        assert.equal(row.priority, PRIORITY[prioridad as keyof typeof PRIORITY])
        assert.ok(row.responseText.includes(response), row.responseText)
        assert.ok(row.resolutionText.includes(resolution), row.resolutionText)
        assert.ok(row.process.length > 20)
      })

      it('is matched by a ticket in its sub-category (parent given as ancestor), at any priority', () => {
        for (const priority of ['urgent', 'high', 'normal', 'low'] as const) {
          const match = matchPolicy(policies, { categoryIds: [row.id, presetCategoryId(MVNO_PRESET, row.category)], priority })
          assert.equal(match?.policy.id, `${row.id}-sla`)
          assert.deepEqual(match?.targets, { firstResponseMinutes: row.firstResponseMinutes, resolutionMinutes: row.resolutionMinutes })
        }
      })

      it(`is due ${firstDue} (response) and ${resolutionDue} (resolution) for a ticket opened Monday 09:00`, () => {
        const result = simulate(
          { policyId: `${row.id}-sla`, priority: row.priority, events: [{ at: '2026-03-02T09:00:00-06:00', type: 'created' }], now: '2026-03-02T09:00:00-06:00' },
          { findPolicy },
        )
        assert.equal(result.firstResponse?.dueAt, firstDue)
        assert.equal(result.resolution?.dueAt, resolutionDue)
        assert.equal(result.resolution?.remainingMinutes, row.resolutionMinutes)
      })
    })
  }

  it('keeps the table’s second resolution target for tickets escalated to the provider (CIC)', () => {
    const escalated = MVNO_PRESET.rows.filter((r) => r.alternativeResolution)
    assert.deepEqual(escalated.map((r) => [r.id, r.alternativeResolution?.minutes, r.alternativeResolution?.calendar]), [
      ['mvno-service-failure', 1440, '24x7'],
      ['mvno-top-up-provisioning', 1440, '24x7'],
    ])
  })

  it('keeps the cut-offs of the portability rows (Monday–Saturday 9:00, 13:00, 15:00; 13:00)', () => {
    assert.deepEqual(MVNO_PRESET.rows[0].cutoffs, { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], times: ['09:00', '13:00', '15:00'] })
    assert.deepEqual(MVNO_PRESET.rows[1].cutoffs?.times, ['13:00'])
  })

  it('starts resolution once the information is complete, on the default calendar', () => {
    assert.ok(policies.every((p) => p.resolutionStart === 'info_complete' && p.calendarId === 'default' && p.calendar === 'business'))
  })

  it('builds a category tree: table categories with one sub-category per row', () => {
    const categories = presetCategories(MVNO_PRESET)
    const rows = categories.filter((c) => c.parentId !== null)
    assert.equal(rows.length, 14)
    const network = categories.find((c) => c.name === 'Incidencias con la red, líneas y recargas')
    assert.equal(rows.filter((c) => c.parentId === network?.id).length, 5)
    assert.equal(categories.filter((c) => c.parentId === null).length, 7)
    assert.equal(new Set(categories.map((c) => c.id)).size, categories.length)
  })
})
