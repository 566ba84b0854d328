import { EVERYONE, STAFF, registerPermissions } from '../../platform/auth/permissions'

/**
 * Route-level permissions of the tickets module. Which tickets an actor may touch is the policy's
 * answer (tickets.policy.ts); these only say "may this kind of actor call the route at all".
 */
registerPermissions({
  'tickets.read': { roles: EVERYONE, scope: 'tickets:read' },
  // CSV export of the list: customers their own visible tickets, staff by their ticket scope (policy).
  'tickets.export': { roles: EVERYONE, scope: 'tickets:read' },
  'tickets.create': { roles: EVERYONE, scope: 'tickets:write' },
  'tickets.update': { roles: EVERYONE, scope: 'tickets:write' },
  'tickets.comment': { roles: EVERYONE, scope: 'tickets:write' },
  'tickets.calls': { roles: STAFF, scope: 'tickets:write' },
  'tickets.bulk': { roles: STAFF, scope: 'tickets:write' },
  'tickets.views': { roles: STAFF, scope: 'tickets:read' },
  'tickets.views.manage': { roles: STAFF, scope: 'tickets:write' },
  'tickets.config.read': { roles: EVERYONE, scope: 'tickets:read' },
  'tickets.config.manage': { roles: ['admin'], scope: 'admin' },
  'contacts.search': { roles: STAFF, scope: 'users:read' },
})
