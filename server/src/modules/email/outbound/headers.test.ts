import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { buildOutboundHeaders, formatAddress } from './headers'
import { parseMessage } from '../inbound/parse-message'
import { findThreadCandidates, findVerifiedReplyToken, parseOurMessageId } from '../inbound/threading'

const SECRET = 'test-secret-0123456789'
const base = {
  ticketId: '42',
  ticketNumber: 11768,
  recipient: 'Juan.Perez@Gmail.com',
  mailbox: { address: 'soporte@atiende.mx', name: 'Soporte Atiende' },
  messageIdDomain: 'atiende.mx',
  secret: SECRET,
  thread: ['<CAF=1st@mail.gmail.com>', '<ticket-42.aaaaaaaaaaaa.bbbbbbbbbbbbbbbb@atiende.mx>'],
  automatic: true,
}

describe('buildOutboundHeaders', () => {
  it('makes a Message-ID of ours that carries the recipient\'s reply token', () => {
    const h = buildOutboundHeaders({ ...base, random: () => 'k3j5h7g2m4n6' })
    assert.match(h.messageId, /^<ticket-42\.k3j5h7g2m4n6\.[a-z2-7]{16}@atiende\.mx>$/)
    const ours = parseOurMessageId(h.messageId, ['atiende.mx'])
    assert.equal(ours?.ticketId, '42')
  })

  it('threads on the newest message and references the first and the newest', () => {
    const h = buildOutboundHeaders(base)
    assert.equal(h.inReplyTo, '<ticket-42.aaaaaaaaaaaa.bbbbbbbbbbbbbbbb@atiende.mx>')
    assert.deepEqual(h.references, base.thread)
    const long = Array.from({ length: 25 }, (_, i) => `<m${i}@x.mx>`)
    const trimmed = buildOutboundHeaders({ ...base, thread: long }).references
    assert.deepEqual(trimmed, ['<m0@x.mx>', ...long.slice(-9)])
    const first = buildOutboundHeaders({ ...base, thread: [] })
    assert.equal(first.inReplyTo, undefined)
    assert.deepEqual(first.references, [])
  })

  it('marks automatic notifications (RFC 3834) but not a person\'s reply', () => {
    assert.equal(buildOutboundHeaders(base).headers['Auto-Submitted'], 'auto-generated')
    const reply = buildOutboundHeaders({ ...base, automatic: false })
    assert.equal(reply.headers['Auto-Submitted'], undefined)
    assert.equal(reply.headers['X-Auto-Response-Suppress'], 'All')
    assert.equal(reply.headers['X-Atiende-Ticket'], '11768')
  })

  it('replies to the mailbox, with the token as a plus address when enabled', () => {
    assert.equal(buildOutboundHeaders(base).replyTo, '"Soporte Atiende" <soporte@atiende.mx>')
    assert.match(buildOutboundHeaders({ ...base, plusAddressing: true }).replyTo, /^"Soporte Atiende" <soporte\+42\.[a-z2-7]{16}@atiende\.mx>$/)
    assert.equal(formatAddress('Ramírez, "Pedro"', 'p@x.mx'), '"Ramírez, \\"Pedro\\"" <p@x.mx>')
  })
})

