import { sql } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import { ForbiddenError, ValidationError } from '../../../platform/http/errors'
import { isUuid } from '../../../platform/db/uuid'
import { KIND_EXPECTED } from '../tickets.messages'
import type { FieldDef } from './custom-field-defs'

const DATE = /^\d{4}-\d{2}-\d{2}$/
const MAX_LENGTH: Record<string, number> = { text: 1000, long_text: 20000 }

export interface CustomFieldChange { key: string; oldValue: unknown; newValue: unknown; internal: boolean }

const lbl = (def: FieldDef) => ({ labelEs: def.label_es, labelEn: def.label_en })
const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)
/** A required field is answered by any value; a required checkbox only by ticking it (an «acepto» box), as in the forms. */
const unanswered = (def: FieldDef, v: unknown) => isEmpty(v) || (def.kind === 'checkbox' && v !== true)

function kindError(def: FieldDef): never {
  const e = KIND_EXPECTED[def.kind]
  throw new ValidationError('tickets.cf.kind', { ...lbl(def), expectedEs: e.es, expectedEn: e.en },
    [{ field: `customFields.${def.key}`, rule: 'kind' }])
}

/** Checks one value against its field's kind; returns the value to store. */
async function normalise(db: Executor, def: FieldDef, value: unknown, organizationId: string | null): Promise<unknown> {
  const field = `customFields.${def.key}`
  switch (def.kind) {
    case 'text': case 'long_text': {
      if (typeof value !== 'string') kindError(def)
      const max = MAX_LENGTH[def.kind]
      if (value.length > max) throw new ValidationError('tickets.cf.too_long', { ...lbl(def), max }, [{ field, rule: 'maxLength' }])
      if (value.includes('\0')) throw new ValidationError('tickets.cf.storable_text', lbl(def), [{ field, rule: 'storableText' }])
      return value.trim()
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) kindError(def)
      return value
    case 'checkbox':
      if (typeof value !== 'boolean') kindError(def)
      return value
    case 'date': {
      if (typeof value !== 'string' || !DATE.test(value)) kindError(def)
      const d = new Date(`${value}T00:00:00Z`)
      if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) kindError(def)
      return value
    }
    case 'select': {
      if (typeof value !== 'string') kindError(def)
      if (!def.options.some((o) => o.value === value)) throw new ValidationError('tickets.cf.option', { value, ...lbl(def) }, [{ field, rule: 'option' }])
      return value
    }
    case 'multi_select': {
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) kindError(def)
      for (const v of value as string[]) {
        if (!def.options.some((o) => o.value === v)) throw new ValidationError('tickets.cf.option', { value: v, ...lbl(def) }, [{ field, rule: 'option' }])
      }
      return [...new Set(value as string[])]
    }
    case 'user': {
      if (typeof value !== 'string' || !isUuid(value)) kindError(def)
      const found = await sql`select 1 from users where id = ${value} and active`.execute(db)
      if (!found.rows.length) kindError(def)
      return value
    }
    case 'site': {
      if (typeof value !== 'string' || !isUuid(value)) kindError(def)
      const found = await sql`select 1 from sites where id = ${value} and (${organizationId}::uuid is null or organization_id = ${organizationId}::uuid)`.execute(db)
      if (!found.rows.length) kindError(def)
      return value
    }
  }
}

/**
 * Validates custom field values on every write: known keys for the ticket's type, the right kind,
 * options, editable by this actor (customers only customer-editable fields), required fields
 * present (`requireAll`: on create and when the ticket changes type; otherwise never cleared).
 * Returns the merged values and what changed.
 */
export async function validateCustomFields(db: Executor, args: {
  defs: FieldDef[]
  current: Record<string, unknown>
  changes: Record<string, unknown> | undefined
  actor: Actor
  requireAll: boolean
  organizationId: string | null
}): Promise<{ values: Record<string, unknown>; changes: CustomFieldChange[] }> {
  const { defs, actor } = args
  const byKey = new Map(defs.map((d) => [d.key, d]))
  const customer = actor.role === 'customer'
  const values: Record<string, unknown> = { ...args.current }
  const changes: CustomFieldChange[] = []
  for (const [key, raw] of Object.entries(args.changes ?? {})) {
    const def = byKey.get(key)
    if (!def || (customer && !def.customer_visible)) {
      throw new ValidationError('tickets.cf.unknown', { field: key }, [{ field: `customFields.${key}`, rule: 'unknown' }])
    }
    if (customer && !def.customer_editable) throw new ForbiddenError('tickets.cf.not_editable', { ...lbl(def) })
    const next = isEmpty(raw) ? undefined : await normalise(db, def, raw, args.organizationId)
    const old = values[key]
    if (JSON.stringify(old) === JSON.stringify(next)) continue
    if (next === undefined) delete values[key]
    else values[key] = next
    changes.push({ key, oldValue: old ?? null, newValue: next ?? null, internal: !def.customer_visible })
  }
  for (const def of defs) {
    if (!def.required || (customer && !def.customer_editable)) continue
    const touched = args.changes && key(args.changes, def.key)
    if ((args.requireAll || touched) && unanswered(def, values[def.key])) {
      const code = def.kind === 'checkbox' ? 'tickets.cf.required_checked' : 'tickets.cf.required'
      throw new ValidationError(code, { ...lbl(def) }, [{ field: `customFields.${def.key}`, rule: 'required' }])
    }
  }
  return { values, changes }
}

/**
 * The required fields a ticket's values leave empty: what a creator that cannot fill the form (mail
 * intake) left out, so the ticket waits for that information instead of being refused.
 */
export function missingRequired(defs: FieldDef[], values: Record<string, unknown>): FieldDef[] {
  return defs.filter((d) => d.required && unanswered(d, values[d.key]))
}

const key = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k)
