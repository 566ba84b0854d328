import { sql } from 'kysely'
import type { Executor } from '../db/database'
import { tickBatcher } from '../db/tick-batcher'
import type { Actor } from './actor'
import { sha256 } from './secrets'

/** The users columns an actor is made of (read with `userColumns`, alias `u`). */
export type UserRow = {
  id: string; role: Actor['role']; name: string; email: string | null; locale: string; timezone: string
  organization_id: string | null; org_manager: boolean; ticket_scope: Actor['ticketScope']; team_ids: string[] | null
}

export const userColumns = sql<UserRow>`u.id, u.role, u.name, u.email, u.locale, u.timezone, u.organization_id, u.org_manager, u.ticket_scope,
  (select coalesce(array_agg(tm.team_id::text), '{}') from team_members tm where tm.user_id = u.id) as team_ids`

/** An actor from its user row, with how it came (session, token, system). */
export function toActor(row: UserRow, extra: Partial<Actor>): Actor {
  return {
    id: row.id, role: row.role, name: row.name, email: row.email, locale: row.locale, timezone: row.timezone,
    organizationId: row.organization_id, orgManager: row.org_manager, ticketScope: row.ticket_scope,
    teamIds: row.team_ids ?? [], via: 'session', ...extra,
  }
}

type SessionRow = UserRow & { session_id: string; csrf_token: string; last_seen_at: Date }

/** Sessions of requests that arrive together are read in one statement (one loader per database). */
const sessionLoaders = new WeakMap<Executor, ReturnType<typeof tickBatcher<string, SessionRow | null>>>()

function sessionLoader(db: Executor) {
  let loader = sessionLoaders.get(db)
  if (!loader) {
    loader = tickBatcher(async (ids: readonly string[]) => {
      const res = await sql<SessionRow>`
        select ${userColumns}, s.id as session_id, s.csrf_token, s.last_seen_at
        from sessions s join users u on u.id = s.user_id
        where s.id = any(${ids}::text[]) and s.expires_at > now() and u.active`.execute(db)
      const byId = new Map(res.rows.map((r) => [r.session_id, r]))
      return ids.map((id) => byId.get(id) ?? null)
    })
    sessionLoaders.set(db, loader)
  }
  return loader
}

/** Resolves a session cookie to an actor (active user, unexpired session), sliding its expiry. */
export async function actorFromSession(db: Executor, cookieValue: string, sessionHours: number): Promise<Actor | null> {
  const id = sha256(cookieValue)
  const row = await sessionLoader(db).load(id)
  if (!row) return null
  if (Date.now() - new Date(row.last_seen_at).getTime() > 60_000) {
    await sql`update sessions set last_seen_at = now(), expires_at = now() + make_interval(hours => ${sessionHours}) where id = ${id}`.execute(db)
  }
  return toActor(row, { via: 'session', sessionId: id, csrfToken: row.csrf_token })
}

/** Resolves a Bearer API token; records its last use at most once a minute. */
export async function actorFromToken(db: Executor, token: string): Promise<Actor | null> {
  const hash = sha256(token)
  const res = await sql<UserRow & { token_id: string; scopes: string[]; last_used_at: Date | null }>`
    select ${userColumns}, t.id as token_id, t.scopes, t.last_used_at
    from api_tokens t join users u on u.id = t.user_id
    where t.token_hash = ${hash} and t.revoked_at is null and u.active`.execute(db)
  const row = res.rows[0]
  if (!row) return null
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
    await sql`update api_tokens set last_used_at = now() where id = ${row.token_id}`.execute(db)
  }
  return toActor(row, { via: 'token', tokenId: row.token_id, scopes: row.scopes })
}

/** Loads a user as an actor (for jobs acting on behalf of someone, tests). */
export async function actorForUser(db: Executor, userId: string): Promise<Actor | null> {
  const res = await sql<UserRow>`select ${userColumns} from users u where u.id = ${userId}`.execute(db)
  return res.rows[0] ? toActor(res.rows[0], { via: 'system' }) : null
}
