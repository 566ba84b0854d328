import type {
  ResolutionStart,
  SlaStatus,
  SlaTargetState,
  SlaTargets,
} from '../../../../../common/src/sla/sla.types'
import type { CalendarLike } from '../calendar/business-time'

/** Who made a change: support staff, the requester's side, or the system (automations, imports). */
export type SlaActor = 'agent' | 'customer' | 'system'

export const SLA_EVENT_TYPES = ['created', 'agent_reply', 'customer_reply', 'status', 'targets'] as const
export type SlaEventType = (typeof SLA_EVENT_TYPES)[number]

/**
 * One fact from a ticket's life, in the order it happened. The tickets module maps its history
 * rows 1:1: ticket created → `created` (with its initial status); public comment by an agent →
 * `agent_reply` (internal notes: `internal: true`, or leave them out); comment by the requester →
 * `customer_reply`; status change → `status` with the new status and who made it; priority,
 * category or type change that re-matched the policy → `targets` with the new policy's targets.
 */
export interface SlaEvent {
  at: Date | number
  type: SlaEventType
  /** `created`: the initial status (default `new`); `status`: the new status. */
  status?: SlaStatus
  /** `status`: who changed it (default `agent`); only an agent's change is a support update. */
  by?: SlaActor
  /** `agent_reply`: an internal note does not count as a response. */
  internal?: boolean
  /** `targets`: the complete new set; a missing target stops being tracked. */
  targets?: SlaTargets
}

/** Everything the clock needs; no IO — `now` is injected. */
export interface SlaClockInput {
  calendar: CalendarLike
  targets: SlaTargets
  /** `on_hold` (Dependencia de un tercero) stops the resolution clock. Default false. */
  pauseOnHold?: boolean
  resolutionStart?: ResolutionStart
  /** Share of a target at which it warns ("por vencer"). Default 75. */
  warningPercent?: number
  /** Chronological; the first one is `created`. Events after `now` are ignored. */
  events: readonly SlaEvent[]
  now: Date | number
}

/** One target as of `now`. Instants are epoch milliseconds; minutes are rounded down. */
export interface SlaTargetResult {
  state: SlaTargetState
  targetMinutes: number
  /** Deadline; null while paused. When breached, the missed deadline (= breachedAt). */
  dueAt: number | null
  /** When the warning share was reached, or will be if it keeps running; else null. */
  warningAt: number | null
  /** The warning share has been reached (and the target was not met first). */
  warning: boolean
  metAt: number | null
  breachedAt: number | null
  elapsedMinutes: number
  /** Target minus elapsed; negative once overdue. */
  remainingMinutes: number
  /** Elapsed business time in ms (live tickets store it and advance it while `counting`). */
  elapsedMs: number
  /** The clock is counting at `now` (also true for a breached target that is still owed and running). */
  counting: boolean
}

export interface SlaClockResult {
  firstResponse: SlaTargetResult | null
  /** The latest next-response cycle (one per customer reply awaiting support); null if none. */
  nextResponse: (SlaTargetResult & { cycle: number }) | null
  resolution: SlaTargetResult | null
}
