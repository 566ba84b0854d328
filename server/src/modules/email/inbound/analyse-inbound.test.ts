import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { analyseInbound } from './analyse-inbound'
import { buildOutboundHeaders } from '../outbound/headers'
import { renderNotification } from '../templates/render-notification'

const settings = { ourAddresses: ['soporte@atiende.mx'], messageIdDomains: ['atiende.mx'], secret: 'k' }
const fixture = (name: string) => readFileSync(new URL(`./fixtures/es/${name}`, import.meta.url))

describe('analyseInbound', () => {
  it('threads a customer reply to our notification and keeps only what they wrote', async () => {
    const rendered = renderNotification({ event: 'status_pending', locale: 'es', context: { ticket: { number: 11768, subject: 'Factura' } } })
    const sent = buildOutboundHeaders({
      ticketId: '42', ticketNumber: 11768, recipient: 'juan@cliente.mx', mailbox: { address: 'soporte@atiende.mx' },
      messageIdDomain: 'atiende.mx', secret: 'k', thread: [], automatic: true,
    })
    const quoted = rendered.text.split('\n').map((l) => `> ${l}`).join('\r\n')
    const reply = Buffer.from(
      `From: Juan <juan@cliente.mx>\r\nTo: soporte@atiende.mx\r\nSubject: Re: ${rendered.subject}\r\nMessage-ID: <r@cliente.mx>\r\n` +
        `In-Reply-To: ${sent.messageId}\r\nReferences: ${sent.messageId}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
        `Mi RFC es XAXX010101000.\r\n\r\nEl mar, 6 feb 2024 a las 9:12, Soporte <soporte@atiende.mx> escribió:\r\n${quoted}\r\n`,
    )
    const analysis = await analyseInbound(reply, settings)
    assert.equal(analysis.verdict.kind, 'human')
    assert.equal(analysis.thread.ourMessageIds[0].ticketId, '42')
    assert.deepEqual(analysis.thread.subjectNumbers, [11768])
    assert.deepEqual(analysis.verifiedToken, { ticketId: '42' })
    assert.equal(analysis.message.visibleText, 'Mi RFC es XAXX010101000.')
  })

  it('stops an out-of-office answer to our notification before it can create anything', async () => {
    const analysis = await analyseInbound(fixture('out-of-office.eml'), settings)
    assert.equal(analysis.verdict.createsTicket, false)
    assert.equal(analysis.verdict.mayNotify, false)
    assert.equal(analysis.thread.ourMessageIds[0]?.ticketId, '45')
  })
})
