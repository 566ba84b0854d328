import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseMessage } from './parse-message'
import { stripQuotedHtml } from './strip-quoted-html'

/** An HTML-only message as the client sends it (quoted-printable would not change what is tested). */
function htmlOnly(html: string, extra: string[] = []): Buffer {
  return Buffer.from([
    'From: Cliente <cliente@ejemplo.mx>', 'To: soporte@atiende.mx', 'Subject: RE: [#11770] Terminal sin conexión',
    'Message-ID: <html-only@ejemplo.mx>', 'Date: Tue, 6 Feb 2024 10:00:00 -0600', 'MIME-Version: 1.0', ...extra,
    'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', html, '',
  ].join('\r\n'))
}

/** The same with a text part: the text carries its own quote, stripped as text. */
function alternative(text: string, html: string): Buffer {
  return Buffer.from([
    'From: Cliente <cliente@ejemplo.mx>', 'To: soporte@atiende.mx', 'Subject: Re: prueba', 'Message-ID: <alt@ejemplo.mx>', 'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="b1"', '', '--b1', 'Content-Type: text/plain; charset=utf-8', '', text, '--b1',
    'Content-Type: text/html; charset=utf-8', '', html, '--b1--', '',
  ].join('\r\n'))
}

const GMAIL = `<div dir="ltr">Ya reinicié el módem y sigue igual.<div>¿Pueden mandar a alguien?</div><div><br></div><div>Saludos,</div><div>Juan</div></div><br>
<div class="gmail_quote gmail_quote_container"><div dir="ltr" class="gmail_attr">El lun, 5 feb 2024 a las 10:15, Soporte Atiende (&lt;<a href="mailto:soporte@atiende.mx">soporte@atiende.mx</a>&gt;) escribió:<br></div>
<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex"><div><p>##- Escriba su respuesta arriba de esta línea -##</p>
<p>Hola Juan, ¿ya reinició el módem?</p><p>Ticket #11770</p></div></blockquote></div>`

const GMAIL_FORWARD = `<div dir="ltr">Les reenvío el reporte del proveedor.<br><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br>
De: <strong class="gmail_sendername" dir="auto">Proveedor</strong> <span dir="auto">&lt;avisos@proveedor.mx&gt;</span><br>Date: lun, 5 feb 2024 a las 9:00<br>
Subject: Falla en enlace<br>To: &lt;juan@ejemplo.mx&gt;<br></div><br><br><div dir="ltr">El enlace de la estación 14 está caído desde las 8:00.</div></div></div>`

const OUTLOOK_WEB = `<html><head><style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style></head><body dir="ltr">
<div class="elementToProof" style="font-family: Aptos, sans-serif; font-size: 12pt;">Buenos días:</div>
<div class="elementToProof" style="font-family: Aptos, sans-serif; font-size: 12pt;">La terminal de la estación 14 sigue sin conexión.</div>
<div id="appendonsend"></div><hr style="display:inline-block;width:98%" tabindex="-1">
<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri, sans-serif" style="font-size:11pt" color="#000000"><b>De:</b> Soporte Atiende &lt;soporte@atiende.mx&gt;<br>
<b>Enviado:</b> lunes, 5 de febrero de 2024 10:15<br><b>Para:</b> María López &lt;maria.lopez@elalamo.com.mx&gt;<br><b>Asunto:</b> RE: [#11770] Terminal sin conexión</font>
<div>&nbsp;</div></div><div><div class="x_elementToProof">Hola María, estamos revisando su caso.</div><div>##- Escriba su respuesta arriba de esta línea -##</div></div></body></html>`

