import type { ResolutionStart, SlaPriority, SlaTargets } from './sla.types'

/**
 * Which tickets a policy applies to. Every condition that is present and non-empty must hold
 * (AND); within one condition any listed value will do (OR). No conditions = every ticket.
 */
export interface SlaPolicyConditions {
  /** Ticket types (`question`, `service_incident`, …). */
  types?: string[]
  /** Categories; a ticket in a sub-category matches its ancestors too. */
  categoryIds?: string[]
  priorities?: SlaPriority[]
  organizationIds?: string[]
  /** Organization tiers (e.g. "gold"). */
  tiers?: string[]
  /** Channels (`web`, `email`, `phone`, `chat`, `sms`, `whatsapp`, `social`, `api`). */
  channels?: string[]
}

/** An SLA policy ("política de SLA"): policies are ordered and the first match wins. */
export interface SlaPolicy {
  id: string
  name: string
  conditions: SlaPolicyConditions
  /** Targets per priority; a priority without targets makes the policy not apply. */
  targets: Partial<Record<SlaPriority, SlaTargets>>
  /** Minutes of business time (of `calendarId`, or the default calendar) or of 24×7 time. */
  calendar: 'business' | '24x7'
  calendarId?: string | null
  /** `on_hold` (Dependencia de un tercero) stops the resolution clock. */
  pauseOnHold: boolean
  resolutionStart: ResolutionStart
  /** Share of a target at which it warns (default 75). */
  warningPercent: number
}

/** What a ticket offers to policy matching. */
export interface SlaTicketFacts {
  type?: string | null
  /** The ticket's category id followed by its ancestors' ids (empty if uncategorised). */
  categoryIds: readonly string[]
  priority: SlaPriority
  organizationId?: string | null
  tier?: string | null
  channel?: string | null
}
