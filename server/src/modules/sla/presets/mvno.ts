import type { SlaPreset } from './preset.types'

const END_USER = 'Incidencias y Solicitudes relacionadas a USUARIO FINAL'
const B2B = 'Seguimiento Operativo B2B entre la marca e Interlinked'
const NETWORK = 'Incidencias con la red, líneas y recargas'
const PLATFORMS = 'Problemas técnicos con las Plataformas y Herramientas de Interlinked'
const ON_RECEIPT = 'Una vez recibido el Ticket, en horario de soporte. (lunes- viernes 9-17hrs).'
const WORKAROUND =
  'En paralelo se dará una solución alternativa en caso de que afecte críticamente al usuario. EJ: Se manda manualmente pago de link, se manda manualmente pdf eSIM, se realiza manualmente la recarga.'
const MON_SAT = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
const H = 60

/**
 * "Operador móvil (MVNO)": the SLA table of seed 000 ("Categorías de Tickets & tiempos de respuesta
 * y resolución"), every row with its example tickets, process, targets in business minutes
 * (Mon–Fri 09:00–17:00 Mexico City) and priority. Text is the table's own, whitespace tidied.
 */
export const MVNO_PRESET: SlaPreset = {
  id: 'mvno',
  name: 'Operador móvil (MVNO)',
  description: {
    es: 'Tabla de SLA de un operador móvil virtual: portabilidad, red, recargas, facturación, envíos de SIM y plataformas.',
    en: 'SLA table of a mobile virtual network operator: number porting, network, top-ups, billing, SIM shipping and platforms.',
  },
  calendarId: 'default',
  resolutionStart: 'info_complete',
  rows: [
    {
      id: 'mvno-portability-request', group: END_USER, category: 'Solicitud de portabilidad',
      ticket: 'persona física y/o persona moral', examples: [],
      process: 'Hacer cortes y actualización de estatus todos los días de lunes a sábado a las 9:00am, 1:00pm y 3:00pm',
      responseText: 'Máximo 24 horas hábiles', resolutionText: 'Máximo 24 horas hábiles (a partir de tener la información correcta)',
      firstResponseMinutes: 24 * H, resolutionMinutes: 24 * H, priority: 'high',
      cutoffs: { days: [...MON_SAT], times: ['09:00', '13:00', '15:00'] },
    },
    {
      id: 'mvno-portability-error', group: END_USER, category: 'Incidencias con la Red, SIMs, Líneas y Recargas',
      ticket: 'Cancelación (reversa) o Error en la portabilidad',
      examples: [
        'Portabilidad rechazada (NIP incorrecto, línea con contrato, datos incorrectos)',
        'Retraso en la portabilidad (más de 24 horas sin confirmación)',
        'Corrección de datos de portabilidad (error en número, NIP, nombre, etc.)',
        'Reversión de portabilidad no solicitada o errónea',
        'Línea portada sin servicio',
        'Portabilidad duplicada o con datos incorrectos',
      ],
      process: 'Se realiza un corte todos los días de lunes a sábado a la 1:00pm para analizar el caso, se agrega un estatus al ticket y a partir del diagnóstico se ejecuta la acción a corregir.',
      responseText: 'Máximo 24 horas hábiles', resolutionText: 'Máximo 72 horas hábiles (a partir de tener la información correcta)',
      firstResponseMinutes: 24 * H, resolutionMinutes: 72 * H, priority: 'high',
      cutoffs: { days: [...MON_SAT], times: ['13:00'] },
    },
    {
      id: 'mvno-ld-roaming-plans', group: END_USER, category: 'Información de Precios, Productos y Servicios',
      ticket: 'Contratación de planes de Larga Distancia o Roaming Internacional', examples: [],
      process: `${ON_RECEIPT} Validar la oferta requerida, ajustar estatus del ticket y confirmar plan para activación`,
      responseText: '2 horas hábiles', resolutionText: 'Máximo 2 horas hábiles a partir de confirmar que toda la información es correcta',
      firstResponseMinutes: 2 * H, resolutionMinutes: 2 * H, priority: 'normal',
    },
    {
      id: 'mvno-service-failure', group: END_USER, category: NETWORK,
      ticket: 'Falla de servicio (voz, datos, sms) Nacional o Roaming',
      examples: [
        'Cancelación de portabilidad o corrección de información',
        'Problema de red con Carrier-Altán (fallas en cobertura, intermitencias, sin señal)',
        'Fallas en el servicio con Altán (voz, datos, SMS)',
        'Línea sin servicio después de una recarga',
        'Recarga aplicada pero sin reflejar saldo',
        'Error en la activación de un plan o paquete de datos',
        'Problemas con el aprovisionamiento de SIMs (líneas que no activan correctamente)',
        'Fallas en la activación de servicios suplementarios (roaming, larga distancia, etc.)',
        'Consulta de consumo y estado del servicio',
        'Reanudación y recuperación de líneas',
        'Errores en preactivación de planes en SIMs',
      ],
      process: `${ON_RECEIPT} Diagnostico de falla, se actualiza estatus y en caso de ser necesario se levanta ticket en CIC`,
      responseText: '1 hora hábil',
      resolutionText: 'En caso de escalar con proveedor (CIC), tiempo estimado de solución máximo 24 horas. En caso de se proceso de troubleshooting se resuelven en máximo 1 hora',
      firstResponseMinutes: 1 * H, resolutionMinutes: 1 * H, priority: 'high',
      alternativeResolution: { when: 'Escalado con proveedor (CIC)', minutes: 24 * H, calendar: '24x7' },
    },
    {
      id: 'mvno-payment-adjustments', group: END_USER, category: NETWORK,
      ticket: 'Escalamiento de fallas en pagos y errores administrativos',
      examples: ['Ajustes de pagos urgentes (pagos duplicados, recargas no aplicadas)'],
      process: `${ON_RECEIPT} Se analiza el caso y en caso de ser necesario se escala con finanzas para corroborar los pagos, se actualiza estatus y se notifica al cliente y en caso de requerir se aplica la acción correspondiente`,
      responseText: '1 hora hábil', resolutionText: 'Máximo 4 horas hábiles',
      firstResponseMinutes: 1 * H, resolutionMinutes: 4 * H, priority: 'high',
    },
    {
      id: 'mvno-sim-swap', group: END_USER, category: NETWORK,
      ticket: 'Solicitar Cambio de SIM o Recuperar eSIM', examples: [],
      process: `${ON_RECEIPT} Se valida el usuario que requiere la nueva sim, se actualiza el estatus, se asigna la nueva sim y se envía al usuario final`,
      responseText: '2 horas hábiles', resolutionText: 'Máximo 12 horas hábiles',
      firstResponseMinutes: 2 * H, resolutionMinutes: 12 * H, priority: 'normal',
    },
    {
      id: 'mvno-nir-change', group: END_USER, category: NETWORK,
      ticket: 'Solicitar Cambio de NIR (LADA)', examples: [],
      process: `${ON_RECEIPT} Se valida que exista la lada solicitada disponible, se realiza el ajuste, se envía la petición de cambio NIR`,
      responseText: '2 horas hábiles', resolutionText: 'Máximo 4 horas hábiles',
      firstResponseMinutes: 2 * H, resolutionMinutes: 4 * H, priority: 'normal',
    },
    {
      id: 'mvno-top-up-provisioning', group: END_USER, category: NETWORK,
      ticket: 'Falla en aprovisionamiento de recargas', examples: [],
      process: `${ON_RECEIPT} Se valida que no se haya ejecutado la recarga correctamente, se actualiza el estatus, en caso de ser necesario se levanta ticket en cic`,
      responseText: '1 hora hábil',
      resolutionText: 'Máximo 24 horas en caso de escalar con proveedor (CIC) o hasta 2 horas hábiles en caso de recarga manual.',
      firstResponseMinutes: 1 * H, resolutionMinutes: 2 * H, priority: 'high',
      alternativeResolution: { when: 'Escalado con proveedor (CIC)', minutes: 24 * H, calendar: '24x7' },
    },
    {
      id: 'mvno-invoice', group: END_USER, category: 'Facturación y Conciliación',
      ticket: 'Solicitar Factura de pago realizado por Usuario',
      examples: ['Facturación y Conciliación de servicios, SIMs y saldos con Interlinked'],
      process: `${ON_RECEIPT} Se valida con finanzas que se genere la factura, se actualiza el ticket, se envía la factura`,
      responseText: '1 hora hábil', resolutionText: 'Máximo 6 horas hábiles',
      firstResponseMinutes: 1 * H, resolutionMinutes: 6 * H, priority: 'normal',
    },
    {
      id: 'mvno-sim-shipping', group: END_USER, category: 'Logística y Envío de SIMs',
      ticket: 'Problemas con envíos de SIMs (Pickit)', examples: [],
      process: `${ON_RECEIPT} Se analiza el caso, se actualiza el estatus, se escala con pickit, se valida entrega de sim`,
      responseText: '2 horas hábil', resolutionText: 'Máximo 6 horas hábiles',
      firstResponseMinutes: 2 * H, resolutionMinutes: 6 * H, priority: 'normal',
    },
    {
      id: 'mvno-platform-bugs', group: B2B, category: PLATFORMS,
      ticket: 'Bugs en APIs, BSS, e-commerce de la marca, Interfaz de Recargas, etc.',
      examples: [
        'Error crítico en API (error 500, fallas de integración con Altán)',
        'Bugs en plataformas (Casos Grey-label, DevOps, SPN en SIMs)',
        'Falla en el portal de administración (no permite gestionar líneas, portabilidades, etc.)',
        'Error en la sincronización de información entre plataformas (CRM, BSS, App POS)',
        'Caída del sistema de recargas o aprovisionamiento',
        'Falla en notificaciones o envío de correos transaccionales (AWS SES, SMTP, etc.)',
      ],
      process: `${ON_RECEIPT} Se realiza análisis, se identifica el error, se actualiza el ticket, se escala con el área correspondiente. ${WORKAROUND}`,
      responseText: '2 horas hábiles', resolutionText: `Máximo 72 horas hábiles dependiendo la criticidad. ${WORKAROUND}`,
      firstResponseMinutes: 2 * H, resolutionMinutes: 72 * H, priority: 'normal',
    },
    {
      id: 'mvno-new-features', group: B2B, category: PLATFORMS,
      ticket: 'Implementación de nuevas funcionalidades en plataformas (BSS, CRM, App POS)',
      examples: ['Dudas y solicitudes comerciales'],
      process: `${ON_RECEIPT} Se analiza el requerimiento, se valida internamente, se actualiza el ticket y se notifica si procede o no para cotizar`,
      responseText: '4 horas hábiles', resolutionText: 'Mínimo 72 horas hábiles para seguimiento de requerimientos y próximos pasos comerciales',
      firstResponseMinutes: 4 * H, resolutionMinutes: 72 * H, priority: 'low',
    },
    {
      id: 'mvno-transactional-mail', group: B2B, category: PLATFORMS,
      ticket: 'Fallas en mails transaccionales', examples: [],
      process: `${ON_RECEIPT} Se valida el caso, se actualiza el ticket, se escala el caso para revisión y solución. ${WORKAROUND}`,
      responseText: '2 horas hábiles', resolutionText: `Máximo 4 horas hábiles una vez diagnosticado el problema. ${WORKAROUND}`,
      firstResponseMinutes: 2 * H, resolutionMinutes: 4 * H, priority: 'normal',
    },
    {
      id: 'mvno-payment-interfaces', group: B2B, category: PLATFORMS,
      ticket: 'Fallas en pagos desde interfaces (Openpay)',
      examples: ['Falla en integración con pasarelas de pago (OpenPay, Stripe, etc.)'],
      process: `Se analiza el error, se actualiza estatus, se escala con proveedor de pagos. ${WORKAROUND}`,
      responseText: '2 horas hábiles', resolutionText: `Máximo 24 horas hábiles. ${WORKAROUND}`,
      firstResponseMinutes: 2 * H, resolutionMinutes: 24 * H, priority: 'high',
    },
  ],
}
