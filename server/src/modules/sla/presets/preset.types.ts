import type { SlaPriority, Weekday } from '../../../../../common/src/sla/sla.types'

/** One row of an SLA table ("tabla de SLA"): a kind of ticket with its process and targets. */
export interface SlaPresetRow {
  /** Stable slug; also the id of the row's sub-category. */
  id: string
  /** The table's section ("Incidencias y Solicitudes relacionadas a USUARIO FINAL"). */
  group: string
  /** Categoría — the parent category. */
  category: string
  /** Cuál es el ticket — the sub-category. */
  ticket: string
  /** Example tickets (the table's "Diagnósticos" column and extra lines). */
  examples: string[]
  /** Cuál es el proceso. */
  process: string
  /** The targets as the table words them. */
  responseText: string
  resolutionText: string
  /** Targets in business minutes of the preset's calendar. */
  firstResponseMinutes: number
  resolutionMinutes: number
  /** A second resolution target the table gives for a named case (e.g. escalated to a provider). */
  alternativeResolution?: { when: string; minutes: number; calendar: 'business' | '24x7' }
  /** Prioridad: Alta → high, Media → normal, Baja → low. */
  priority: SlaPriority
  /** Scheduled cut-offs ("cortes") the process asks for, in the calendar's zone. */
  cutoffs?: { days: Weekday[]; times: string[] }
}

/** A ready example set of SLA policies, loadable from the admin screen and by `npm run demo`. */
export interface SlaPreset {
  id: string
  name: string
  description: { es: string; en: string }
  /** Built-in calendar the targets count in (`default`: Mon–Fri 09:00–17:00 Mexico City). */
  calendarId: 'default'
  /** The resolution clock starts once the ticket has the correct information. */
  resolutionStart: 'info_complete'
  rows: SlaPresetRow[]
}
