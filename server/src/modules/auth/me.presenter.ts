import { hasPermission, type Actor } from '../../platform/auth/actor'
import { allPermissions } from '../../platform/auth/permissions'

/** The actor as the web app needs it, with the permissions it holds (the UI does not re-derive them). */
export function presentMe(actor: Actor) {
  return {
    id: actor.id,
    email: actor.email,
    name: actor.name,
    role: actor.role,
    locale: actor.locale,
    timezone: actor.timezone,
    organizationId: actor.organizationId,
    orgManager: actor.orgManager,
    teamIds: actor.teamIds,
    permissions: Object.keys(allPermissions()).filter((p) => hasPermission(actor, p)).sort(),
  }
}
