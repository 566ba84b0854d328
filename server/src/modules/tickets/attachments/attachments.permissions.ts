import { EVERYONE, STAFF, registerPermissions } from '../../../platform/auth/permissions'

/**
 * Route-level permissions of ticket core part B. Which tickets may be touched is still the ticket
 * policy's answer (`can(actor, 'attach' | 'link' | 'merge', ticket)`).
 */
registerPermissions({
  'tickets.attach': { roles: EVERYONE, scope: 'tickets:write' },
  'tickets.link': { roles: STAFF, scope: 'tickets:write' },
  'tickets.merge': { roles: STAFF, scope: 'tickets:write' },
  'tickets.broadcast': { roles: STAFF, scope: 'tickets:write' },
  'tickets.import': { roles: ['admin'], scope: 'admin' },
})
