import { registerPermissions, STAFF } from '../../platform/auth/permissions'
import { registerMessages } from '../../platform/i18n/messages'

/**
 * Route-level permissions of the SLA module: staff read calendars, policies, cut-offs and
 * breaches (the ticket screens show them); only admins change them.
 */
registerPermissions({
  'sla.read': { roles: STAFF, scope: 'tickets:read' },
  'sla.manage': { roles: ['admin'], scope: 'admin' },
})

registerMessages({
  es: {
    'sla.calendar_not_found': 'No se encontró el calendario.',
    'sla.policy_not_found': 'No se encontró la política de SLA.',
    'sla.cutoff_not_found': 'No se encontró el corte.',
    'sla.calendar_builtin': 'El calendario «{name}» viene con el sistema y no se puede eliminar.',
    'sla.calendar_default': 'El calendario predeterminado no se puede eliminar; marque otro como predeterminado primero.',
    'sla.calendar_in_use': 'El calendario «{name}» se usa en {count} políticas o cortes; cámbielas antes de eliminarlo.',
    'sla.holiday_not_found': 'La fecha {date} no es un día festivo de este calendario.',
    'sla.name_taken': 'Ya existe un calendario llamado «{name}».',
    'sla.policy_order_mismatch': 'La lista debe contener exactamente los identificadores de todas las políticas.',
  },
  en: {
    'sla.calendar_not_found': 'Calendar not found.',
    'sla.policy_not_found': 'SLA policy not found.',
    'sla.cutoff_not_found': 'Cut-off not found.',
    'sla.calendar_builtin': 'Calendar "{name}" ships with the system and cannot be deleted.',
    'sla.calendar_default': 'The default calendar cannot be deleted; make another one the default first.',
    'sla.calendar_in_use': 'Calendar "{name}" is used by {count} policies or cut-offs; change them before deleting it.',
    'sla.holiday_not_found': '{date} is not a holiday of this calendar.',
    'sla.name_taken': 'A calendar named "{name}" already exists.',
    'sla.policy_order_mismatch': 'The list must hold exactly the ids of every policy.',
  },
})
