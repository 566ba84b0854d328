import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { isForwardSubject, stripQuotedText } from './strip-quoted'

const visible = (text: string) => stripQuotedText(text).visible

describe('stripQuotedText: Spanish replies', () => {
  it('cuts Gmail\'s "El … escribió:" wrapped over two lines', () => {
    const text = [
      'Listo, ya me llegó la factura.',
      '',
      'El mar, 6 feb 2024 a las 9:12, Mesa de Ayuda (<soporte@atiende.mx>)',
      'escribió:',
      '',
      '> Hola, le reenviamos su factura.',
    ].join('\n')
    assert.equal(visible(text), 'Listo, ya me llegó la factura.')
  })

  it('cuts an Outlook "De: / Enviado: / Para: / Asunto:" block and the rule above it', () => {
    const text = [
      'Buenos días, sigue sin funcionar la terminal.',
      '',
      '________________________________',
      'De: Soporte <soporte@atiende.mx>',
      'Enviado: martes, 6 de febrero de 2024 09:12',
      'Para: Pedro Ramírez <pedro@cliente.mx>',
      'Asunto: RE: [#11768] Terminal',
      '',
      'Hola Pedro, ¿ya reinició la terminal?',
    ].join('\n')
    const result = stripQuotedText(text)
    assert.equal(result.visible, 'Buenos días, sigue sin funcionar la terminal.')
    assert.match(result.removed, /^_{10,}\nDe: Soporte/)
  })

  it('cuts the older Outlook block with "Enviado el:" and bold markers', () => {
    const text = [
      'Adjunto la evidencia.',
      '',
      '*De:* Soporte [mailto:soporte@atiende.mx]',
      '*Enviado el:* martes, 6 de febrero de 2024 09:12 a. m.',
      '*Para:* Pedro Ramírez',
      '*CC:* Ventas',
      '*Asunto:* [#11768] Terminal',
    ].join('\n')
    assert.equal(visible(text), 'Adjunto la evidencia.')
  })

  it('cuts "-----Mensaje original-----" and Outlook for Mac\'s "Fecha:" block', () => {
    assert.equal(visible('Gracias.\n\n-----Mensaje original-----\nDe: x\nPara: y'), 'Gracias.')
    assert.equal(visible('Gracias.\n\n----- Mensaje original -----\nDe: x'), 'Gracias.')
    const mac = 'Enterado.\n\nDe: Soporte <soporte@atiende.mx>\nFecha: martes, 6 de febrero de 2024, 9:12\nPara: Ana <ana@x.mx>\nAsunto: Re: falla'
    assert.equal(visible(mac), 'Enterado.')
  })

  it('cuts Apple Mail\'s "El … a las …, … escribió:" and "Enviado desde mi iPhone"', () => {
    const text = 'Ya quedó.\n\nEnviado desde mi iPhone\n\n> El 6 feb 2024, a las 9:12, Soporte <soporte@atiende.mx> escribió:\n> \n> Hola'
    assert.equal(visible(text), 'Ya quedó.')
    assert.equal(visible('Ya quedó.\n\nEl 6 feb 2024, a las 9:12, Soporte <soporte@atiende.mx> escribió:\n\n> Hola'), 'Ya quedó.')
  })

  it('cuts Thunderbird\'s "El 6/2/24 a las 9:12, Soporte escribió:" and a "-- " signature', () => {
    const text = 'Les confirmo el folio 88-2231.\n\n-- \nIng. Óscar Martínez\nSistemas\n\nEl 6/2/24 a las 9:12, Soporte escribió:\n> ¿Folio?'
    const result = stripQuotedText(text)
    assert.equal(result.visible, 'Les confirmo el folio 88-2231.')
    assert.match(result.removed, /Óscar Martínez/)
  })

  it('cuts at our own "reply above this line" marker', () => {
    const text = 'Sí, ya pueden cerrarlo.\n\n##- Escriba su respuesta arriba de esta línea -##\n\nSu ticket #11768 fue resuelto.'
    assert.equal(visible(text), 'Sí, ya pueden cerrarlo.')
  })

  it('cuts other mobile signatures', () => {
    assert.equal(visible('Ok\n\nEnviado desde mi smartphone Samsung Galaxy.'), 'Ok')
    assert.equal(visible('Ok\n\nObtener Outlook para Android'), 'Ok')
    assert.equal(visible('Ok\nEnviado desde mi BlackBerry® de Vodafone'), 'Ok')
  })
})

