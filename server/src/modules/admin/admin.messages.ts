import { registerMessages } from '../../platform/i18n/messages'

registerMessages({
  es: {
    'audit.bad_range': 'La fecha «from» debe ser anterior a «to».',
    'jobs.not_found': 'No se encontró el trabajo.',
    'jobs.not_dead': 'Solo se reintentan trabajos muertos; este está «{status}».',
    'jobs.duplicate': 'Ya hay en cola un trabajo igual; no hace falta reintentarlo.',
  },
  en: {
    'audit.bad_range': 'The "from" date must be before "to".',
    'jobs.not_found': 'Job not found.',
    'jobs.not_dead': 'Only dead jobs can be retried; this one is "{status}".',
    'jobs.duplicate': 'An identical job is already queued; no need to retry this one.',
  },
})
