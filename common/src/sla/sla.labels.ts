import type { SlaTargetState } from './sla.types'

type Labels = Record<'es' | 'en', string>

/** UI labels of target states (GLOSSARY: Vence, Por vencer, Vencido, En pausa, Cumplido). */
export const SLA_STATE_LABELS: Record<SlaTargetState | 'warning', Labels> = {
  running: { es: 'Vence', en: 'Due' },
  warning: { es: 'Por vencer', en: 'Due soon' },
  breached: { es: 'Vencido', en: 'Breached' },
  paused: { es: 'En pausa', en: 'Paused' },
  met: { es: 'Cumplido', en: 'Met' },
}

/** UI labels of the three targets. */
export const SLA_TARGET_LABELS: Record<'firstResponse' | 'nextResponse' | 'resolution', Labels> = {
  firstResponse: { es: 'Tiempo de primera respuesta', en: 'First response time' },
  nextResponse: { es: 'Tiempo de siguiente respuesta', en: 'Next response time' },
  resolution: { es: 'Tiempo de resolución', en: 'Resolution time' },
}
