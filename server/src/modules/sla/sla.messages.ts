/** es-MX and English texts of the SLA module's validation errors, keyed by stable code. */
export const SLA_MESSAGES = {
  'sla.required': { es: 'Este campo es obligatorio.', en: 'This field is required.' },
  'sla.not_object': { es: 'Debe ser un objeto.', en: 'Must be an object.' },
  'sla.unknown_field': { es: 'Campo no reconocido.', en: 'Unknown field.' },
  'sla.timezone_unknown': {
    es: 'Zona horaria desconocida: «{value}».',
    en: 'Unknown time zone: "{value}".',
  },
  'sla.weekday_unknown': {
    es: 'Día de la semana desconocido: «{value}» (use mon, tue, wed, thu, fri, sat, sun).',
    en: 'Unknown weekday: "{value}" (use mon, tue, wed, thu, fri, sat, sun).',
  },
  'sla.interval_shape': {
    es: 'Cada intervalo debe ser un par ["HH:MM", "HH:MM"].',
    en: 'Each interval must be a pair ["HH:MM", "HH:MM"].',
  },
  'sla.time_invalid': {
    es: 'Hora no válida: «{value}» (use HH:MM entre 00:00 y 24:00).',
    en: 'Invalid time: "{value}" (use HH:MM between 00:00 and 24:00).',
  },
  'sla.interval_inverted': {
    es: 'El intervalo termina ({end}) antes o cuando empieza ({start}).',
    en: 'The interval ends ({end}) before or when it starts ({start}).',
  },
  'sla.interval_overlap': {
    es: 'El intervalo se encima con otro del mismo día ({other}).',
    en: 'The interval overlaps another one on the same day ({other}).',
  },
  'sla.no_working_time': {
    es: 'El calendario no tiene horario de atención: nada vencería nunca.',
    en: 'The calendar has no working time at all: nothing would ever be due.',
  },
  'sla.too_little_working_time': {
    es: 'El calendario debe tener al menos {minutes} minutos de atención por semana.',
    en: 'The calendar must have at least {minutes} minutes of working time a week.',
  },
  'sla.date_invalid': {
    es: 'Fecha no válida: «{value}» (use AAAA-MM-DD).',
    en: 'Invalid date: "{value}" (use YYYY-MM-DD).',
  },
  'sla.instant_invalid': {
    es: 'Fecha y hora no válida: «{value}» (use ISO-8601).',
    en: 'Invalid date and time: "{value}" (use ISO-8601).',
  },
  'sla.events_order': {
    es: 'Los eventos deben ir en orden cronológico; este es anterior al previo.',
    en: 'Events must be in chronological order; this one is earlier than the previous one.',
  },
  'sla.events_first_created': {
    es: 'El primer evento debe ser «created» y solo puede haber uno.',
    en: 'The first event must be "created", and there can be only one.',
  },
  'sla.event_type_unknown': {
    es: 'Tipo de evento desconocido: «{value}».',
    en: 'Unknown event type: "{value}".',
  },
  'sla.status_unknown': {
    es: 'Estatus desconocido: «{value}».',
    en: 'Unknown status: "{value}".',
  },
  'sla.now_before_events': {
    es: '«now» es anterior al último evento.',
    en: '"now" is earlier than the last event.',
  },
  'sla.target_positive': {
    es: 'El objetivo debe ser un número entero de minutos mayor que 0.',
    en: 'The target must be a whole number of minutes greater than 0.',
  },
  'sla.percent_range': {
    es: 'Debe ser un porcentaje entre 1 y 100.',
    en: 'Must be a percentage between 1 and 100.',
  },
  'sla.enum': { es: 'Valor no permitido: «{value}».', en: 'Value not allowed: "{value}".' },
  'sla.one_of': {
    es: 'Indique «{a}» o «{b}», no ambos.',
    en: 'Give "{a}" or "{b}", not both.',
  },
  'sla.calendar_not_found': {
    es: 'No existe el calendario «{value}».',
    en: 'Calendar "{value}" does not exist.',
  },
  'sla.policy_not_found': {
    es: 'No existe la política de SLA «{value}».',
    en: 'SLA policy "{value}" does not exist.',
  },
  'sla.policy_no_targets': {
    es: 'La política no define objetivos para la prioridad «{value}».',
    en: 'The policy defines no targets for priority "{value}".',
  },
  'sla.category_not_found': {
    es: 'No existe la categoría «{value}».',
    en: 'Category "{value}" does not exist.',
  },
  'sla.team_not_found': {
    es: 'No existe el equipo «{value}».',
    en: 'Team "{value}" does not exist.',
  },
  'sla.type_not_found': {
    es: 'No existe el tipo de ticket «{value}».',
    en: 'Ticket type "{value}" does not exist.',
  },
  'sla.tier_unknown': {
    es: 'Nivel de organización desconocido: «{value}» (use {allowed}).',
    en: 'Unknown organization tier: "{value}" (use {allowed}).',
  },
  'sla.calendar_24x7_with_id': {
    es: 'Una política 24×7 no usa calendario: quite «calendarId» o elija el calendario «business».',
    en: 'A 24×7 policy uses no calendar: drop "calendarId" or choose the "business" calendar.',
  },
  'sla.organization_not_found': {
    es: 'No existe la organización «{value}».',
    en: 'Organization "{value}" does not exist.',
  },
  'sla.targets_empty': {
    es: 'Defina al menos un objetivo (primera respuesta, siguiente respuesta o resolución) para alguna prioridad.',
    en: 'Define at least one target (first response, next response or resolution) for some priority.',
  },
  'sla.move_empty': {
    es: 'Indique el equipo («teamId») o el nivel de soporte («level») al que se mueve el ticket.',
    en: 'Give the team ("teamId") or the support level ("level") the ticket moves to.',
  },
  'sla.recipients_empty': {
    es: 'Indique a quién notificar: assignee, team_lead o supervisors.',
    en: 'Say whom to notify: assignee, team_lead or supervisors.',
  },
  'sla.template_variable': {
    es: 'Variable desconocida en la plantilla: «{value}» (use {allowed}).',
    en: 'Unknown variable in the template: "{value}" (use {allowed}).',
  },
  'sla.template_required': {
    es: 'La plantilla en español es obligatoria cuando el corte publica una actualización o una nota.',
    en: 'The Spanish template is required when the cut-off posts an update or a note.',
  },
  'sla.filter_invalid': {
    es: 'Filtro no válido: «{value}».',
    en: 'Invalid filter: "{value}".',
  },
  'sla.duplicate_value': {
    es: 'Valor repetido: «{value}».',
    en: 'Repeated value: "{value}".',
  },
} as const

export type SlaMessageCode = keyof typeof SLA_MESSAGES
