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
  /** What happens at warning and at breach (stored policies; none for the built-in presets). */
  escalations?: EscalationRule[]
}

/** The three targets as the API names them. */
export const SLA_TARGET_NAMES = ['firstResponse', 'nextResponse', 'resolution'] as const
export type SlaTargetName = (typeof SLA_TARGET_NAMES)[number]

/** When an escalation runs: once the warning share is reached, or at breach. */
export const ESCALATION_TRIGGERS = ['warning', 'breach'] as const
export type EscalationTrigger = (typeof ESCALATION_TRIGGERS)[number]

/** Who is told: the assignee, the lead of the ticket's team, every active supervisor. */
export const ESCALATION_RECIPIENTS = ['assignee', 'team_lead', 'supervisors'] as const
export type EscalationRecipient = (typeof ESCALATION_RECIPIENTS)[number]

/**
 * One escalation action ("escalamiento"): notify people (an `sla.warning` / `sla.breached` event
 * the email module turns into mail), raise the priority one step, or move the ticket to another
 * team and/or support level (nivel 1 → nivel 2).
 */
export type EscalationAction =
  | { type: 'notify'; recipients: EscalationRecipient[] }
  | { type: 'raise_priority' }
  | { type: 'move'; teamId?: string | null; level?: number | null }

/** At `on`, for the listed targets (all when omitted), run `actions` — once per ticket and target. */
export interface EscalationRule {
  on: EscalationTrigger
  targets?: SlaTargetName[]
  actions: EscalationAction[]
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
