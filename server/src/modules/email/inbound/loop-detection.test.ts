import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseMessage } from './parse-message'
import { classifyMessage, type MessageKind } from './loop-detection'
import { SHARED_MAIL_FIXTURES } from './fixtures/shared-fixtures'

const OURS = { ourAddresses: ['soporte@atiende.mx'] }
const shared = (file: string) => parseMessage(readFileSync(path.join(SHARED_MAIL_FIXTURES, file)))
const own = (name: string) => parseMessage(readFileSync(new URL(`./fixtures/es/${name}`, import.meta.url)))
const raw = (text: string) => parseMessage(Buffer.from(text.replace(/\n/g, '\r\n')))

// Kind and failed recipients for each sisimai fixture, checked by hand against the raw messages.
const SISIMAI: Record<string, [MessageKind, string[]]> = {
  'arf-01': ['feedback_report', []],
  'arf-02': ['feedback_report', []],
  'lhost-amazonses-01': ['bounce', ['shironeko@example.co.jp']],
  'lhost-exchange2003-01': ['bounce', ['kijitora@example.jp']],
  'lhost-exchange2007-06': ['bounce', ['transports@agglo-saumur.fr']],
  'lhost-exchange2007-07': ['bounce', ['kijitora@example.jp']],
  'lhost-exim-01': ['bounce', ['kijitora@example.ed.jp']],
  'lhost-exim-02': ['bounce', ['kijitora@example.jp', 'sabatora@example.jp']],
  'lhost-gmail-01': ['bounce', ['userunknown@example.jp']],
  'lhost-gmail-03': ['bounce', ['kijitora@example.co.jp']],
  'lhost-googlegroups-07': ['bounce', ['libsisimai@googlegroups.com']],
  'lhost-messagingserver-07': ['delivery_delayed', []],
  'lhost-office365-01': ['bounce', ['kijitora@example.com']],
  'lhost-office365-02': ['bounce', ['kijitora@example.onmicrosoft.com']],
  'lhost-outlook-01': ['bounce', ['kijitora@example.jp']],
  'lhost-postfix-01': ['bounce', ['kijitora@example.org']],
  'lhost-postfix-02': ['bounce', ['filtered@example.co.jp', 'userunknown@example.co.jp']],
  'lhost-postfix-03': ['bounce', ['kijitora@example.net']],
  'lhost-qmail-01': ['bounce', ['kijitora@example.ne.jp']],
  'lhost-sendmail-01': ['bounce', ['userunknown@bouncehammer.jp']],
  'lhost-sendmail-02': ['bounce', ['userunknown@example.org', 'filtered@example.com']],
  'lhost-yahoo-01': ['bounce', ['kijitora@example.org']],
  'rfc3464-01': ['bounce', ['userunknown@bouncehammer.jp']],
  'rfc3464-03': ['bounce', ['kijitora@example.com']],
  'rfc3834-01': ['auto_reply', []],
  'rfc3834-02': ['auto_reply', []],
  'rfc3834-03': ['auto_reply', []],
  'rfc3834-04': ['auto_reply', []],
  'rfc3834-05': ['auto_reply', []],
  'rfc3834-06': ['auto_reply', []],
  'rhost-google-01': ['bounce', ['shironeko@example.ne.jp']],
  'rhost-mimecast-01': ['bounce', ['sabatora@example.com']],
}

