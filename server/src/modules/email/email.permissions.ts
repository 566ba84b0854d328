import { STAFF, registerPermissions } from '../../platform/auth/permissions'

/**
 * Route-level permissions of the email channel: admins configure mailboxes and templates and
 * watch the outbox; staff may open the original .eml of a ticket's mail (the ticket policy
 * still decides which tickets).
 */
registerPermissions({
  'email.manage': { roles: ['admin'], scope: 'admin' },
  'email.original': { roles: STAFF, scope: 'tickets:read' },
  'email.notification_prefs': { roles: STAFF, scope: 'profile' },
})
