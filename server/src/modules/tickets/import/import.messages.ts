import { registerMessages } from '../../../platform/i18n/messages'

registerMessages({
  es: {
    'import.row_invalid': 'El renglón no es válido: {summary}',
    'import.unknown_user': 'No existe un agente con el correo {email}; impórtelo o créelo antes.',
    'import.unknown_author': 'La nota interna {index} es de {email}, que no es un usuario; cree al agente antes de importar.',
    'import.unknown_team': 'No existe el equipo «{name}».',
    'import.unknown_organization': 'No existe la organización «{name}».',
    'import.unknown_category': 'No existe la categoría «{path}».',
    'import.requester_required': 'Indique el correo o el teléfono del solicitante.',
    'import.cancel_reason_required': 'Un ticket cancelado necesita cancelReason (duplicate, error o requester_request).',
    'import.time_order': '«{field}» ({value}) es anterior a la creación del ticket.',
    'import.closed_before_resolved': '«closedAt» ({closedAt}) es anterior a «resolvedAt» ({resolvedAt}): un ticket se cierra después de resolverse.',
    'import.future_time': '«{field}» ({value}) está en el futuro.',
    'import.empty_comment': 'El comentario {index} no tiene texto.',
    'import.unexpected': 'No se pudo importar el renglón: {detail}',
  },
  en: {
    'import.row_invalid': 'The row is not valid: {summary}',
    'import.unknown_user': 'There is no agent with email {email}; import or create them first.',
    'import.unknown_author': 'Internal note {index} is by {email}, who is not a user; create the agent before importing.',
    'import.unknown_team': 'There is no team "{name}".',
    'import.unknown_organization': 'There is no organization "{name}".',
    'import.unknown_category': 'There is no category "{path}".',
    'import.requester_required': 'Give the requester\'s email or phone.',
    'import.cancel_reason_required': 'A cancelled ticket needs cancelReason (duplicate, error or requester_request).',
    'import.time_order': '"{field}" ({value}) is before the ticket was created.',
    'import.closed_before_resolved': '"closedAt" ({closedAt}) is before "resolvedAt" ({resolvedAt}): a ticket is closed after it is resolved.',
    'import.future_time': '"{field}" ({value}) is in the future.',
    'import.empty_comment': 'Comment {index} has no text.',
    'import.unexpected': 'The row could not be imported: {detail}',
  },
})
