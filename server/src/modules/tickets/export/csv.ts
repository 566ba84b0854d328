/**
 * CSV writing per RFC 4180 (comma-separated, CRLF line ends, fields with a comma, quote, CR or LF
 * quoted and inner quotes doubled), guarded against spreadsheet formula injection. Pure.
 */

/** A UTF-8 byte order mark: Excel (Spanish included) then reads accents right. */
export const CSV_BOM = '\uFEFF'

// A text cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets
// (OWASP "CSV injection"); tab and CR start one too in some of them.
const FORMULA_START = /^[=+\-@\t\r]/

/** One cell: text is formula-guarded (a leading apostrophe) and quoted when needed; numbers as they are. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One record, CRLF-terminated. */
export function csvRow(cells: Array<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
        hourCycle: 'h23', timeZoneName: 'longOffset',
      })
    } catch {
      return formatterFor('UTC') // an unknown zone name: UTC rather than a failed export
    }
    formatters.set(timeZone, f)
  }
  return f
}

/** ISO-8601 with the offset of `timeZone` at that instant, e.g. 2026-03-02T09:15:00-06:00; '' for none. */
export function isoInZone(value: Date | string | null | undefined, timeZone: string): string {
  if (!value) return ''
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return ''
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(d).map((p) => [p.type, p.value]))
  // longOffset reads "GMT-06:00", or just "GMT" at UTC.
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '')
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`
}
