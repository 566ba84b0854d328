import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import { SLA_PRIORITIES, type SlaPriority, type SlaTargets, type Weekday } from '../../../../../common/src/sla/sla.types'
import { createPolicy } from '../admin/policy-commands'
import { createCutoff } from '../cutoffs/cutoff-commands'
import { DEFAULT_CUTOFF_TEMPLATES } from '../cutoffs/cutoff-template'
import { MVNO_PRESET } from './mvno'
import type { SlaPreset, SlaPresetRow } from './preset.types'

/** The example sets an admin can load ("conjuntos de ejemplo"). */
export const EXAMPLE_SETS: Record<string, SlaPreset> = { mvno: MVNO_PRESET }

export interface ExampleSetResult { preset: string; categoriesCreated: number; policiesCreated: number; policiesKept: number; cutoffsCreated: number }

/** Finds a category by name under a parent (case-insensitive), or creates it with its path. */
async function ensureCategory(trx: Trx, parentId: string | null, name: string, extra: { description: string | null; priority: SlaPriority | null }): Promise<{ id: string; created: boolean }> {
  const found = (await sql<{ id: string }>`select id from categories
    where parent_id is not distinct from ${parentId}::uuid and lower(name) = lower(${name})`.execute(trx)).rows[0]
  if (found) return { id: found.id, created: false }
  const row = (await sql<{ id: string }>`insert into categories (parent_id, name, description, default_priority)
    values (${parentId}, ${name}, ${extra.description}, ${extra.priority}) returning id`.execute(trx)).rows[0]
  await sql`update categories c set path = coalesce((select p.path from categories p where p.id = c.parent_id), '{}') || c.id,
      depth = coalesce((select p.depth + 1 from categories p where p.id = c.parent_id), 0)
    where c.id = ${row.id}`.execute(trx)
  return { id: row.id, created: true }
}

/** What agents read on a row's category: the process, the example tickets and the table's targets. */
export function categoryDescription(row: SlaPresetRow): string {
  const lines = [`Proceso: ${row.process}`]
  if (row.examples.length) lines.push(`Ejemplos: ${row.examples.join('; ')}`)
  lines.push(`Respuesta: ${row.responseText}. Resolución: ${row.resolutionText}`)
  return lines.join('\n').slice(0, 1000)
}

/**
 * Loads an example set ("Operador móvil (MVNO)"): its categories (the table's categories, each
 * row's kind of ticket beneath, with process, example tickets and default priority) where missing,
 * one policy per row (by preset key; an existing one is kept as the admin left it), and the
 * rows' cut-offs. Safe to run again. Used by the admin screen and by `npm run demo`.
 */
export async function loadExampleSet(trx: Trx, preset: SlaPreset, now: Date): Promise<ExampleSetResult> {
  const result: ExampleSetResult = { preset: preset.id, categoriesCreated: 0, policiesCreated: 0, policiesKept: 0, cutoffsCreated: 0 }
  for (const row of preset.rows) {
    const parent = await ensureCategory(trx, null, row.category, { description: null, priority: null })
    const child = await ensureCategory(trx, parent.id, row.ticket.slice(0, 120), { description: categoryDescription(row), priority: row.priority })
    result.categoriesCreated += Number(parent.created) + Number(child.created)

    const key = `${row.id}-sla`
    if ((await sql`select 1 from sla_policies where preset_key = ${key}`.execute(trx)).rows.length) {
      result.policiesKept++
    } else {
      const targets: SlaTargets = { firstResponseMinutes: row.firstResponseMinutes, resolutionMinutes: row.resolutionMinutes }
      await createPolicy(trx, {
        name: `${row.category} — ${row.ticket}`.slice(0, 200),
        description: `${preset.name}. ${row.responseText} / ${row.resolutionText}`.slice(0, 2000),
        conditions: { categoryIds: [child.id] },
        targets: Object.fromEntries(SLA_PRIORITIES.map((p) => [p, targets])) as Record<SlaPriority, SlaTargets>,
        calendar: 'business', calendarId: null, pauseOnHold: false, resolutionStart: preset.resolutionStart, warningPercent: 75,
        escalations: [
          { on: 'warning', actions: [{ type: 'notify', recipients: ['assignee'] }] },
          { on: 'breach', actions: [{ type: 'notify', recipients: ['assignee', 'team_lead', 'supervisors'] }, { type: 'move', level: 2 }] },
        ],
      }, now, key)
      result.policiesCreated++
    }

    if (row.cutoffs) {
      const name = `Cortes — ${row.ticket}`.slice(0, 120)
      if (!(await sql`select 1 from sla_cutoffs where name = ${name}`.execute(trx)).rows.length) {
        await createCutoff(trx, {
          name, days: row.cutoffs.days as Weekday[], times: row.cutoffs.times, filter: { categoryId: [child.id] },
          action: 'public_update', templateEs: DEFAULT_CUTOFF_TEMPLATES.es, templateEn: DEFAULT_CUTOFF_TEMPLATES.en, remindAssignee: true,
        }, now)
        result.cutoffsCreated++
      }
    }
  }
  return result
}
