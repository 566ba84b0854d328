import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { cleanFilename, contentDisposition, servingHeaders, sniffContentType, textCharset } from './content-type'

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c50000000049454e44ae426082', 'hex')
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n')

describe('sniffContentType', () => {
  it('recognises binary formats by their bytes', async () => {
    assert.equal(await sniffContentType(PNG), 'image/png')
    assert.equal(await sniffContentType(PDF), 'application/pdf')
  })

  it('detects UTF-8 and legacy Windows-1252 text as text/plain', async () => {
    assert.equal(await sniffContentType(Buffer.from('Número de folio: 11768\r\nInformación adicional')), 'text/plain; charset=utf-8')
    assert.equal(await sniffContentType(Buffer.from('Informaci\xf3n', 'latin1')), 'text/plain; charset=windows-1252')
  })

  it('recognises HTML, SVG and XML even without a declaration', async () => {
    assert.equal(await sniffContentType(Buffer.from('  <!DOCTYPE html><html><script>alert(1)</script>')), 'text/html')
    assert.equal(await sniffContentType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')), 'image/svg+xml')
    assert.equal(await sniffContentType(Buffer.from('<?xml version="1.0"?><factura/>')), 'application/xml')
    assert.equal(await sniffContentType(Buffer.from('\uFEFF<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>')), 'image/svg+xml')
    assert.equal(await sniffContentType(Buffer.from('hola <script>alert(1)</script>')), 'text/html')
  })

  it('calls unknown binary data application/octet-stream', async () => {
    assert.equal(await sniffContentType(Buffer.from([0, 1, 2, 3, 0, 5, 6])), 'application/octet-stream')
    assert.equal(await sniffContentType(Buffer.alloc(0)), 'application/octet-stream')
  })

  it('accepts a UTF-8 sequence cut at the end of the sniffed head', () => {
    const text = Buffer.from('añoñ')
    assert.equal(textCharset(text.subarray(0, text.length - 1)), 'utf-8')
  })
})

describe('servingHeaders', () => {
  it('shows images, PDF and text inline with a safe type and a restrictive CSP', () => {
    const png = servingHeaders('image/png', 'captura.png')
    assert.equal(png['content-type'], 'image/png')
    assert.match(png['content-disposition'], /^inline; filename="captura.png"/)
    assert.match(png['content-security-policy'], /default-src 'none'/)
    assert.match(png['content-security-policy'], /sandbox/)
    assert.equal(png['x-content-type-options'], 'nosniff')
    const pdf = servingHeaders('application/pdf', 'factura.pdf')
    assert.match(pdf['content-disposition'], /^inline/)
    assert.doesNotMatch(pdf['content-security-policy'], /sandbox/)
    assert.equal(servingHeaders('text/plain; charset=utf-8', 'log.txt')['content-type'], 'text/plain; charset=utf-8')
  })

  it('serves markup as an opaque download', () => {
    for (const t of ['text/html', 'image/svg+xml', 'application/xml']) {
      const h = servingHeaders(t, 'x.html')
      assert.equal(h['content-type'], 'application/octet-stream')
      assert.match(h['content-disposition'], /^attachment;/)
    }
  })

  it('sends other known types as attachments with their own type', () => {
    const zip = servingHeaders('application/zip', 'logs.zip')
    assert.equal(zip['content-type'], 'application/zip')
    assert.match(zip['content-disposition'], /^attachment;/)
  })
})

describe('file names', () => {
  it('drops directories and control characters', () => {
    assert.equal(cleanFilename('../../etc/passwd'), 'passwd')
    assert.equal(cleanFilename('C:\\Users\\ana\\foto.png'), 'foto.png')
    assert.equal(cleanFilename('a\r\nb.txt'), 'ab.txt')
    assert.equal(cleanFilename(''), 'adjunto')
    assert.equal(cleanFilename('.htaccess'), 'htaccess')
  })

  it('encodes non-ASCII names per RFC 8187 with an ASCII fallback', () => {
    assert.equal(contentDisposition('attachment', 'Año "2024" ñ.pdf'),
      `attachment; filename="Ano _2024_ n.pdf"; filename*=UTF-8''A%C3%B1o%20%222024%22%20%C3%B1.pdf`)
  })
})
