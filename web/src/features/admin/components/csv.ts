/** Parses CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF; comma or semicolon). */
export function parseCsv(text: string): string[][] {
  const delimiter = (text.split('\n')[0].match(/;/g)?.length ?? 0) > (text.split('\n')[0].match(/,/g)?.length ?? 0) ? ';' : ','
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++ } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === delimiter) { row.push(field); field = '' }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field); field = ''
      if (row.some((x) => x.trim() !== '')) rows.push(row)
      row = []
    } else field += c
  }
  row.push(field)
  if (row.some((x) => x.trim() !== '')) rows.push(row)
  return rows
}

/** Column names the import accepts, with Spanish aliases. */
const ALIASES: Record<string, string> = {
  organization: 'organization', organizacion: 'organization', 'organización': 'organization', empresa: 'organization',
  organizationdomains: 'organizationDomains', dominios: 'organizationDomains', tier: 'tier', nivel: 'tier',
  sharestickets: 'sharesTickets', comparte: 'sharesTickets', sitecode: 'siteCode', codigositio: 'siteCode', 'códigositio': 'siteCode', estacion: 'siteCode', 'estación': 'siteCode',
  sitename: 'siteName', nombrecorto: 'siteName', sitio: 'siteName', siteaddress: 'siteAddress', direccion: 'siteAddress', 'dirección': 'siteAddress',
  name: 'name', nombre: 'name', email: 'email', correo: 'email', phone: 'phone', telefono: 'phone', 'teléfono': 'phone', locale: 'locale', idioma: 'locale',
}

export function mapHeader(h: string): string | null {
  return ALIASES[h.trim().toLowerCase().replace(/[\s_-]+/g, '')] ?? null
}
