import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { CsvError, parseCsv } from './csv'
import { decodeCsvBytes, detectDelimiter } from '../../../../../common/src/csv'

describe('parseCsv', () => {
  it('reads quoted fields with separators, escaped quotes and line breaks', () => {
    const rows = parseCsv('nombre,direccion\r\n"Pérez, Ana","Av. Juárez 10\nCol. Centro"\r\n"Dice ""hola""",x\n')
    assert.deepEqual(rows, [['nombre', 'direccion'], ['Pérez, Ana', 'Av. Juárez 10\nCol. Centro'], ['Dice "hola"', 'x']])
  })

  it('detects semicolons (Excel in Spanish) and tabs, and drops a BOM', () => {
    assert.equal(detectDelimiter('a;b;c\n1,5;2;3'), ';')
    assert.equal(detectDelimiter('a\tb\n'), '\t')
    assert.deepEqual(parseCsv('\uFEFFcorreo;nombre\na@b.mx;"Ana; Luis"'), [['correo', 'nombre'], ['a@b.mx', 'Ana; Luis']])
  })

  it('keeps empty fields and a last line without a newline', () => {
    assert.deepEqual(parseCsv('a,,c\n,,'), [['a', '', 'c'], ['', '', '']])
  })

  it('reports the line of an unterminated quote', () => {
    assert.throws(() => parseCsv('a,b\n1,2\n"sin cerrar,3\n4,5'), (err: unknown) => err instanceof CsvError && err.line === 3)
  })

  it('decodes Windows-1252 when the bytes are not UTF-8', () => {
    assert.equal(decodeCsvBytes(new Uint8Array([0x50, 0xe9, 0x72, 0x65, 0x7a])), 'Pérez')
    assert.equal(decodeCsvBytes(new TextEncoder().encode('\uFEFFPérez')), 'Pérez')
    // Excel's curly quotes, dash and euro sign (bytes 0x80–0x9F), which Node's own decoder gets wrong.
    assert.equal(decodeCsvBytes(new Uint8Array([0x93, 0x41, 0x94, 0x20, 0x96, 0x20, 0x80, 0x31])), '“A” – €1')
  })
})
