import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { simpleParser } from 'mailparser'
import { parseMessage, sameIgnoringWhitespace } from './parse-message'
import { sanitizeEmailHtml } from './sanitize'
import { rewriteCidReferences } from './cid'
import { BLOCKED_IMAGE_PLACEHOLDER } from './sanitize'

const fixture = (name: string) => readFileSync(new URL(`./fixtures/es/${name}`, import.meta.url))

describe('parseMessage', () => {
  it('reads a Gmail reply: UTF-8 quoted-printable, encoded subject and name, threading ids', async () => {
    const m = await parseMessage(fixture('gmail-reply.eml'))
    assert.deepEqual(m.from, { address: 'juan.perez@gmail.com', name: 'Juan Pérez' })
    assert.equal(m.subject, 'Re: [#11768] No puedo facturar en el portal')
    assert.equal(m.messageId, '<CAF=8xq9Vd2Lw@mail.gmail.com>')
    assert.equal(m.inReplyTo, '<ticket-42.k3j5h7g2m4n6.abcdefghijklmnop@atiende.mx>')
    assert.deepEqual(m.references, ['<CAF=1st@mail.gmail.com>', '<ticket-42.k3j5h7g2m4n6.abcdefghijklmnop@atiende.mx>'])
    assert.equal(m.visibleText, 'Hola, ya intenté de nuevo y sigue sin timbrar la factura.\nLes adjunto el error que aparece en pantalla.\n\nGracias,\nJuan')
    assert.match(m.text, /escribió:/)
    assert.equal(m.date?.toISOString(), '2024-02-05T17:02:33.000Z')
    assert.deepEqual(m.to, [{ address: 'soporte@atiende.mx', name: 'Soporte Atiende' }])
  })

  it('reads an Outlook reply in Windows-1252 with an inline image and CC', async () => {
    const m = await parseMessage(fixture('outlook-reply.eml'))
    assert.equal(m.from?.name, 'María López Hernández')
    assert.equal(m.subject, 'RE: [#11770] Terminal sin conexión')
    assert.deepEqual(m.cc, [{ address: 'pedro.ramirez@elalamo.com.mx', name: 'Ramírez, Pedro' }])
    assert.match(m.visibleText, /^Buenos días:\n\nEl punto de venta de la estación 14/)
    assert.doesNotMatch(m.visibleText, /Enviado:|estamos revisando/)
    assert.equal(m.attachments.length, 1)
    const [image] = m.attachments
    assert.deepEqual({ ...image, content: image.content.length }, {
      filename: 'image001.png', contentType: 'image/png', size: 70, content: 70,
      contentId: 'image001.png@01DA5801.1D0E8F40', inline: true,
    })
    assert.match(m.html ?? '', /src="cid:image001.png@01DA5801.1D0E8F40"/)
    const rewritten = rewriteCidReferences(m.html ?? '', { [image.contentId ?? '']: '/api/v1/attachments/9' })
    assert.match(rewritten, /src="\/api\/v1\/attachments\/9"/)
  })

  it('reads an iPhone reply in base64 and strips "Enviado desde mi iPhone" and the quote', async () => {
    const m = await parseMessage(fixture('apple-mail-reply.eml'))
    assert.equal(m.visibleText, 'Ya quedó, muchas gracias por la ayuda.')
    assert.deepEqual(m.to, [{ address: 'soporte+44.cdefghijklmnopqr@atiende.mx', name: 'Soporte Atiende' }])
  })

  it('reads a Thunderbird ISO-8859-1 format=flowed reply with a signature', async () => {
    const m = await parseMessage(fixture('thunderbird-reply.eml'))
    assert.equal(m.from?.name, 'Óscar Martínez')
    assert.equal(m.subject, 'Re: Caso #11772 - Facturación')
    assert.equal(m.visibleText, 'Buenas tardes,\n\nles confirmo que el folio del proveedor es 88-2231. Quedo atento.')
  })

  it('derives the text of an HTML-only message and sanitises its HTML', async () => {
    const m = await parseMessage(fixture('html-only-inline-image.eml'))
    assert.equal(m.text, 'La impresora del piso 3 no imprime.\n\nver manual [https://ejemplo.com.mx/manual]')
    const html = m.html ?? ''
    assert.doesNotMatch(html, /script|onload|<form|<iframe|javascript:|url\(/i)
    assert.match(html, /src="cid:captura@ejemplo"/)
    assert.ok(html.includes(`src="${BLOCKED_IMAGE_PLACEHOLDER}" data-src="https://tracker.example/open.gif?u=123"`))
    assert.equal(m.attachments[0].inline, true)
    assert.equal(m.attachments[0].filename, 'adjunto-1.png')
  })

  it('ignores winmail.dat and keeps the other attachments with RFC 2231 names', async () => {
    const m = await parseMessage(fixture('winmail-dat.eml'))
    assert.deepEqual(m.attachments.map((a) => a.filename), ['cotización.pdf'])
    assert.deepEqual(m.warnings, ['winmail_dat_ignored'])
  })

  it('repairs raw 8-bit Latin-1 headers', async () => {
    const m = await parseMessage(fixture('raw-latin1-headers.eml'))
    assert.equal(m.subject, 'Información de facturación')
    assert.deepEqual(m.from, { address: 'jperez@ejemplo.mx', name: 'José Pérez' })
    assert.ok(m.warnings.includes('header_charset_repaired'))
  })

  describe('bodies in Latin-1 or Windows-1252 that do not say so', () => {
    const latin1 = (s: string) => Buffer.from(s, 'latin1')
    const head = 'From: alertas@monitoreo.mx\r\nTo: soporte@atiende.mx\r\nSubject: Alerta\r\nMIME-Version: 1.0\r\n'

    it('reads an 8-bit body without a charset, or with none at all, as Windows-1252', async () => {
      const m = await parseMessage(latin1(`${head}Content-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\nBuenos d\xedas, el enlace de la sucursal Le\xf3n cay\xf3 \x96 sin se\xf1al.\r\n`))
      assert.equal(m.text, 'Buenos días, el enlace de la sucursal León cayó – sin señal.')
      assert.ok(m.warnings.includes('body_charset_repaired'))
      const bare = await parseMessage(latin1('From: a@b.mx\r\nSubject: x\r\n\r\nAlerta cr\xedtica\r\n'))
      assert.equal(bare.text, 'Alerta crítica')
    })

    it('repairs quoted-printable parts labelled us-ascii, and both parts of an alternative', async () => {
      const qp = await parseMessage(latin1(`${head}Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nSe=F1or, su recarga est=E1 aplicada\r\n`))
      assert.equal(qp.text, 'Señor, su recarga está aplicada')
      const alt = await parseMessage(latin1(`${head}Content-Type: multipart/alternative; boundary=BB\r\n\r\n--BB\r\nContent-Type: text/plain\r\n\r\nFacturaci\xf3n\r\n--BB\r\nContent-Type: text/html\r\n\r\n<p>Facturaci\xf3n</p>\r\n--BB--\r\n`))
      assert.equal(alt.text, 'Facturación')
      assert.match(alt.html ?? '', /<p>Facturación<\/p>/)
    })

    it('leaves valid UTF-8 alone, even with a replacement character of its own, and declared charsets as declared', async () => {
      const utf8 = await parseMessage(Buffer.from(`${head}Content-Type: text/plain; charset=utf-8\r\n\r\nYa venía roto: \uFFFD\r\n`, 'utf8'))
      assert.equal(utf8.text, 'Ya venía roto: \uFFFD')
      assert.ok(!utf8.warnings.includes('body_charset_repaired'))
      const declared = await parseMessage(latin1(`${head}Content-Type: text/plain; charset=iso-8859-1\r\n\r\nD\xeda\r\n`))
      assert.equal(declared.text, 'Día')
      assert.ok(!declared.warnings.includes('body_charset_repaired'))
    })

    it('reads «iso-8859-1» as Windows-1252, as mail clients mean it (dashes, euro sign, curly quotes)', async () => {
      const m = await parseMessage(latin1(`From: a@b.mx\r\nSubject: =?iso-8859-1?Q?Cotizaci=F3n_=96_=80_120?=\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n\x93Plan b\xe1sico\x94 \x96 \x80 120\r\n`))
      assert.equal(m.subject, 'Cotización – € 120')
      assert.equal(m.text, '“Plan básico” – € 120')
    })
  })

  it('keeps the headers loop detection needs', async () => {
    const m = await parseMessage(fixture('out-of-office.eml'))
    assert.equal(m.headers['x-auto-response-suppress'], 'All')
    assert.equal(m.subject, 'Respuesta automática: [#11773] Cambio de precios')
  })

  it('reports a message with no From as having no sender, and never throws on garbage', async () => {
    const noFrom = await parseMessage(Buffer.from('Subject: hola\r\n\r\nsin remitente\r\n'))
    assert.equal(noFrom.from, null)
    assert.ok(noFrom.warnings.includes('missing_from'))
    assert.equal(noFrom.text, 'sin remitente')
    const garbage = await parseMessage(Buffer.from([0, 1, 2, 0xff, 0xfe, 10, 10, 0x80]))
    assert.equal(garbage.from, null)
    const empty = await parseMessage(Buffer.alloc(0))
    assert.equal(empty.subject, '')
  })

  it('sanitises a From header with a comment inside the address (RFC 5322 obsolete syntax)', async () => {
    const m = await parseMessage(Buffer.from('From: Pete(A \\) chap) <pete(his account)@silly.test(his host)>\r\n\r\nx'))
    assert.deepEqual(m.from, { address: 'pete@silly.test', name: 'Pete' })
  })

  it('keeps a text part outside multipart/alternative in the HTML, as a full mailparser parse does', async () => {
    const raw = Buffer.from([
      'From: Ana <ana@cliente.mx>', 'To: soporte@ayuda.test', 'Subject: Mixto', 'Message-ID: <mixto-1@cliente.mx>', 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"', '',
      '--b1', 'Content-Type: text/plain; charset=utf-8', '', 'Primera parte con un enlace https://ejemplo.mx/a', '',
      '--b1', 'Content-Type: text/html; charset=utf-8', '', '<p>Segunda parte en <b>HTML</b></p>', '',
      '--b1--', '',
    ].join('\r\n'))
    const full = await simpleParser(raw, { keepCidLinks: true, keepDeliveryStatus: true })
    const m = await parseMessage(raw)
    assert.equal(m.html, sanitizeEmailHtml(full.html as string))
    assert.match(m.html ?? '', /Primera parte/)
  })
})

describe('sameIgnoringWhitespace', () => {
  it('compares like removing every \\s first', () => {
    for (const [a, b] of [['', ''], [' a\tb\n', 'ab'], ['a\u00a0b', 'ab'], ['ab', 'a b c'], ['xy', 'yx'], ['a', '']]) {
      assert.equal(sameIgnoringWhitespace(a, b), a.replace(/\s+/g, '') === b.replace(/\s+/g, ''), JSON.stringify([a, b]))
    }
  })

  it('keeps an Outlook forward whole, text and HTML: the forwarded message is the request', async () => {
    const complaint = 'Me cobraron dos veces $1,250.00, referencia 99812.'
    const raw = Buffer.from([
      'From: Ventas <ventas@tienda.mx>', 'To: soporte@ayuda.test', 'Subject: RV: Cobro doble', 'Message-ID: <rv-1@tienda.mx>',
      'MIME-Version: 1.0', 'Content-Type: multipart/alternative; boundary="b"', '', '--b', 'Content-Type: text/plain; charset=utf-8', '',
      'Les reenvío la queja del cliente.', '', 'De: Cliente <cliente@tienda.mx>', 'Enviado: jueves, 3 de diciembre de 2026 10:15', 'Para: Ventas <ventas@tienda.mx>', 'Asunto: Cobro doble', '', complaint,
      '--b', 'Content-Type: text/html; charset=utf-8', '',
      `<p>Les reenvío la queja del cliente.</p><div id="divRplyFwdMsg"><b>De:</b> Cliente<br><b>Enviado:</b> jueves<br><b>Asunto:</b> Cobro doble</div><p>${complaint}</p>`,
      '--b--', '',
    ].join('\r\n'))
    const m = await parseMessage(raw)
    assert.match(m.visibleText, /referencia 99812/)
    assert.match(m.visibleHtml ?? '', /referencia 99812/)
  })
})