const OUTLOOK_DESKTOP = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv=Content-Type content="text/html; charset=utf-8"><style><!-- p.MsoNormal {margin:0cm;} --></style></head>
<body lang=ES-MX link="#0563C1" vlink="#954F72"><div class=WordSection1><p class=MsoNormal>Adjunto la evidencia solicitada.<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>Pedro Ramírez<o:p></o:p></p><p class=MsoNormal><o:p>&nbsp;</o:p></p>
<div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm'><p class=MsoNormal><b>De:</b> Soporte Atiende &lt;soporte@atiende.mx&gt; <br>
<b>Enviado el:</b> martes, 6 de febrero de 2024 09:12<br><b>Para:</b> Pedro Ramírez &lt;pedro@cliente.mx&gt;<br><b>Asunto:</b> RE: [#11768] Terminal<o:p></o:p></p></div>
<p class=MsoNormal><o:p>&nbsp;</o:p></p><p class=MsoNormal>Hola Pedro, ¿nos envía una foto de la pantalla?<o:p></o:p></p></div></body></html>`

const APPLE_IOS = `<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"></head><body dir="auto">Ya quedó, muchas gracias por la ayuda.
<br id="lineBreakAtBeginningOfSignature"><div dir="ltr">Enviado desde mi iPhone</div><div dir="ltr"><br><blockquote type="cite">El 6 feb 2024, a la(s) 9:12, Soporte Atiende &lt;soporte@atiende.mx&gt; escribió:<br><br></blockquote></div>
<blockquote type="cite"><div dir="ltr"><p>Hola Ana, ¿ya le funciona el lector?</p></div></blockquote></body></html>`

const APPLE_MAC = `<html><head></head><body style="word-wrap: break-word;"><div>Listo, ya pude entrar al portal.</div><div><br>
<blockquote type="cite"><div>On 6 Feb 2024, at 09:12, Soporte Atiende &lt;soporte@atiende.mx&gt; wrote:</div><br class="Apple-interchange-newline">
<div><div>Hi Ana, please try again.</div></div></blockquote></div><br></body></html>`

const THUNDERBIRD = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body><p>Buenas tardes,</p><p>les confirmo que el folio del proveedor es 88-2231.</p>
<div class="moz-cite-prefix">El 06/02/24 a las 09:12, Soporte Atiende escribió:<br></div><blockquote type="cite" cite="mid:ticket-43.abc@atiende.mx">
<p>¿Nos confirma el folio del proveedor?</p></blockquote><br><div class="moz-signature">-- <br>Luis Gómez<br>Tel. 55 0000 0000</div></body></html>`

describe('stripQuotedHtml: the marks mail clients leave', () => {
  it('Gmail: removes div.gmail_quote with its attribution and our marker', () => {
    const { html, cut } = stripQuotedHtml(GMAIL)
    assert.equal(cut, true)
    assert.match(html, /Ya reinicié el módem/)
    assert.doesNotMatch(html, /escribió|ya reinició|Escriba su respuesta/)
  })

  it('Gmail: keeps a forwarded message (the content of the request)', () => {
    const { html, cut } = stripQuotedHtml(GMAIL_FORWARD)
    assert.equal(cut, false)
    assert.match(html, /El enlace de la estación 14/)
  })

  it('Outlook on the web: cuts from the rule above #divRplyFwdMsg to the end', () => {
    const { html } = stripQuotedHtml(OUTLOOK_WEB)
    assert.match(html, /sigue sin conexión/)
    assert.doesNotMatch(html, /<hr|De:|Enviado:|estamos revisando/)
  })

  it('Outlook desktop: cuts from the bordered "De: / Enviado el:" block to the end, inside WordSection1', () => {
    const { html } = stripQuotedHtml(OUTLOOK_DESKTOP)
    assert.match(html, /Adjunto la evidencia solicitada/)
    assert.match(html, /Pedro Ramírez/)
    assert.doesNotMatch(html, /Enviado el|foto de la pantalla/)
  })

  it('Apple Mail (iOS and macOS): removes blockquote type="cite" and its attribution', () => {
    const ios = stripQuotedHtml(APPLE_IOS).html
    assert.match(ios, /Ya quedó/)
    assert.doesNotMatch(ios, /escribió|lector/)
    const mac = stripQuotedHtml(APPLE_MAC).html
    assert.match(mac, /ya pude entrar/)
    assert.doesNotMatch(mac, /wrote:|try again/)
  })

  it('Thunderbird: removes div.moz-cite-prefix, the quote after it and the marked signature', () => {
    const { html } = stripQuotedHtml(THUNDERBIRD)
    assert.match(html, /88-2231/)
    assert.doesNotMatch(html, /escribió|Nos confirma|Luis Gómez/)
  })

  it('keeps an answer written below the quote, and everything when only quotes would be left', () => {
    const inline = `<div class="moz-cite-prefix">El 06/02/24, Soporte escribió:</div><blockquote type="cite">¿Cuál es el folio?</blockquote><p>Es el 88-2231.</p>`
    assert.match(stripQuotedHtml(inline).html, /Es el 88-2231/)
    assert.doesNotMatch(stripQuotedHtml(inline).html, /Cuál es el folio/)
    const onlyQuote = '<blockquote type="cite"><p>Solo la cita.</p></blockquote>'
    assert.deepEqual(stripQuotedHtml(onlyQuote), { html: onlyQuote, cut: false })
  })
})

describe('parseMessage: HTML-only replies', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['Gmail', GMAIL, 'Ya reinicié el módem y sigue igual.\n¿Pueden mandar a alguien?\n\nSaludos,\nJuan', /escribió|ya reinició/],
    ['Outlook on the web', OUTLOOK_WEB, 'Buenos días:\nLa terminal de la estación 14 sigue sin conexión.', /Enviado|revisando/],
    ['Outlook desktop', OUTLOOK_DESKTOP, 'Adjunto la evidencia solicitada.\n\nPedro Ramírez', /Enviado|foto/],
    ['Apple Mail iOS', APPLE_IOS, 'Ya quedó, muchas gracias por la ayuda.', /escribió|lector/],
    ['Apple Mail macOS', APPLE_MAC, 'Listo, ya pude entrar al portal.', /wrote|again/],
    ['Thunderbird', THUNDERBIRD, 'Buenas tardes,\n\nles confirmo que el folio del proveedor es 88-2231.', /escribió|Nos confirma|Luis/],
  ]
  for (const [client, html, visible, quoted] of cases) {
    it(`${client}: the visible text and the sanitised HTML have no quoted history`, async () => {
      const message = await parseMessage(htmlOnly(html))
      assert.equal(message.visibleText, visible)
      assert.ok(message.visibleHtml, 'HTML kept')
      assert.doesNotMatch(message.visibleHtml, quoted)
      assert.doesNotMatch(message.visibleHtml, /<(?:script|style|blockquote)|class=|id=/, 'sanitised')
      assert.match(message.text, quoted, 'the whole text is still there for the record')
    })
  }

  it('a forwarded Gmail message keeps everything', async () => {
    const message = await parseMessage(htmlOnly(GMAIL_FORWARD))
    assert.match(message.visibleText, /El enlace de la estación 14 está caído/)
    assert.match(message.visibleHtml ?? '', /El enlace de la estación 14/)
  })

  it('text + HTML: when only the text shows where the history starts, the HTML is not offered', async () => {
    const text = 'Sigue fallando.\n\nEl lun, 5 feb 2024 a las 10:15, Soporte <soporte@atiende.mx> escribió:\n> ¿Ya reinició?'
    const html = '<p>Sigue fallando.</p><p>El lun, 5 feb 2024 a las 10:15, Soporte &lt;soporte@atiende.mx&gt; escribió:</p><div style="border-left:1px solid #ccc">¿Ya reinició?</div>'
    const message = await parseMessage(alternative(text, html))
    assert.equal(message.visibleText, 'Sigue fallando.')
    assert.equal(message.visibleHtml, null)
    const marked = await parseMessage(alternative(text, `<p>Sigue fallando.</p>${GMAIL.slice(GMAIL.indexOf('<div class="gmail_quote'))}`))
    assert.match(marked.visibleHtml ?? '', /^<p>Sigue fallando.<\/p>/)
    assert.doesNotMatch(marked.visibleHtml ?? '', /escribió/)
  })
})
