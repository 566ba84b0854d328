import { registerMessages } from '../../../platform/i18n/messages'

// Messages of the ticket CSV export, es-MX first, then English.
registerMessages({
  es: {
    'tickets.export.too_many': 'La exportación tendría más de {max} tickets. Acote los filtros (por ejemplo, un rango de fechas) y vuelva a intentarlo.',
    'tickets.export.search_too_many': 'La búsqueda encuentra más de {max} tickets para exportar. Use palabras más precisas o agregue filtros.',
  },
  en: {
    'tickets.export.too_many': 'The export would hold more than {max} tickets. Narrow the filters (for example, a date range) and try again.',
    'tickets.export.search_too_many': 'The search finds more than {max} tickets to export. Use more specific words or add filters.',
  },
})
