import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { csvCell, csvRow, isoInZone } from './csv'

describe('CSV cells (RFC 4180, formula-guarded)', () => {
  it('quotes commas, quotes and line breaks, doubling inner quotes', () => {
    assert.equal(csvCell('Cobranza, factura'), '"Cobranza, factura"')
    assert.equal(csvCell('dijo "hola"'), '"dijo ""hola"""')
    assert.equal(csvCell('línea 1\nlínea 2'), '"línea 1\nlínea 2"')
    assert.equal(csvCell('sin cambios: ñ á'), 'sin cambios: ñ á')
    assert.equal(csvRow(['a', null, 3, undefined]), 'a,,3,\r\n')
  })

  it('prefixes text starting with = + - @ (and tab, CR) with an apostrophe', () => {
    assert.equal(csvCell('=1+1'), "'=1+1")
    assert.equal(csvCell('+52 55 1234'), "'+52 55 1234")
    assert.equal(csvCell('-2'), "'-2")
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)")
    assert.equal(csvCell('\tx'), "'\tx")
    assert.equal(csvCell('=HYPERLINK("http://x","y")'), '"\'=HYPERLINK(""http://x"",""y"")"')
    assert.equal(csvCell(-2), '-2') // a number is never a formula
  })
})

describe('isoInZone', () => {
  it('writes ISO-8601 with the offset of the zone', () => {
    assert.equal(isoInZone('2026-03-02T15:15:00Z', 'America/Mexico_City'), '2026-03-02T09:15:00-06:00')
    assert.equal(isoInZone('2026-07-01T00:30:00Z', 'America/Tijuana'), '2026-06-30T17:30:00-07:00')
    assert.equal(isoInZone('2026-03-02T15:15:00Z', 'UTC'), '2026-03-02T15:15:00+00:00')
    assert.equal(isoInZone(null, 'UTC'), '')
    assert.equal(isoInZone('2026-03-02T15:15:00Z', 'No/Such_Zone'), '2026-03-02T15:15:00+00:00')
  })
})