describe('stripQuotedText: English replies', () => {
  it('cuts Gmail\'s "On … wrote:" (one or two lines)', () => {
    assert.equal(visible('Thanks!\n\nOn Tue, Feb 6, 2024 at 9:12 AM Support <support@atiende.mx> wrote:\n> Hi'), 'Thanks!')
    assert.equal(visible('Thanks!\n\nOn Tue, Feb 6, 2024 at 9:12 AM Support <\nsupport@atiende.mx> wrote:\n\n> Hi'), 'Thanks!')
  })

  it('cuts Outlook\'s "From: / Sent: / To: / Subject:" block and "-----Original Message-----"', () => {
    const outlook = 'Still broken.\n\nFrom: Support <support@atiende.mx>\nSent: Tuesday, February 6, 2024 9:12 AM\nTo: Pat <pat@x.com>\nSubject: RE: [#11768] Terminal\n\nHi Pat'
    assert.equal(visible(outlook), 'Still broken.')
    assert.equal(visible('Done.\n\n-----Original Message-----\nFrom: Support'), 'Done.')
  })

  it('cuts Apple Mail\'s "On 6 Feb 2024, at 09:12, … wrote:" and "Sent from my iPhone"', () => {
    assert.equal(visible('Works now.\n\nSent from my iPhone\n\n> On 6 Feb 2024, at 09:12, Support <support@atiende.mx> wrote:\n> Hi'), 'Works now.')
  })

  it('cuts Thunderbird\'s "On 2/6/24 9:12 AM, Support wrote:"', () => {
    assert.equal(visible('Attached.\n\nOn 2/6/24 9:12 AM, Support wrote:\n> Please attach the log'), 'Attached.')
  })

  it('keeps inline answers written between quoted lines', () => {
    const text = '> What is your RFC?\nXAXX010101000\n> And your station?\nEstación 14'
    assert.equal(visible(text), 'XAXX010101000\nEstación 14')
  })
})

describe('stripQuotedText: answers written below the quote (bottom-posting)', () => {
  it('keeps the answer below the quote and drops the attribution and the quote', () => {
    const text = 'Hola Carlos,\n\nEl lun, 7 dic 2026 a las 18:00, Soporte Atiende escribió:\n> ¿Cuál es su número de cliente?\n\nEs el 778812, y el problema empezó el viernes.\n\nSaludos'
    assert.equal(stripQuotedText(text).visible, 'Hola Carlos,\n\nEs el 778812, y el problema empezó el viernes.\n\nSaludos')
  })

  it('answers between the quote\'s lines, in English too', () => {
    const text = 'On Mon, Dec 7, 2026 at 10:00 AM Support <s@atiende.mx> wrote:\n> What is your line?\n5512340000\n> Since when?\nSince Friday.'
    assert.equal(stripQuotedText(text).visible, '5512340000\nSince Friday.')
  })

  it('still cuts a top-posted reply whose quote ends with a closing or a signature, or with older history', () => {
    const closing = 'Ya quedó, gracias.\n\nEl lun, 7 dic 2026 a las 10:00, Carlos <c@a.mx> escribió:\n> ¿Ya tiene señal?\n\nSaludos'
    assert.equal(stripQuotedText(closing).visible, 'Ya quedó, gracias.')
    const signature = 'Listo.\n\nEl lun, 7 dic 2026, Carlos <c@a.mx> escribió:\n> ¿Ya?\n-- \nCarlos Ramírez\nSoporte'
    assert.equal(stripQuotedText(signature).visible, 'Listo.')
    const nested = 'Listo.\n\nOn Mon, Dec 7, 2026 Carlos <c@a.mx> wrote:\n> Hola\n\nOn Sun, Dec 6, 2026 Ana <a@b.mx> wrote:\n> x'
    assert.equal(stripQuotedText(nested).visible, 'Listo.')
  })
})