describe('classifyMessage on the sisimai bounce and auto-reply fixtures', { skip: !existsSync(SHARED_MAIL_FIXTURES) }, () => {
  for (const [name, [kind, failed]] of Object.entries(SISIMAI)) {
    it(`${name}: ${kind}${failed.length ? ` for ${failed.join(', ')}` : ''}, creates nothing`, async () => {
      const verdict = classifyMessage(await shared(`sisimai-set-of-emails/bounce-or-auto/${name}.eml`), OURS)
      assert.equal(verdict.kind, kind)
      assert.deepEqual(verdict.failedRecipients.map((r) => r.address), failed)
      assert.equal(verdict.createsTicket, false)
      assert.equal(verdict.mayNotify, false)
    })
  }

  it('reads status codes and permanence from DSN parts', async () => {
    const verdict = classifyMessage(await shared('sisimai-set-of-emails/bounce-or-auto/lhost-postfix-02.eml'), OURS)
    assert.deepEqual(verdict.failedRecipients.map((r) => [r.status, r.permanent]), [['5.2.1', true], ['5.1.1', true]])
  })

  it('treats the not-bounce fixtures as people, except the one that says it is an auto-reply', async () => {
    assert.equal(classifyMessage(await shared('sisimai-set-of-emails/not-bounce/is-not-bounce-01.eml'), OURS).kind, 'human')
    assert.equal(classifyMessage(await shared('sisimai-set-of-emails/not-bounce/is-not-bounce-02.eml'), OURS).kind, 'human')
    const autoReplied = classifyMessage(await shared('sisimai-set-of-emails/not-bounce/rb-issue-368-bug.eml'), OURS)
    assert.equal(autoReplied.kind, 'auto_reply')
    assert.deepEqual(autoReplied.failedRecipients, [])
  })

  it('finds every address of a bounce to several recipients (mikel multi_address_bounce1)', async () => {
    const verdict = classifyMessage(await shared('mikel-mail/multipart_report_emails/multi_address_bounce1.eml'), OURS)
    assert.equal(verdict.kind, 'bounce')
    assert.ok(verdict.failedRecipients.length >= 4)
  })

  it('classifies the mailing-list post (Stalwart thirdparty/014) as a list', async () => {
    assert.equal(classifyMessage(await shared('stalwart-mail-parser/thirdparty/014.eml'), OURS).kind, 'mailing_list')
  })
})

