import { sql } from 'kysely'
import { Type } from 'typebox'
import type { Executor } from '../../../platform/db/database'
import { NotFoundError } from '../../../platform/http/errors'
import { Uuid } from '../../../platform/http/schemas'
import { Nullable, RoleSchema, Timestamp, iso } from '../accounts.schemas'

const Member = Type.Object({ id: Uuid, name: Type.String(), email: Nullable(Type.String()), role: RoleSchema, active: Type.Boolean() })

/** A team with its support level, lead and members. */
export const Team = Type.Object({
  id: Uuid,
  name: Type.String(),
  level: Type.Integer(),
  leadUserId: Nullable(Uuid),
  members: Type.Array(Member),
  createdAt: Timestamp,
})

interface TeamRow { id: string; name: string; level: number; lead_user_id: string | null; created_at: Date }
interface MemberRow { team_id: string; id: string; name: string; email: string | null; role: 'agent' | 'supervisor' | 'admin'; active: boolean }

async function present(db: Executor, teams: TeamRow[]) {
  const ids = teams.map((t) => t.id)
  const members = ids.length === 0 ? [] : (await sql<MemberRow>`
    select tm.team_id::text as team_id, u.id, u.name, u.email, u.role, u.active
    from team_members tm join users u on u.id = tm.user_id
    where tm.team_id = any(${ids}::uuid[]) order by lower(u.name), u.id`.execute(db)).rows
  return teams.map((t) => ({
    id: t.id, name: t.name, level: t.level, leadUserId: t.lead_user_id, createdAt: iso(t.created_at)!,
    members: members.filter((m) => m.team_id === t.id).map(({ team_id: _t, ...m }) => m),
  }))
}

/** All teams, by level then name (a help desk has a handful). */
export async function listTeams(db: Executor) {
  return present(db, (await sql<TeamRow>`select * from teams order by level, lower(name)`.execute(db)).rows)
}

export async function findTeam(db: Executor, id: string) {
  const row = (await sql<TeamRow>`select * from teams where id = ${id}`.execute(db)).rows[0]
  if (!row) throw new NotFoundError('teams.not_found')
  return (await present(db, [row]))[0]
}
