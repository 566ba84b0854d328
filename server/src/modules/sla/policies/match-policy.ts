import type {
  SlaPolicy,
  SlaPolicyConditions,
  SlaTicketFacts,
} from '../../../../../common/src/sla/sla-policy.types'
import type { SlaTargets } from '../../../../../common/src/sla/sla.types'

export interface PolicyMatch {
  policy: SlaPolicy
  targets: SlaTargets
}

/**
 * The first policy (in the given order) whose conditions hold for the ticket and that has targets
 * for its priority, with those targets; null when none applies. Pure.
 */
export function matchPolicy(policies: readonly SlaPolicy[], ticket: SlaTicketFacts): PolicyMatch | null {
  for (const policy of policies) {
    const targets = policy.targets[ticket.priority]
    if (targets && conditionsHold(policy.conditions, ticket)) return { policy, targets }
  }
  return null
}

/** True when every present condition holds; a sub-category matches through its ancestors. */
export function conditionsHold(conditions: SlaPolicyConditions, ticket: SlaTicketFacts): boolean {
  return (
    allows(conditions.types, ticket.type) &&
    allows(conditions.priorities, ticket.priority) &&
    allows(conditions.organizationIds, ticket.organizationId) &&
    allows(conditions.tiers, ticket.tier) &&
    allows(conditions.channels, ticket.channel) &&
    (!conditions.categoryIds?.length || ticket.categoryIds.some((id) => conditions.categoryIds?.includes(id)))
  )
}

function allows<T>(list: readonly T[] | undefined, value: T | null | undefined): boolean {
  if (!list || list.length === 0) return true
  return value !== null && value !== undefined && list.includes(value)
}
