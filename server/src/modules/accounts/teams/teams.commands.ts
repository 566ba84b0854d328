import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import type { Actor } from '../../../platform/auth/actor'
import { ConflictError, NotFoundError, ValidationError } from '../../../platform/http/errors'
import { recordAudit } from '../../../platform/audit/audit'
import { isForeignKeyViolation, isUniqueViolation } from '../account-rules'
import { notifyAccessChanged } from '../../../platform/realtime/realtime'

export interface TeamInput { name?: string; level?: number; leadUserId?: string | null }
interface Ctx { actor: Actor; ip: string | null }

/** 400 unless every id is an active staff user (teams hold agents, supervisors and admins). */
async function assertStaff(trx: Trx, userIds: string[], field: string) {
  if (userIds.length === 0) return
  const ok = (await sql<{ id: string }>`select id::text as id from users where id = any(${userIds}::uuid[]) and role <> 'customer' and active`.execute(trx)).rows
  const bad = userIds.filter((id) => !ok.some((r) => r.id === id))
  if (bad.length > 0) throw new ValidationError('teams.member_not_staff', { ids: bad.join(', ') }, [{ field, rule: 'staff' }])
}

async function uniqueName<T>(fn: () => Promise<T>, name: string | undefined): Promise<T> {
  try {
    return await fn()
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError('team_name_taken', 'teams.name_taken', { name })
    throw err
  }
}

/** Creates a team; its lead becomes a member. Audits `team.created`. */
export async function createTeam(trx: Trx, c: Ctx, input: Required<Pick<TeamInput, 'name'>> & TeamInput): Promise<string> {
  if (input.leadUserId) await assertStaff(trx, [input.leadUserId], 'leadUserId')
  const id = await uniqueName(async () => (await sql<{ id: string }>`insert into teams (name, level, lead_user_id)
    values (${input.name.trim()}, ${input.level ?? 1}, ${input.leadUserId ?? null}) returning id`.execute(trx)).rows[0].id, input.name)
  if (input.leadUserId) await sql`insert into team_members (team_id, user_id) values (${id}, ${input.leadUserId})`.execute(trx)
  await recordAudit(trx, { actorId: c.actor.id, action: 'team.created', targetType: 'team', targetId: id, ip: c.ip, details: { name: input.name, level: input.level ?? 1 } })
  return id
}

/** Renames, re-levels or changes the lead (who becomes a member). Audits `team.updated`. */
export async function updateTeam(trx: Trx, c: Ctx, id: string, input: TeamInput) {
  const exists = await sql`select 1 from teams where id = ${id} for update`.execute(trx)
  if (exists.rows.length === 0) throw new NotFoundError('teams.not_found')
  if (input.leadUserId) await assertStaff(trx, [input.leadUserId], 'leadUserId')
  await uniqueName(() => sql`update teams set name = coalesce(${input.name?.trim() ?? null}, name), level = coalesce(${input.level ?? null}, level),
      lead_user_id = ${input.leadUserId === undefined ? sql`lead_user_id` : input.leadUserId} where id = ${id}`.execute(trx), input.name)
  if (input.leadUserId) await sql`insert into team_members (team_id, user_id) values (${id}, ${input.leadUserId}) on conflict do nothing`.execute(trx)
  await recordAudit(trx, { actorId: c.actor.id, action: 'team.updated', targetType: 'team', targetId: id, ip: c.ip, details: { fields: Object.keys(input).sort() } })
}

/** Deletes a team no ticket or rule still points at (else 409). Audits `team.deleted`. */
export async function deleteTeam(trx: Trx, c: Ctx, id: string) {
  const row = (await sql<{ name: string }>`select name from teams where id = ${id} for update`.execute(trx)).rows[0]
  if (!row) throw new NotFoundError('teams.not_found')
  try {
    await sql`savepoint delete_team`.execute(trx)
    await sql`delete from teams where id = ${id}`.execute(trx)
    await sql`release savepoint delete_team`.execute(trx)
  } catch (err) {
    if (!isForeignKeyViolation(err)) throw err
    await sql`rollback to savepoint delete_team`.execute(trx)
    throw new ConflictError('team_in_use', 'teams.in_use', { name: row.name })
  }
  await recordAudit(trx, { actorId: c.actor.id, action: 'team.deleted', targetType: 'team', targetId: id, ip: c.ip, details: { name: row.name } })
}

/** Replaces the members (active staff only); the lead stays a member. Audits `team.members_changed`. */
export async function setTeamMembers(trx: Trx, c: Ctx, id: string, userIds: string[]) {
  const team = (await sql<{ lead_user_id: string | null }>`select lead_user_id from teams where id = ${id} for update`.execute(trx)).rows[0]
  if (!team) throw new NotFoundError('teams.not_found')
  const wanted = [...new Set(userIds)]
  if (team.lead_user_id && !wanted.includes(team.lead_user_id)) {
    throw new ValidationError('teams.lead_must_stay', {}, [{ field: 'userIds', rule: 'lead' }])
  }
  const before = (await sql<{ user_id: string }>`select user_id::text as user_id from team_members where team_id = ${id}`.execute(trx)).rows.map((r) => r.user_id)
  // Only new members must be active staff: one deactivated since may stay until removed (else no change to the team could be saved).
  await assertStaff(trx, wanted.filter((u) => !before.includes(u)), 'userIds')
  await sql`delete from team_members where team_id = ${id} and not (user_id = any(${wanted}::uuid[]))`.execute(trx)
  for (const userId of wanted) await sql`insert into team_members (team_id, user_id) values (${id}, ${userId}) on conflict do nothing`.execute(trx)
  const added = wanted.filter((u) => !before.includes(u))
  const removed = before.filter((u) => !wanted.includes(u))
  if (added.length + removed.length > 0) {
    await notifyAccessChanged(trx)
    await recordAudit(trx, { actorId: c.actor.id, action: 'team.members_changed', targetType: 'team', targetId: id, ip: c.ip, details: { added, removed } })
  }
}