describe('classifyMessage on our own cases', () => {
  it('lets ordinary Spanish replies through', async () => {
    for (const name of ['gmail-reply.eml', 'outlook-reply.eml', 'apple-mail-reply.eml', 'thunderbird-reply.eml']) {
      const verdict = classifyMessage(await own(name), OURS)
      assert.equal(verdict.kind, 'human', name)
      assert.equal(verdict.createsTicket, true)
    }
  })

  it('catches an Outlook "Respuesta automática" with no Auto-Submitted header', async () => {
    const verdict = classifyMessage(await own('out-of-office.eml'), OURS)
    assert.equal(verdict.kind, 'auto_reply')
    assert.deepEqual(verdict.reasons, ['subject:auto-reply'])
  })

  it('catches "Fuera de la oficina", X-Autoreply and X-Autorespond, not a person\'s subject that starts alike', async () => {
    assert.equal(classifyMessage(await raw('From: a@b.mx\nSubject: Fuera de la oficina hasta el lunes\n\nx'), OURS).kind, 'auto_reply')
    assert.equal(classifyMessage(await raw('From: a@b.mx\nSubject: Respuesta automática: Re: [#10001] Falla\n\nx'), OURS).kind, 'auto_reply')
    assert.equal(classifyMessage(await raw('From: a@b.mx\nSubject: Ausente el técnico que iba a instalar el módem\n\nx'), OURS).kind, 'human')
    assert.equal(classifyMessage(await raw('From: a@b.mx\nSubject: Fuera de la oficina no puedo entrar a la VPN\n\nx'), OURS).kind, 'human')
    assert.equal(classifyMessage(await raw('From: a@b.mx\nSubject: Re: hola\nX-Autoreply: yes\n\nx'), OURS).kind, 'auto_reply')
    assert.equal(classifyMessage(await raw('From: a@b.mx\nSubject: Re: hola\nX-Autorespond: vacation\n\nx'), OURS).kind, 'auto_reply')
    assert.equal(classifyMessage(await raw('From: a@b.mx\nSubject: Re: out of office policy\n\nx'), OURS).kind, 'human')
  })

  it('treats mail from our own mailboxes and our notifications redirected back as our own', async () => {
    assert.equal(classifyMessage(await raw('From: Soporte <Soporte@Atiende.mx>\nSubject: x\n\nx'), OURS).kind, 'own_mail')
    assert.equal(classifyMessage(await raw('From: soporte+42.abcdefghijklmnop@atiende.mx\nSubject: x\n\nx'), OURS).kind, 'own_mail')
    const redirected = await raw('From: cliente@gmail.com\nSubject: [#11768] Recibimos su solicitud\nX-Atiende-Ticket: 11768\n\nx')
    assert.equal(classifyMessage(redirected, OURS).kind, 'own_mail')
  })

  it('separates other automated mail, lists and bulk, and can accept automated alerts', async () => {
    const alert = await raw('From: nagios@monitoreo.mx\nSubject: PROBLEM: disco lleno\nAuto-Submitted: auto-generated\n\nx')
    assert.deepEqual(classifyMessage(alert, OURS), {
      kind: 'auto_generated', reasons: ['header:auto-submitted'], createsTicket: false, mayNotify: false, failedRecipients: [],
    })
    assert.equal(classifyMessage(alert, { ...OURS, acceptAutoGenerated: true }).createsTicket, true)
    assert.equal(classifyMessage(await raw('From: a@b.mx\nSubject: x\nReturn-Path: <>\n\nx'), OURS).kind, 'auto_generated')
    assert.equal(classifyMessage(await raw('From: a@b.mx\nSubject: x\nAuto-Submitted: no\n\nx'), OURS).kind, 'human')
    assert.equal(classifyMessage(await raw('From: a@b.mx\nSubject: x\nPrecedence: list\n\nx'), OURS).kind, 'mailing_list')
    assert.equal(classifyMessage(await raw('From: a@b.mx\nSubject: x\nList-Unsubscribe: <mailto:u@b.mx>\n\nx'), OURS).kind, 'mailing_list')
    assert.equal(classifyMessage(await raw('From: a@b.mx\nSubject: x\nPrecedence: junk\n\nx'), OURS).kind, 'bulk')
  })

  it('never lists our own address as a failed recipient of a text bounce', async () => {
    const bounce = await raw(
      'From: MAILER-DAEMON@mx.cliente.mx\nTo: soporte@atiende.mx\nSubject: Undeliverable: [#11768] Recibimos su solicitud\n\n' +
        'Delivery has failed to these recipients or groups:\n\nsoporte@atiende.mx\njuan@cliente.mx\n',
    )
    assert.deepEqual(classifyMessage(bounce, OURS).failedRecipients.map((r) => r.address), ['juan@cliente.mx'])
  })

  it('takes a bounce subject or X-Failed-Recipients only from automated mail: a person\'s «No se puede entregar mi pedido» is a request', async () => {
    const human = await raw('From: maria@cliente.mx\nSubject: No se puede entregar mi pedido 4521\nX-Failed-Recipients: otra@cliente.mx\n\nNo se pudo entregar a los destinatarios:\notra@cliente.mx\n')
    const verdict = classifyMessage(human, OURS)
    assert.equal(verdict.kind, 'human')
    assert.deepEqual(verdict.failedRecipients, [])
    for (const subject of ['No entregado: pedido 77', 'Returned mail - devolución de mercancía', 'Delivery failure en la sucursal']) {
      assert.equal(classifyMessage(await raw(`From: maria@cliente.mx\nSubject: ${subject}\n\nx`), OURS).kind, 'human', subject)
    }
    const daemon = await raw('From: MAILER-DAEMON@mx.cliente.mx\nSubject: Undeliverable: Re: [#10001]\nX-Failed-Recipients: otra@cliente.mx\n\nx')
    assert.equal(classifyMessage(daemon, OURS).kind, 'bounce')
  })
})
