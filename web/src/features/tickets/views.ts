import type { Me } from '../auth/api/auth.api'
import { ACTIVE_STATUSES, type TicketFilters } from './api/tickets.api'

/** The built-in inbox views of the sidebar (issue 4 §1), as filters on GET /api/v1/tickets. */
export interface BuiltInView { id: string; labelKey: string; filters: (me: Me) => TicketFilters; sort: string }

export const BUILT_IN_VIEWS: BuiltInView[] = [
  { id: 'mine', labelKey: 'views.mine', filters: () => ({ assigneeId: 'me', status: ACTIVE_STATUSES }), sort: '-updatedAt' },
  { id: 'unassigned', labelKey: 'views.unassigned', filters: () => ({ assigneeId: 'none', status: ACTIVE_STATUSES }), sort: '-createdAt' },
  { id: 'my-teams', labelKey: 'views.myTeams', filters: (me) => ({ teamId: me.teamIds.length ? me.teamIds.join(',') : 'none', status: ACTIVE_STATUSES }), sort: '-updatedAt' },
  { id: 'pending', labelKey: 'views.pending', filters: () => ({ status: ['pending'] }), sort: '-updatedAt' },
  { id: 'on-hold', labelKey: 'views.onHold', filters: () => ({ status: ['on_hold'] }), sort: '-updatedAt' },
  { id: 'resolved', labelKey: 'views.recentlyResolved', filters: () => ({ status: ['resolved'], resolvedFrom: daysAgo(7) }), sort: '-updatedAt' },
  { id: 'all', labelKey: 'views.all', filters: () => ({}), sort: '-updatedAt' },
]

function daysAgo(n: number) {
  const d = new Date(Date.now() - n * 86_400_000)
  return d.toISOString()
}

export const DEFAULT_VIEW = 'mine'
