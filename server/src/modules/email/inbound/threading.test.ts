import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { existsSync } from 'node:fs'
import { parseMessage } from './parse-message'
import { SHARED_MAIL_FIXTURES } from './fixtures/shared-fixtures'
import {
  compileSubjectPatterns,
  findThreadCandidates,
  findTicketNumbersInSubject,
  parseOurMessageId,
  verifyReplyToken,
} from './threading'
import { createReplyToken } from '../reply-token'

describe('findTicketNumbersInSubject with the default patterns', () => {
  const numbers = (subject: string) => findTicketNumbersInSubject(subject)

  it('finds "[#11768]", "Ticket #11768", "Ticket: 11768" and "Caso #11768"', () => {
    assert.deepEqual(numbers('Re: [#11768] No puedo facturar'), [11768])
    assert.deepEqual(numbers('RE: RE: Ticket #11768 - terminal'), [11768])
    assert.deepEqual(numbers('Fwd: ticket#11768'), [11768])
    assert.deepEqual(numbers('Seguimiento Ticket: 11768'), [11768])
    assert.deepEqual(numbers('RV: Caso # 11768 facturación'), [11768])
    assert.deepEqual(numbers('[#11768] y [#11770]'), [11768, 11770])
  })

  it('ignores numbers that are not tagged as a ticket', () => {
    assert.deepEqual(numbers('Factura 11768 de enero'), [])
    assert.deepEqual(numbers('Pedido #11768'), [])
    assert.deepEqual(numbers('MiTicket #11768'), [])
    assert.deepEqual(numbers('[skynet-help][60666] How are intermediate files handled?'), [])
    assert.deepEqual(numbers('[Online Lead] Online Lead #1111111'), [])
  })

  it('uses admin patterns as literal text, not regular expressions', () => {
    const patterns = compileSubjectPatterns(['(#{number})', 'Folio {number}.'])
    assert.deepEqual(findTicketNumbersInSubject('Re: (#5290765) Proxmox Shop E-Mails', patterns), [5290765])
    assert.deepEqual(findTicketNumbersInSubject('Folio 12.', patterns), [12])
    assert.deepEqual(findTicketNumbersInSubject('Folio 12x', patterns), [])
    assert.deepEqual(compileSubjectPatterns(['sin marcador']), [])
  })

  it('threads the real support reply that has only a subject tag (Stalwart thirdparty/015)', { skip: !existsSync(SHARED_MAIL_FIXTURES) }, async () => {
    const message = await parseMessage(readFileSync(path.join(SHARED_MAIL_FIXTURES, 'stalwart-mail-parser/thirdparty/015.eml')))
    const candidates = findThreadCandidates(message, { messageIdDomains: ['atiende.mx'], subjectPatterns: compileSubjectPatterns(['(#{number})']) })
    assert.deepEqual(candidates.subjectNumbers, [5290765])
    assert.deepEqual(candidates.ourMessageIds, [])
  })

  it('collects the RFC 2822 thread example05 → 06 → 07 newest first', { skip: !existsSync(SHARED_MAIL_FIXTURES) }, async () => {
    const message = await parseMessage(readFileSync(path.join(SHARED_MAIL_FIXTURES, 'mikel-mail/rfc2822/example07.eml')))
    const candidates = findThreadCandidates(message, { messageIdDomains: ['atiende.mx'] })
    assert.deepEqual(candidates.referencedMessageIds, ['<3456@example.net>', '<1234@local.machine.example>'])
  })
})

describe('parseOurMessageId', () => {
  it('reads ticket id, random part and token', () => {
    assert.deepEqual(parseOurMessageId('<ticket-42.k3j5h7g2m4n6.abcdefghijklmnop@Atiende.MX>'), {
      ticketId: '42', random: 'k3j5h7g2m4n6', token: '42.abcdefghijklmnop', domain: 'atiende.mx',
    })
    assert.equal(parseOurMessageId('<ticket-0b9a1c2e-7d7f-4c1e-9a0b-2f1e3d4c5b6a.aaaaaaaa.abcdefghijklmnop@x.mx>')?.ticketId, '0b9a1c2e-7d7f-4c1e-9a0b-2f1e3d4c5b6a')
  })

  it('rejects other shapes and other domains', () => {
    assert.equal(parseOurMessageId('<CAF=8xq9Vd2Lw@mail.gmail.com>'), null)
    assert.equal(parseOurMessageId('<ticket-42@atiende.mx>'), null)
    assert.equal(parseOurMessageId('<ticket-42.k3j5h7g2m4n6.abcdefghijklmnop@evil.example>', ['atiende.mx']), null)
  })
})

describe('verifyReplyToken', () => {
  const token = createReplyToken('42', 'agente@atiende.mx', 'secret-a')

  it('accepts the token for the address it was made for, case-insensitively', () => {
    assert.deepEqual(verifyReplyToken(token, 'secret-a', 'AGENTE@atiende.mx'), { ticketId: '42' })
  })

  it('rejects another address, another secret, another ticket, and tampering', () => {
    assert.equal(verifyReplyToken(token, 'secret-a', 'cliente@gmail.com'), null)
    assert.equal(verifyReplyToken(token, 'secret-b', 'agente@atiende.mx'), null)
    assert.equal(verifyReplyToken(token.replace(/^42/, '43'), 'secret-a', 'agente@atiende.mx'), null)
    const last = token.at(-1) === 'a' ? 'b' : 'a'
    assert.equal(verifyReplyToken(token.slice(0, -1) + last, 'secret-a', 'agente@atiende.mx'), null)
    assert.equal(verifyReplyToken('garbage', 'secret-a', 'agente@atiende.mx'), null)
  })

  it('refuses to make tokens for ids that cannot go in a Message-ID, or with an empty secret', () => {
    assert.throws(() => createReplyToken('42.1', 'a@b.mx', 's'))
    assert.throws(() => createReplyToken('42', 'a@b.mx', ''))
  })
})
