import { detectDelimiter } from '../../../../../common/src/csv'

/**
 * A small RFC 4180 reader for spreadsheet exports: quoted fields with "" escapes and line breaks,
 * CRLF or LF, a UTF-8 byte-order mark, and comma or semicolon separators (Excel in Spanish
 * locales writes semicolons). Pure; no IO.
 */
export class CsvError extends Error {
  constructor(readonly line: number) {
    super(`unterminated quoted field starting on line ${line}`)
  }
}

/** Parses CSV text into records of fields. Throws CsvError on an unterminated quote. */
export function parseCsv(input: string, delimiter = detectDelimiter(input)): string[][] {
  const text = input.replace(/^\uFEFF/, '')
  const records: string[][] = []
  let record: string[] = []
  let field = ''
  let i = 0
  let line = 1
  while (i < text.length) {
    const ch = text[i]
    if (ch === '"' && field === '') {
      const start = line
      i++
      for (;;) {
        if (i >= text.length) throw new CsvError(start)
        if (text[i] === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue }
          i++
          break
        }
        if (text[i] === '\n') line++
        field += text[i++]
      }
      continue
    }
    if (ch === delimiter) { record.push(field); field = ''; i++; continue }
    if (ch === '\r' || ch === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1
      line++
      continue
    }
    field += ch
    i++
  }
  if (field !== '' || record.length > 0) {
    record.push(field)
    records.push(record)
  }
  return records
}
