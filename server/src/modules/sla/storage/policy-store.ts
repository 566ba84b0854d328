import { sql, type Selectable } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import type { SlaPolicy } from '../../../../../common/src/sla/sla-policy.types'
import type { SlaPoliciesTable } from '../sla.tables'

export type PolicyRow = Selectable<SlaPoliciesTable>

/** A stored policy as the clock and the API see it. */
export interface StoredPolicy extends SlaPolicy {
  position: number
  active: boolean
  description: string | null
  presetKey: string | null
  createdAt: Date
  updatedAt: Date
}

export function policyOf(row: PolicyRow): StoredPolicy {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    position: row.position,
    active: row.active,
    conditions: row.conditions ?? {},
    targets: row.targets,
    calendar: row.calendar_mode,
    calendarId: row.calendar_id,
    pauseOnHold: row.pause_on_hold,
    resolutionStart: row.resolution_start,
    warningPercent: row.warning_percent,
    escalations: row.escalations ?? [],
    presetKey: row.preset_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** Every stored policy in evaluation order (position, then age). */
export async function listPolicies(db: Executor, opts: { activeOnly?: boolean } = {}): Promise<StoredPolicy[]> {
  const rows = (await sql<PolicyRow>`select * from sla_policies ${opts.activeOnly ? sql`where active` : sql``}
    order by position, created_at, id`.execute(db)).rows
  return rows.map(policyOf)
}

/** One policy by id, or by the preset key it was loaded from (e.g. `mvno-payment-adjustments-sla`). */
export async function findPolicy(db: Executor, idOrKey: string): Promise<StoredPolicy | null> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrKey)
  const row = (await sql<PolicyRow>`select * from sla_policies where ${isUuid ? sql`id = ${idOrKey}::uuid` : sql`preset_key = ${idOrKey}`}`.execute(db)).rows[0]
  return row ? policyOf(row) : null
}
