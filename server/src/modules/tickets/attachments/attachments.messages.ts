import { registerMessages } from '../../../platform/i18n/messages'

registerMessages({
  es: {
    'attachments.not_multipart': 'Envíe los archivos como multipart/form-data (campo «file»).',
    'attachments.no_files': 'No se recibió ningún archivo. Adjunte al menos uno en el campo «file».',
    'attachments.empty_file': 'El archivo «{filename}» está vacío.',
    'attachments.file_too_large': 'El archivo «{filename}» supera el límite de {limit} por archivo.',
    'attachments.ticket_quota': 'Con «{filename}» los adjuntos del ticket superarían el límite de {limit} por ticket.',
    'attachments.too_many_files': 'Se pueden subir como máximo {max} archivos por solicitud.',
    'attachments.bad_field': 'El campo «{field}» no es válido en esta carga.',
    'attachments.unknown_ids': 'Estos adjuntos no existen en el ticket, no los subió usted o ya están en otro comentario: {ids}.',
    'attachments.evidence_required': 'El tipo de ticket «{type}» requiere al menos {min} adjunto(s) como evidencia (capturas de pantalla, mensajes de error).',
    'attachments.content_missing': 'El contenido del adjunto ya no está disponible.',
    'attachments.not_found': 'No se encontró el adjunto.',
    'attachments.internal_forbidden': 'Solo el personal de soporte puede subir adjuntos internos.',
  },
  en: {
    'attachments.not_multipart': 'Send the files as multipart/form-data ("file" field).',
    'attachments.no_files': 'No file was received. Attach at least one in the "file" field.',
    'attachments.empty_file': 'The file "{filename}" is empty.',
    'attachments.file_too_large': 'The file "{filename}" exceeds the per-file limit of {limit}.',
    'attachments.ticket_quota': 'With "{filename}" the ticket\'s attachments would exceed the per-ticket limit of {limit}.',
    'attachments.too_many_files': 'At most {max} files can be uploaded per request.',
    'attachments.bad_field': 'The field "{field}" is not valid in this upload.',
    'attachments.unknown_ids': 'These attachments do not exist on the ticket, were not uploaded by you, or already belong to another comment: {ids}.',
    'attachments.evidence_required': 'The ticket type "{type}" requires at least {min} attachment(s) as evidence (screenshots, error messages).',
    'attachments.content_missing': 'The attachment\'s content is no longer available.',
    'attachments.not_found': 'The attachment was not found.',
    'attachments.internal_forbidden': 'Only support staff can upload internal attachments.',
  },
})
