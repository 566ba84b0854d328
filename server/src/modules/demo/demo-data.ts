/**
 * Realistic Spanish (Mexico) demo data: customer companies, sites, staff and callers. Customers'
 * addresses are under the reserved `.example` domain (RFC 2606), so an install with real outbound
 * mail never writes to a real company when the demo is loaded.
 */

export const DEMO_PASSWORD = 'Atiende-demo-2026'

export const DEMO_ORGANIZATIONS = [
  { name: 'Conecta Móvil S.A. de C.V.', domains: ['conectamovil.example'], tier: 'vip' as const, sharesTickets: true, sites: [] },
  {
    name: 'Gasolineras del Bajío', domains: ['gasbajio.example'], tier: 'standard' as const, sharesTickets: true,
    sites: [['E-0412', 'León Centro'], ['E-0587', 'Irapuato Sur'], ['E-0733', 'Celaya Norte'], ['E-0815', 'Silao Aeropuerto']],
  },
  {
    name: 'Farmacias Sol de México', domains: ['farmaciassol.example'], tier: 'standard' as const, sharesTickets: false,
    sites: [['SUC-101', 'Guadalajara Chapultepec'], ['SUC-114', 'Zapopan Andares'], ['SUC-207', 'Tlaquepaque Centro']],
  },
  { name: 'Universidad Tecnológica del Valle', domains: ['utvalle.example'], tier: 'standard' as const, sharesTickets: false, sites: [] },
  { name: 'Transportes Rápidos del Norte', domains: ['trn.example'], tier: 'vip' as const, sharesTickets: true, sites: [['T-MTY', 'Terminal Monterrey'], ['T-SAL', 'Terminal Saltillo']] },
]

export const DEMO_TEAMS = [
  { name: 'Mesa de ayuda N1', level: 1 },
  { name: 'Soporte técnico N2', level: 2 },
  { name: 'Facturación y cobranza', level: 1 },
]

export const DEMO_STAFF = [
  { name: 'Laura Méndez', email: 'laura.mendez@atiende.demo', role: 'supervisor' as const, teams: [0, 1, 2] },
  { name: 'Carlos Ramírez', email: 'carlos.ramirez@atiende.demo', role: 'agent' as const, teams: [0] },
  { name: 'Ana Torres', email: 'ana.torres@atiende.demo', role: 'agent' as const, teams: [0] },
  { name: 'Jorge Hernández', email: 'jorge.hernandez@atiende.demo', role: 'agent' as const, teams: [0, 2] },
  { name: 'Sofía Castillo', email: 'sofia.castillo@atiende.demo', role: 'agent' as const, teams: [1] },
  { name: 'Miguel Ángel Ruiz', email: 'miguel.ruiz@atiende.demo', role: 'agent' as const, teams: [1] },
  { name: 'Patricia Gómez', email: 'patricia.gomez@atiende.demo', role: 'agent' as const, teams: [2] },
]

const FIRST = ['María', 'José', 'Guadalupe', 'Juan', 'Verónica', 'Luis', 'Alejandra', 'Fernando', 'Daniela', 'Ricardo', 'Gabriela', 'Roberto',
  'Mariana', 'Eduardo', 'Claudia', 'Arturo', 'Leticia', 'Óscar', 'Rocío', 'Héctor', 'Adriana', 'Raúl', 'Beatriz', 'Iván']
const LAST = ['García', 'Martínez', 'López', 'González', 'Rodríguez', 'Pérez', 'Sánchez', 'Ramírez', 'Flores', 'Cruz', 'Morales', 'Ortiz',
  'Jiménez', 'Reyes', 'Vázquez', 'Domínguez', 'Núñez', 'Aguilar', 'Medina', 'Guerrero']

/** Callers and portal users: deterministic names, emails at their company's domain, Mexican mobile numbers. */
export function demoCustomers(count: number) {
  const out: Array<{ name: string; email: string; phone: string; org: number }> = []
  for (let i = 0; i < count; i++) {
    const first = FIRST[i % FIRST.length]
    const last = LAST[(i * 7) % LAST.length]
    const org = i % DEMO_ORGANIZATIONS.length
    const local = `${first}.${last}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    out.push({ name: `${first} ${last}`, email: `${local}${i}@${DEMO_ORGANIZATIONS[org].domains[0]}`, phone: `+52 55 ${String(1000 + i * 37).padStart(4, '0')} ${String(2000 + i * 53).slice(-4)}`, org })
  }
  return out
}

/** Things callers say, beyond the SLA table's examples. */
export const DEMO_DESCRIPTIONS = [
  'El cliente reporta que desde ayer no puede navegar con datos móviles. Ya reinició el equipo y revisó el APN.',
  'La recarga se aplicó en el portal pero el saldo no se refleja en la línea. Adjunto el comprobante de pago.',
  'Solicita la factura del pago realizado el día de ayer con su RFC actualizado.',
  'La portabilidad lleva más de 24 horas sin confirmación. El NIP fue validado con el cliente.',
  'El punto de venta muestra error 500 al activar una SIM nueva.',
  'Pide cotización de 50 líneas adicionales con plan empresarial y roaming en Estados Unidos.',
  'No le llegó la SIM enviada por paquetería; la guía aparece como entregada.',
  'Intermitencia en llamadas de voz en la zona centro desde las 10:00.',
]

/** What the agent writes when moving a demo ticket to each status. */
export const DEMO_REPLIES: Record<string, string[]> = {
  open: ['Gracias por su reporte. Ya estamos revisando el caso con el área correspondiente.', 'Recibimos la información, gracias. Seguimos con la revisión.'],
  pending: ['Para continuar necesitamos una captura de pantalla del error y el número de línea afectado.', '¿Nos comparte el número de línea y la hora aproximada en que ocurrió la falla?'],
  on_hold: ['Escalamos el caso con el proveedor; el folio asignado es el que aparece en el ticket.'],
  resolved: ['Aplicamos el ajuste solicitado. ¿Nos confirma si ya quedó resuelto?', 'La línea ya quedó activa. Si vuelve a presentarse la falla, responda a este mensaje.'],
}

export const DEMO_NOTES = [
  'Revisado en BSS: la línea tiene la recarga aplicada pero el aprovisionamiento falló. Reintentar.',
  'Cliente VIP, dar prioridad. Ya hablé con su ejecutivo de cuenta.',
  'Posible duplicado de otro reporte de la misma estación. Validar antes de escalar.',
]
