import { sql } from 'kysely'
import type { Executor } from '../db/database'

/** Appends a security-relevant event to the audit log (append-only; a trigger forbids edits). */
export async function recordAudit(db: Executor, entry: {
  actorId: string | null
  action: string
  targetType?: string
  targetId?: string
  ip?: string | null
  details?: Record<string, unknown>
}) {
  await sql`insert into audit_log (actor_id, action, target_type, target_id, ip, details)
    values (${entry.actorId}, ${entry.action}, ${entry.targetType ?? null}, ${entry.targetId ?? null}, ${entry.ip ?? null},
            ${JSON.stringify(entry.details ?? {})}::jsonb)`.execute(db)
}
