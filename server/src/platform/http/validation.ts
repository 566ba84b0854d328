import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'
import { t } from '../i18n/messages'
import type { Lang } from '../i18n/locale'

// Bodies are validated strictly (wrong types are errors); query strings, params and headers are
// text on the wire, so they are coerced. Unknown fields are rejected, never silently dropped.
const strict = withTextRules(new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes: false, strict: false }))
const coercing = withTextRules(new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes: 'array', strict: false }))

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  return compileValidator(schema, httpPart === 'body' ? 'body' : 'query') as ReturnType<FastifySchemaCompiler<object>>
}

/**
 * A validator with a route's rules, for data checked outside a route schema (an import's rows,
 * a saved view's filters): a body's strict ones, or a query's with text coerced to lists.
 */
export function compileValidator<T>(schema: unknown, part: 'body' | 'query'): ValidateFunction<T> {
  return (part === 'body' ? strict : coercing).compile<T>(withStorableText(schema) as object)
}

/**
 * An Ajv instance with the formats and the `storableText` keyword. PostgreSQL cannot store the
 * NUL character (U+0000) in text, so a string holding it is refused where it comes in, with its
 * field's name, instead of failing in the database. `storableJson` says the same of free-form
 * JSON (jsonb cannot hold it either), in any string or key within.
 */
function withTextRules(ajv: Ajv): Ajv {
  ajv.addKeyword({ keyword: 'storableText', type: 'string', schemaType: 'boolean', errors: false, validate: (on: boolean, data: string) => !on || !data.includes('\0') })
  ajv.addKeyword({ keyword: 'notBlank', type: 'string', schemaType: 'boolean', errors: false, validate: (on: boolean, data: string) => !on || data.trim() !== '' })
  ajv.addKeyword({ keyword: 'storableJson', schemaType: 'boolean', errors: false, validate: (on: boolean, data: unknown) => !on || !holdsNul(data) })
  return addFormats(ajv)
}

function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0')
  if (Array.isArray(value)) return value.some(holdsNul)
  if (isRecord(value)) return Object.entries(value).some(([k, v]) => k.includes('\0') || holdsNul(v))
  return false
}

/** Turns Ajv errors into one readable sentence in the caller's language, plus per-field details. */
export function describeValidation(errors: ErrorObject[], part: string, lang: Lang) {
  // A union of constants fails once per option: name them all ("es, en"), not only the first.
  const constants = new Map<string, string[]>()
  for (const e of errors) {
    if (e.keyword === 'const') constants.set(e.instancePath, [...(constants.get(e.instancePath) ?? []), String((e.params as { allowedValue: unknown }).allowedValue)])
  }
  const details = errors.map((e) => {
    const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.')
    let field = base || (part === 'body' ? t(lang, 'validation.body') : part)
    const p = e.params as Record<string, unknown>
    let key = `validation.${e.keyword}`
    const params: Record<string, unknown> = { field }
    switch (e.keyword) {
      case 'required':
        field = base ? `${base}.${String(p.missingProperty)}` : String(p.missingProperty)
        params.field = field
        break
      case 'additionalProperties':
        key = 'validation.additional'
        field = base ? `${base}.${String(p.additionalProperty)}` : String(p.additionalProperty)
        params.field = field
        break
      case 'type': params.type = p.type; break
      case 'enum': params.values = (p.allowedValues as unknown[]).join(', '); break
      case 'const': key = 'validation.enum'; params.values = (constants.get(e.instancePath) ?? [String(p.allowedValue)]).join(', '); break
      case 'minLength': case 'maxLength': case 'minItems': case 'maxItems': params.limit = p.limit; break
      case 'minimum': case 'maximum': params.limit = p.limit; break
      case 'format': params.format = p.format; break
      case 'pattern': break
      case 'storableText': case 'storableJson': key = 'validation.storable_text'; break
      case 'notBlank': key = 'validation.not_blank'; break
      default: key = 'validation.other'
    }
    return { field, rule: e.keyword, message: t(lang, key, params) }
  })
  // anyOf/oneOf produce noise from every branch; keep the first message per field.
  const seen = new Set<string>()
  const unique = details.filter((d) => (seen.has(d.field + d.rule) ? false : (seen.add(d.field + d.rule), true)))
  return { summary: unique.map((d) => d.message).slice(0, 5).join('; '), details: unique }
}

/** Keywords whose values are data, not schemas; and those whose values map names to schemas. */
const LITERALS = new Set(['enum', 'const', 'default', 'examples', 'required'])
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'])

/**
 * A copy of `schema` in which every string schema also has `storableText`, and every string that
 * must not be empty `notBlank` (the route's own schema is left as it is, for OpenAPI).
 */
export function withStorableText<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(withStorableText) as T
  if (!isRecord(schema)) return schema
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(schema)) {
    if (LITERALS.has(k)) out[k] = v
    else if (SCHEMA_MAPS.has(k) && isRecord(v)) out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, withStorableText(s)]))
    else out[k] = withStorableText(v)
  }
  const types = Array.isArray(out.type) ? out.type : [out.type]
  if (types.includes('string') && out.enum === undefined && out.const === undefined) {
    out.storableText = true
    // Text that must not be empty must not be only spaces either: it is trimmed before it is stored.
    if (typeof out.minLength === 'number' && out.minLength >= 1 && out.format === undefined) out.notBlank = true
  }
  return out as T
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}