describe('stripQuotedText: what it leaves alone', () => {
  it('does not cut a sentence that merely starts with "De:" or mentions writing', () => {
    const text = 'De: mi parte todo bien.\nEl técnico escribió: "listo" en la bitácora, pero no funciona.\nSaludos'
    assert.equal(visible(text), text)
  })

  it('does not cut forwarded messages (their content is the request)', () => {
    const text = 'Les reenvío el error.\n\n---------- Forwarded message ---------\nDe: Banco <avisos@banco.mx>\nDate: lun, 5 feb 2024\nSubject: Rechazo\n\nSu pago fue rechazado.'
    assert.match(visible(text), /Su pago fue rechazado/)
  })

  it('leaves nothing visible when everything is history or signature (a reply that is only a photo)', () => {
    assert.deepEqual(stripQuotedText('> only a quote\n> here'), { visible: '', removed: '> only a quote\n> here' })
    const photo = 'Enviado desde mi iPhone\n\n> El 7 dic 2026, a las 18:00, Soporte <s@atiende.demo> escribió:\n> Hola Roberto'
    assert.equal(stripQuotedText(photo).visible, '')
  })
})

describe('stripQuotedText: what a customer wrote is not taken for a signature or history', () => {
  it('keeps text after a line that merely starts like "Enviado desde mi…"', () => {
    const text = 'Hola, el pago de la factura F-2291\nenviado desde mi cuenta de Banorte no aparece.\nReferencia: 778812\nMonto: $5,400.00'
    assert.equal(visible(text), text)
    assert.equal(visible('Ya quedó, gracias.\n\nEnviado desde mi iPhone'), 'Ya quedó, gracias.')
    assert.equal(visible('Ya quedó, gracias.\nEnviado desde mi iPhone\n\nEl jue, 3 dic 2026 a las 10:15, Soporte <soporte@ayuda.test> escribió:\n> Hola'), 'Ya quedó, gracias.')
  })

  it('keeps a pasted log after a bare "--"; a short signature after it is still cut, and "-- " always', () => {
    const log = 'Error al timbrar factura. Log:\n--\nERROR 301: RFC del receptor no válido\nCFDI 4.0 rechazado por el PAC\nintento 1\nintento 2\nintento 3\nintento 4\nintento 5\nintento 6\n--\nGracias'
    assert.equal(visible(log), log.slice(0, log.lastIndexOf('\n--\n')), 'the first "--" has ten lines after it; the last one only a closing word')
    assert.equal(visible('Gracias.\n--\nJuan Pérez\nGerente de sistemas\nTel. 55 1234 5678'), 'Gracias.')
    assert.equal(visible('Gracias.\n-- \nJuan Pérez'), 'Gracias.')
  })

  it('cuts Yahoo\'s Spanish attribution, "En jueves, … escribió:", wrapped over two lines', () => {
    assert.equal(visible('Gracias, ya funciona.\n\nEn jueves, 3 de diciembre de 2026, 10:15:00 CST, Soporte QA\n<soporte@qa.test> escribió:\n\nHola, le informamos'), 'Gracias, ya funciona.')
  })

  it('keeps a forward whole: with "RV:" the Outlook header block is the request, not history', () => {
    const text = 'Les reenvío la queja del cliente.\n\nDe: Cliente Molesto <cliente@tienda.mx>\nEnviado: jueves, 3 de diciembre de 2026 10:15\nPara: Ventas <ventas@empresa.mx>\nAsunto: Cobro doble\n\nMe cobraron dos veces $1,250.00, referencia 99812.'
    assert.equal(stripQuotedText(text, { subject: 'RV: Cobro doble' }).visible, text)
    assert.equal(stripQuotedText(text, { subject: 'RE: RV: Cobro doble' }).visible, 'Les reenvío la queja del cliente.')
    assert.equal(isForwardSubject('Fwd: hola'), true)
    assert.equal(isForwardSubject('Re: [#10001] hola'), false)
  })
})
