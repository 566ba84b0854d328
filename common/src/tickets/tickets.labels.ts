import type { CancelReason, Channel, Priority, StatusCode } from './tickets.types'

type Labels = Record<'es' | 'en', string>

/** es-MX and English labels of the 7 status codes (GLOSSARY). */
export const STATUS_LABELS: Record<StatusCode, Labels> = {
  new: { es: 'Nuevo', en: 'New' },
  open: { es: 'En proceso', en: 'Open' },
  pending: { es: 'En espera de información', en: 'Waiting for information' },
  on_hold: { es: 'Dependencia de un tercero', en: 'Waiting on third party' },
  resolved: { es: 'Resuelto', en: 'Resolved' },
  closed: { es: 'Cerrado', en: 'Closed' },
  cancelled: { es: 'Cancelado', en: 'Cancelled' },
}

export const PRIORITY_LABELS: Record<Priority, Labels> = {
  urgent: { es: 'Urgente', en: 'Urgent' },
  high: { es: 'Alta', en: 'High' },
  normal: { es: 'Media', en: 'Normal' },
  low: { es: 'Baja', en: 'Low' },
}

export const CHANNEL_LABELS: Record<Channel, Labels> = {
  web: { es: 'Portal', en: 'Portal' },
  email: { es: 'Correo', en: 'Email' },
  phone: { es: 'Teléfono', en: 'Phone' },
  chat: { es: 'Chat', en: 'Chat' },
  sms: { es: 'SMS', en: 'SMS' },
  whatsapp: { es: 'WhatsApp', en: 'WhatsApp' },
  social: { es: 'Redes sociales', en: 'Social' },
  api: { es: 'API', en: 'API' },
}

export const CANCEL_REASON_LABELS: Record<CancelReason, Labels> = {
  duplicate: { es: 'Duplicado', en: 'Duplicate' },
  error: { es: 'Error', en: 'Error' },
  requester_request: { es: 'A solicitud del solicitante', en: "Requester's request" },
}
