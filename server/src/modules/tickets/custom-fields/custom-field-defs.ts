import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import type { CustomFieldKind } from '../../../../../common/src/tickets/tickets.types'
import type { CustomFieldOption } from '../tickets.tables'

/** A custom field definition as validation and presentation use it. */
export interface FieldDef {
  id: string
  key: string
  label_es: string
  label_en: string
  kind: CustomFieldKind
  options: CustomFieldOption[]
  type_ids: string[]
  required: boolean
  customer_visible: boolean
  customer_editable: boolean
  position: number
  active: boolean
}

/** The active fields that apply to a ticket type (fields with no types apply to all), in form order. */
export async function fieldsForType(db: Executor, typeId: string): Promise<FieldDef[]> {
  const res = await sql<FieldDef>`select id, key, label_es, label_en, kind, options, type_ids, required, customer_visible,
      customer_editable, position, active
    from custom_fields where active and (cardinality(type_ids) = 0 or ${typeId}::uuid = any(type_ids))
    order by position, key`.execute(db)
  return res.rows
}

/** Every field definition by key (for filters and presenting stored values). */
export async function allFieldsByKey(db: Executor): Promise<Map<string, FieldDef>> {
  const res = await sql<FieldDef>`select id, key, label_es, label_en, kind, options, type_ids, required, customer_visible,
      customer_editable, position, active from custom_fields`.execute(db)
  return new Map(res.rows.map((f) => [f.key, f]))
}
