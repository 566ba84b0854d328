import type { SlaPolicy } from '../../../../../common/src/sla/sla-policy.types'
import { SLA_PRIORITIES, type SlaPriority, type SlaTargets } from '../../../../../common/src/sla/sla.types'
import type { SlaPreset } from './preset.types'

/** A category the preset needs: the table's categories, each row's ticket kind beneath it. */
export interface PresetCategory {
  id: string
  name: string
  parentId: string | null
  /** Priority a new ticket in this category starts with (rows only). */
  defaultPriority: SlaPriority | null
  /** The row's process text and example tickets, shown to agents (rows only). */
  process: string | null
  examples: string[]
}

const slug = (text: string) =>
  text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')

/** Id of the parent category a row belongs to. */
export const presetCategoryId = (preset: SlaPreset, category: string) => `${preset.id}-cat-${slug(category)}`

/** The category tree of a preset: one parent per distinct category, one sub-category per row. */
export function presetCategories(preset: SlaPreset): PresetCategory[] {
  const parents = new Map<string, PresetCategory>()
  const rows: PresetCategory[] = []
  for (const row of preset.rows) {
    const parentId = presetCategoryId(preset, row.category)
    if (!parents.has(parentId)) {
      parents.set(parentId, { id: parentId, name: row.category, parentId: null, defaultPriority: null, process: null, examples: [] })
    }
    rows.push({ id: row.id, name: row.ticket, parentId, defaultPriority: row.priority, process: row.process, examples: row.examples })
  }
  return [...parents.values(), ...rows]
}

/**
 * One ordered policy per row, matching the row's sub-category. The table gives one pair of
 * targets per row whatever the priority (its priority column is the row's default priority), so
 * every priority gets the row's targets and a re-prioritised ticket keeps its row's SLA.
 */
export function presetPolicies(preset: SlaPreset): SlaPolicy[] {
  return preset.rows.map((row) => {
    const targets: SlaTargets = { firstResponseMinutes: row.firstResponseMinutes, resolutionMinutes: row.resolutionMinutes }
    return {
      id: `${row.id}-sla`,
      name: `${row.category} — ${row.ticket}`,
      conditions: { categoryIds: [row.id] },
      targets: Object.fromEntries(SLA_PRIORITIES.map((p) => [p, targets])) as Record<SlaPriority, SlaTargets>,
      calendar: 'business',
      calendarId: preset.calendarId,
      pauseOnHold: false,
      resolutionStart: preset.resolutionStart,
      warningPercent: 75,
    }
  })
}
