import { Type } from 'typebox'
import { StrictObject } from '../../../platform/http/schemas'
import { ValidationError } from '../../../platform/http/errors'
import { CsvError, parseCsv } from './csv'

/** Most rows one import may carry. */
export const MAX_IMPORT_ROWS = 50_000

/**
 * One row of an import in canonical form: an organization, a site of it, and/or a contact.
 * `n` is the row number the user sees: the spreadsheet row (header = 1) or the JSON index + 1.
 */
export interface ImportRow {
  n: number
  organization?: string
  organizationDomains?: string
  tier?: string
  sharesTickets?: string | boolean
  siteCode?: string
  siteName?: string
  siteAddress?: string
  name?: string
  email?: string
  phone?: string
  locale?: string
}
type Field = Exclude<keyof ImportRow, 'n'>

const Text = (max: number) => Type.Optional(Type.String({ maxLength: max }))
/** A JSON row: the same fields as the CSV columns, under their English names. */
export const JsonImportRow = StrictObject({
  organization: Text(200), organizationDomains: Text(2000), tier: Text(20), sharesTickets: Type.Optional(Type.Union([Type.Boolean(), Type.String({ maxLength: 10 })])),
  siteCode: Text(32), siteName: Text(200), siteAddress: Text(500), name: Text(200), email: Text(254), phone: Text(40), locale: Text(10),
})

/** Column titles accepted for each field (compared without case, accents or punctuation). */
export const COLUMN_ALIASES: Record<Field, string[]> = {
  organization: ['organizacion', 'organization', 'empresa', 'company'],
  organizationDomains: ['dominios', 'dominio', 'domains', 'domain', 'organization_domains'],
  tier: ['tier', 'nivel_cliente', 'vip'],
  sharesTickets: ['comparte_tickets', 'shares_tickets'],
  siteCode: ['codigo_sitio', 'sitio_codigo', 'site_code', 'estacion', 'codigo_estacion', 'no_estacion'],
  siteName: ['sitio', 'nombre_sitio', 'sitio_nombre', 'site', 'site_name', 'nombre_corto'],
  siteAddress: ['direccion', 'direccion_sitio', 'address', 'site_address'],
  name: ['nombre', 'contacto', 'nombre_contacto', 'name', 'contact', 'contact_name'],
  email: ['correo', 'correo_electronico', 'email', 'e_mail'],
  phone: ['telefono', 'tel', 'celular', 'phone', 'mobile'],
  locale: ['idioma', 'locale', 'language'],
}

const normalizeTitle = (title: string) =>
  title.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')

function fieldFor(title: string): Field | null {
  const t = normalizeTitle(title)
  for (const [field, aliases] of Object.entries(COLUMN_ALIASES) as Array<[Field, string[]]>) {
    if (aliases.includes(t) || normalizeTitle(field) === t) return field
  }
  return null
}

const bad = (key: string, params: Record<string, unknown> = {}) => new ValidationError(key, params, [{ field: 'body', rule: key }])

/** Reads CSV text (first record = column titles) into rows; a bad file is one 400 for the request. */
export function rowsFromCsv(text: string): ImportRow[] {
  let records: string[][]
  try {
    records = parseCsv(text)
  } catch (err) {
    if (err instanceof CsvError) throw bad('imports.csv_malformed', { line: err.line })
    throw err
  }
  const [header, ...data] = records
  if (!header || header.every((h) => !h.trim())) throw bad('imports.empty')
  const fields = header.map(fieldFor)
  const unknown = header.filter((h, i) => h.trim() && !fields[i])
  if (unknown.length > 0) {
    throw bad('imports.unknown_columns', { columns: unknown.join(', '), accepted: Object.values(COLUMN_ALIASES).map((a) => a[0]).join(', ') })
  }
  const rows: ImportRow[] = []
  data.forEach((record, index) => {
    if (record.every((v) => !v.trim())) return
    const row: ImportRow = { n: index + 2 }
    record.forEach((value, i) => {
      const field = fields[i]
      if (field && value.trim()) row[field] = value.trim()
    })
    rows.push(row)
  })
  if (rows.length === 0) throw bad('imports.empty')
  if (rows.length > MAX_IMPORT_ROWS) throw bad('imports.too_many_rows', { max: MAX_IMPORT_ROWS })
  return rows
}

/** Numbers JSON rows from 1. */
export function rowsFromJson(rows: Array<Omit<ImportRow, 'n'>>): ImportRow[] {
  if (rows.length === 0) throw bad('imports.empty')
  return rows.map((r, i) => ({ ...r, n: i + 1 }))
}
