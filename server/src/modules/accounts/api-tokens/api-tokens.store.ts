import { sql } from 'kysely'
import { Type } from 'typebox'
import type { Executor, Trx } from '../../../platform/db/database'
import type { Actor } from '../../../platform/auth/actor'
import { TOKEN_SCOPES } from '../../../platform/auth/permissions'
import { randomSecret, sha256 } from '../../../platform/auth/secrets'
import { NotFoundError } from '../../../platform/http/errors'
import { Uuid } from '../../../platform/http/schemas'
import { recordAudit } from '../../../platform/audit/audit'
import { Nullable, Timestamp, iso } from '../accounts.schemas'
import { notifyAccessChanged } from '../../../platform/realtime/realtime'

export const TOKEN_PREFIX = 'atd_'
export const Scope = Type.Union(TOKEN_SCOPES.map((s) => Type.Literal(s)))

/** An API token as listed: never the secret, only its first characters to recognise it. */
export const ApiToken = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(Type.String()),
  user: Type.Object({ id: Uuid, name: Type.String(), email: Nullable(Type.String()) }),
  createdAt: Timestamp,
  lastUsedAt: Nullable(Timestamp),
  revokedAt: Nullable(Timestamp),
})

interface TokenRow {
  id: string; name: string; prefix: string; scopes: string[]; created_at: Date; last_used_at: Date | null; revoked_at: Date | null
  user_id: string; user_name: string; user_email: string | null
}

const select = sql`select t.id, t.name, t.prefix, t.scopes, t.created_at, t.last_used_at, t.revoked_at,
  u.id as user_id, u.name as user_name, u.email as user_email from api_tokens t join users u on u.id = t.user_id`

const present = (r: TokenRow) => ({
  id: r.id, name: r.name, prefix: r.prefix, scopes: r.scopes, user: { id: r.user_id, name: r.user_name, email: r.user_email },
  createdAt: iso(r.created_at)!, lastUsedAt: iso(r.last_used_at), revokedAt: iso(r.revoked_at),
})

/** Admins see every token, others only their own: one rule for listing and for revoking. */
const visibleTo = (actor: Actor) => (actor.role === 'admin' ? sql`true` : sql`t.user_id = ${actor.id}`)

export async function listTokens(db: Executor, actor: Actor, f: { userId?: string; includeRevoked?: boolean }) {
  const rows = (await sql<TokenRow>`${select} where ${visibleTo(actor)}
    and (${f.userId ?? null}::uuid is null or t.user_id = ${f.userId ?? null}::uuid)
    and (${f.includeRevoked ?? false} or t.revoked_at is null)
    order by t.created_at desc, t.id limit 500`.execute(db)).rows
  return rows.map(present)
}

export async function findToken(db: Executor, actor: Actor, id: string) {
  const row = (await sql<TokenRow>`${select} where t.id = ${id} and ${visibleTo(actor)}`.execute(db)).rows[0]
  if (!row) throw new NotFoundError('api_tokens.not_found')
  return present(row)
}

/**
 * Creates a token for the actor: `atd_` + 43 random URL-safe characters, stored only as its
 * SHA-256. The secret is returned once. Audits `api_token.created`.
 */
export async function createToken(trx: Trx, actor: Actor, input: { name: string; scopes: string[] }, ip: string | null) {
  const token = TOKEN_PREFIX + randomSecret(32)
  const scopes = [...new Set(input.scopes)]
  const id = (await sql<{ id: string }>`insert into api_tokens (user_id, name, token_hash, prefix, scopes)
    values (${actor.id}, ${input.name.trim()}, ${sha256(token)}, ${token.slice(0, TOKEN_PREFIX.length + 8)}, ${scopes}::text[])
    returning id`.execute(trx)).rows[0].id
  await recordAudit(trx, { actorId: actor.id, action: 'api_token.created', targetType: 'api_token', targetId: id, ip, details: { name: input.name, scopes } })
  return { id, token }
}

/** Revokes a visible token (404 otherwise); revoking twice changes nothing. Audits `api_token.revoked`. */
export async function revokeToken(trx: Trx, actor: Actor, id: string, now: Date, ip: string | null) {
  const token = await findToken(trx, actor, id)
  if (token.revokedAt) return
  await sql`update api_tokens set revoked_at = ${now} where id = ${id}`.execute(trx)
  await notifyAccessChanged(trx)
  await recordAudit(trx, { actorId: actor.id, action: 'api_token.revoked', targetType: 'api_token', targetId: id, ip, details: { name: token.name, owner: token.user.id } })
}
