import { sql } from 'kysely'
import type { Actor } from '../auth/actor'
import { toActor, userColumns, type UserRow } from '../auth/load-actor'
import type { Executor } from '../db/database'
import { arrayParam } from '../db/plan-cache'

type Row = UserRow & { session_id: string | null; csrf_token: string | null; token_id: string | null; scopes: string[] | null }

/** The sessions and API tokens behind open streams, each answered with its current actor. */
export interface StreamActors {
  sessions: Map<string, Actor>
  tokens: Map<string, Actor>
}

/**
 * Re-reads, in one statement, the actor behind every given session (sessions.id) and API token
 * (api_tokens.id): the same rule as a request's authentication (unexpired session or unrevoked
 * token, active user) and the same fields (role, teams, ticket scope, organization). A session or
 * token missing from the answer has ended. Unlike a request it does not slide the session's expiry:
 * an open stream alone does not keep a session alive.
 */
export async function loadStreamActors(db: Executor, ids: { sessionIds: readonly string[]; tokenIds: readonly string[] }): Promise<StreamActors> {
  const found: StreamActors = { sessions: new Map(), tokens: new Map() }
  if (ids.sessionIds.length === 0 && ids.tokenIds.length === 0) return found
  const res = await sql<Row>`
    with access as (
      select s.user_id, s.id as session_id, s.csrf_token, null::text as token_id, null::text[] as scopes
      from sessions s where s.id = any(${arrayParam(ids.sessionIds, 'text')}) and s.expires_at > now()
      union all
      select t.user_id, null, null, t.id::text, t.scopes
      from api_tokens t where t.id = any(${arrayParam(ids.tokenIds, 'uuid')}) and t.revoked_at is null)
    select ${userColumns}, a.session_id, a.csrf_token, a.token_id, a.scopes
    from access a join users u on u.id = a.user_id
    where u.active`.execute(db)
  for (const r of res.rows) {
    const actor = toActor(r, { via: r.token_id ? 'token' : 'session' })
    if (r.session_id) found.sessions.set(r.session_id, { ...actor, sessionId: r.session_id, csrfToken: r.csrf_token ?? undefined })
    if (r.token_id) found.tokens.set(r.token_id, { ...actor, tokenId: r.token_id, scopes: r.scopes ?? [] })
  }
  return found
}
