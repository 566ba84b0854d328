import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import { ValidationError } from '../../../platform/http/errors'

// Lookups by name and email for rows coming from another help desk; each throws a row error.

/** A category by its names from the root, "Administración › Cobranza" (› > or / between levels), case- and accent-insensitive. */
export async function categoryByPath(db: Executor, path: string): Promise<string> {
  const names = path.split(/\s*[›>/]\s*/).map((n) => n.trim()).filter(Boolean)
  let parent: string | null = null
  for (const name of names) {
    const row: { id: string } | undefined = (await sql<{ id: string }>`select id from categories
      where parent_id is not distinct from ${parent}::uuid and f_unaccent(lower(name)) = f_unaccent(lower(${name})) and active`.execute(db)).rows[0]
    if (!row) throw new ValidationError('import.unknown_category', { path }, [{ field: 'category', rule: 'exists' }], 'unknown_category')
    parent = row.id
  }
  if (!parent) throw new ValidationError('import.unknown_category', { path }, [{ field: 'category', rule: 'exists' }], 'unknown_category')
  return parent
}

/** Any user with this email (staff who left may be inactive: their past work is still theirs). */
export async function userByEmail(db: Executor, email: string): Promise<{ id: string; role: string; active: boolean } | null> {
  return (await sql<{ id: string; role: string; active: boolean }>`select id, role, active from users where lower(email) = ${email.toLowerCase()}`.execute(db)).rows[0] ?? null
}

export async function staffByEmail(db: Executor, email: string, field: string, opts: { active?: boolean } = {}): Promise<string> {
  const user = await userByEmail(db, email)
  if (!user || user.role === 'customer') throw new ValidationError('import.unknown_user', { email }, [{ field, rule: 'staff' }], 'unknown_user')
  if (opts.active && !user.active) throw new ValidationError('import.inactive_assignee', { email }, [{ field, rule: 'active' }], 'inactive_assignee')
  return user.id
}

export async function teamByName(db: Executor, name: string): Promise<string> {
  const row = (await sql<{ id: string }>`select id from teams where lower(name) = ${name.toLowerCase()}`.execute(db)).rows[0]
  if (!row) throw new ValidationError('import.unknown_team', { name }, [{ field: 'team', rule: 'exists' }], 'unknown_team')
  return row.id
}

export async function organizationByName(db: Executor, name: string): Promise<string> {
  const row = (await sql<{ id: string }>`select id from organizations where lower(name) = ${name.toLowerCase()}`.execute(db)).rows[0]
  if (!row) throw new ValidationError('import.unknown_organization', { name }, [{ field: 'organization', rule: 'exists' }], 'unknown_organization')
  return row.id
}