describe('a reply to our mail comes back to its ticket', () => {
  const reply = (from: string, inReplyTo: string, to = 'soporte@atiende.mx') =>
    Buffer.from(
      `From: ${from}\r\nTo: ${to}\r\nSubject: Re: [#11768] Falla\r\nMessage-ID: <r1@mail.gmail.com>\r\n` +
        `In-Reply-To: ${inReplyTo}\r\nReferences: <CAF=1st@mail.gmail.com> ${inReplyTo}\r\n\r\nListo.\r\n`,
    )

  it('finds the ticket by In-Reply-To and verifies the token for the recipient we sent to', async () => {
    const sent = buildOutboundHeaders(base)
    const message = await parseMessage(reply('Juan <juan.perez@gmail.com>', sent.messageId))
    const candidates = findThreadCandidates(message, { messageIdDomains: ['atiende.mx'] })
    assert.equal(candidates.ourMessageIds[0].ticketId, '42')
    assert.equal(candidates.ourMessageIds[0].header, 'in-reply-to')
    assert.deepEqual(candidates.subjectNumbers, [11768])
    assert.deepEqual(candidates.referencedMessageIds, [sent.messageId, '<CAF=1st@mail.gmail.com>'])
    assert.deepEqual(findVerifiedReplyToken(message, candidates, SECRET), { ticketId: '42' })
  })

  it('does not let a customer\'s token pass for an agent\'s address', async () => {
    const toCustomer = buildOutboundHeaders(base)
    const spoofed = await parseMessage(reply('Agente <agente@atiende.mx>', toCustomer.messageId))
    const candidates = findThreadCandidates(spoofed, { messageIdDomains: ['atiende.mx'] })
    assert.equal(candidates.ourMessageIds.length, 1)
    assert.equal(findVerifiedReplyToken(spoofed, candidates, SECRET), null)

    const toAgent = buildOutboundHeaders({ ...base, recipient: 'agente@atiende.mx' })
    const genuine = await parseMessage(reply('Agente <Agente@Atiende.mx>', toAgent.messageId))
    assert.deepEqual(findVerifiedReplyToken(genuine, findThreadCandidates(genuine, { messageIdDomains: ['atiende.mx'] }), SECRET), { ticketId: '42' })
  })

  it('reads the token from a plus address in To when the client dropped In-Reply-To', async () => {
    const sent = buildOutboundHeaders({ ...base, recipient: 'agente@atiende.mx', plusAddressing: true })
    const to = /<(.+)>/.exec(sent.replyTo)?.[1] ?? ''
    const message = await parseMessage(Buffer.from(`From: agente@atiende.mx\r\nTo: ${to}\r\nSubject: x\r\n\r\nok\r\n`))
    const candidates = findThreadCandidates(message, { messageIdDomains: ['atiende.mx'], mailboxAddresses: ['soporte@atiende.mx'] })
    assert.equal(candidates.addressTokens[0].ticketId, '42')
    assert.deepEqual(findVerifiedReplyToken(message, candidates, SECRET), { ticketId: '42' })
    assert.equal(findVerifiedReplyToken(message, candidates, 'another-secret'), null)
    assert.deepEqual(findVerifiedReplyToken(message, candidates, ['another-secret', SECRET]), { ticketId: '42' })
  })

  it('writes a ticket UUID compactly in the plus address, so the part before the @ stays within 64 characters, and reads it back', async () => {
    const ticketId = '097840f2-af69-46ae-a672-ef988ccca871'
    const mailbox = { address: 'atencion.clientes@atiende.mx', name: 'Atención' }
    const sent = buildOutboundHeaders({ ...base, ticketId, mailbox, recipient: 'agente@atiende.mx', plusAddressing: true })
    const to = /<(.+)>/.exec(sent.replyTo)?.[1] ?? ''
    assert.ok(to.split('@')[0].length <= 64, to)
    // Some servers change the case of the part before the @.
    const message = await parseMessage(Buffer.from(`From: agente@atiende.mx\r\nTo: ${to.toUpperCase()}\r\nSubject: x\r\n\r\nok\r\n`))
    const candidates = findThreadCandidates(message, { messageIdDomains: ['atiende.mx'], mailboxAddresses: [mailbox.address] })
    assert.deepEqual(findVerifiedReplyToken(message, candidates, SECRET), { ticketId })
    // Plus addresses handed out before, with the whole UUID, still work.
    const long = `atencion.clientes+${ticketId}.${/\.([a-z2-7]{16})@/.exec(sent.messageId)![1]}@atiende.mx`
    const old = await parseMessage(Buffer.from(`From: agente@atiende.mx\r\nTo: ${long}\r\nSubject: x\r\n\r\nok\r\n`))
    assert.deepEqual(findVerifiedReplyToken(old, findThreadCandidates(old, { messageIdDomains: ['atiende.mx'], mailboxAddresses: [mailbox.address] }), SECRET), { ticketId })
  })
})
