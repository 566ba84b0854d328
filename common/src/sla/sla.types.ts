/**
 * SLA shapes shared by the server and the web app: business calendars, targets, target states
 * and the status codes the SLA clock understands.
 */

/** Weekday keys of a calendar's `hours`, Monday first (ISO order). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** A working interval in local wall time: `["09:00", "17:00"]`; "24:00" is allowed as an end. */
export type WorkingInterval = [string, string]

/** A business calendar ("horario de atención"): zone, working intervals per weekday, holidays. */
export interface CalendarSpec {
  /** IANA time zone, e.g. "America/Mexico_City". */
  timezone: string
  /** Working intervals per weekday; a missing or empty day is closed. */
  hours: Partial<Record<Weekday, WorkingInterval[]>>
  /** Whole closed dates ("días festivos") in the calendar's zone, "YYYY-MM-DD". */
  holidays?: string[]
}

/** Ticket status codes (see GLOSSARY) as the SLA clock sees them. */
export const SLA_STATUSES = ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed', 'cancelled'] as const
export type SlaStatus = (typeof SLA_STATUSES)[number]

export const SLA_PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const
export type SlaPriority = (typeof SLA_PRIORITIES)[number]

/** Targets in minutes of the policy's calendar; a missing target is not tracked. */
export interface SlaTargets {
  firstResponseMinutes?: number
  nextResponseMinutes?: number
  resolutionMinutes?: number
}

/** When the resolution clock starts: at creation, or once the requester completed the information. */
export const RESOLUTION_STARTS = ['created', 'info_complete'] as const
export type ResolutionStart = (typeof RESOLUTION_STARTS)[number]

/** State of one target: counting, stopped, fulfilled in time, or missed. */
export const SLA_TARGET_STATES = ['running', 'paused', 'met', 'breached'] as const
export type SlaTargetState = (typeof SLA_TARGET_STATES)[number]

/** The simulator's (and the ticket API's) view of one target; instants are ISO-8601 with offset. */
export interface SlaTargetView {
  state: SlaTargetState
  dueAt: string | null
  metAt: string | null
  breachedAt: string | null
  elapsedMinutes: number
  remainingMinutes: number
}

/** Simulator answer; a target is null only when a policy used by id does not define it. */
export interface SlaSimulationResult {
  firstResponse: SlaTargetView | null
  resolution: SlaTargetView | null
  /** Only when the targets include `nextResponseMinutes`: the latest cycle, null before any customer reply. */
  nextResponse?: SlaTargetView | null
}

/** `GET /api/v1/tickets?sla=…`: due later today, breached and still owed, or past the warning share. */
export const SLA_LIST_FILTERS = ['due_today', 'breached', 'warning'] as const
export type SlaListFilter = (typeof SLA_LIST_FILTERS)[number]

/** One target of a live ticket as the ticket API shows it (as of the request). */
export interface TicketSlaTargetView extends SlaTargetView {
  targetMinutes: number
  /** The warning share ("por vencer") has been reached and the target is not met. */
  warning: boolean
  warningAt: string | null
  /** Next response: which customer reply awaiting support this is (1, 2, …). */
  cycle?: number
}

/** `sla` of a ticket in the API: the policy in force and its three targets (null when not tracked). */
export interface TicketSlaView {
  policy: { id: string; name: string } | null
  /** Earliest deadline of a running target; null when nothing is running. */
  nextDueAt: string | null
  firstResponse: TicketSlaTargetView | null
  nextResponse: TicketSlaTargetView | null
  resolution: TicketSlaTargetView | null
}
