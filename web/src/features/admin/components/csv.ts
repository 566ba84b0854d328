import { detectDelimiter } from '../../../../../common/src/csv'

/** One record of a CSV file and the line of the file it starts on (as a spreadsheet numbers its rows). */
export interface CsvRecord { line: number; fields: string[] }

/**
 * Parses CSV text (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF;
 * comma, semicolon or tab) into non-blank records, each with its spreadsheet row number: the first
 * record is row 1 and blank lines count, so row numbers match what Excel shows. A record holding a
 * quoted line break is one spreadsheet row, so it moves the count by one.
 */
export function parseCsv(input: string): CsvRecord[] {
  const text = input.replace(/^\uFEFF/, '')
  const delimiter = detectDelimiter(text)
  const records: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  let quoted = false
  let line = 1
  const end = () => {
    fields.push(field)
    if (fields.some((x) => x.trim() !== '')) records.push({ line, fields })
    fields = []
    field = ''
    line++
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++ } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === delimiter) { fields.push(field); field = '' }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      end()
    } else field += c
  }
  if (field !== '' || fields.length > 0) end()
  return records
}

/** Column titles the import accepts (compared without case, accents, spaces or punctuation), as the server's. */
const ALIASES: Record<string, string[]> = {
  organization: ['organization', 'organizacion', 'empresa', 'company'],
  organizationDomains: ['organizationdomains', 'dominios', 'dominio', 'domains', 'domain'],
  tier: ['tier', 'nivel', 'nivelcliente', 'vip'],
  sharesTickets: ['sharestickets', 'comparte', 'compartetickets'],
  siteCode: ['sitecode', 'codigositio', 'sitiocodigo', 'estacion', 'codigoestacion', 'noestacion'],
  siteName: ['sitename', 'sitio', 'nombresitio', 'sitionombre', 'site', 'nombrecorto'],
  siteAddress: ['siteaddress', 'direccion', 'direccionsitio', 'address'],
  name: ['name', 'nombre', 'contacto', 'nombrecontacto', 'contact', 'contactname'],
  email: ['email', 'correo', 'correoelectronico'],
  phone: ['phone', 'telefono', 'tel', 'celular', 'mobile'],
  locale: ['locale', 'idioma', 'language'],
}
const BY_ALIAS = new Map(Object.entries(ALIASES).flatMap(([field, names]) => names.map((n) => [n, field] as const)))

/** The import field a column title stands for («Organización», «correo_electronico», «Site code»…), or null. */
export function mapHeader(h: string): string | null {
  return BY_ALIAS.get(h.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '')) ?? null
}
