import type { Me } from '../auth/api/auth.api'
import { ACTIVE_STATUSES, type TicketFilters } from './api/tickets.api'

/** The built-in inbox views of the sidebar (issue 4 §1), as filters on GET /api/v1/tickets. */
export interface BuiltInView { id: string; labelKey: string; filters: (me: Me) => TicketFilters; sort: string }

export const BUILT_IN_VIEWS: BuiltInView[] = [
  { id: 'mine', labelKey: 'views.mine', filters: () => ({ assignee: ['me'], statusCategory: ACTIVE_STATUSES }), sort: '-updatedAt' },
  { id: 'unassigned', labelKey: 'views.unassigned', filters: () => ({ assignee: ['unassigned'], statusCategory: ACTIVE_STATUSES }), sort: '-createdAt' },
  { id: 'my-teams', labelKey: 'views.myTeams', filters: (me) => ({ teamId: me.teamIds.length ? me.teamIds : ['none'], statusCategory: ACTIVE_STATUSES }), sort: '-updatedAt' },
  { id: 'pending', labelKey: 'views.pending', filters: () => ({ statusCategory: ['pending'] }), sort: '-updatedAt' },
  { id: 'on-hold', labelKey: 'views.onHold', filters: () => ({ statusCategory: ['on_hold'] }), sort: '-updatedAt' },
  { id: 'resolved', labelKey: 'views.recentlyResolved', filters: () => ({ statusCategory: ['resolved'], resolvedFrom: daysAgo(7) }), sort: '-updatedAt' },
  { id: 'all', labelKey: 'views.all', filters: () => ({}), sort: '-updatedAt' },
]

/** Seven days ago, rounded down to the minute so the query (and its cache key) stays stable. */
function daysAgo(n: number) {
  const d = new Date(Date.now() - n * 86_400_000)
  d.setSeconds(0, 0)
  return d.toISOString()
}

export const DEFAULT_VIEW = 'mine'
