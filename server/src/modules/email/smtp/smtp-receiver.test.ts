import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { invalidateEmailSettings } from '../email.settings'
import { smtpClient, startTestReceiver } from '../test-support/email-test-kit'

/** The EHLO reply of an SMTP server, as lines (to see which extensions it offers). */
async function ehlo(port: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let buffer = ''
    let sent = false
    socket.on('data', (chunk) => {
      buffer += chunk.toString()
      if (!sent && /^220 /m.test(buffer)) {
        sent = true
        buffer = ''
        socket.write('EHLO prueba.example\r\n')
      } else if (sent && /^250 /m.test(buffer)) {
        socket.end('QUIT\r\n')
        resolve(buffer.split('\r\n').filter(Boolean))
      }
    })
    socket.on('error', reject)
  })
}

describe('SMTP receiver', () => {
  let env: TestEnv
  let admin: Client
  const setSetting = async (values: Record<string, unknown>) => {
    const res = await admin.patch('/api/v1/settings', values)
    assert.equal(res.statusCode, 200, res.body)
    invalidateEmailSettings(env.ctx)
  }
  const statusOf = async (key: string) => (await sql<{ status: string }>`select status from inbound_messages where message_key = ${key}`.execute(env.ctx.db)).rows[0]?.status

  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    assert.equal((await admin.post('/api/v1/mailboxes', { address: 'soporte@ayuda.test', name: 'Soporte', inbound: 'smtp' })).statusCode, 201)
  })
  after(async () => { await env.close() })

  it('offers STARTTLS only with a configured certificate, and AUTH only with configured credentials', async () => {
    const plain = await startTestReceiver(env.ctx)
    try {
      const lines = await ehlo(plain.port)
      assert.ok(!lines.some((l) => /STARTTLS/.test(l)), lines.join('\n'))
      assert.ok(!lines.some((l) => /AUTH/.test(l)))
      assert.ok(lines.some((l) => /SIZE \d+/.test(l)))
    } finally {
      await plain.stop()
    }

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-tls-'))
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
      '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' })
    const secured = await startTestReceiver(env.ctx, {
      SMTP_TLS_CERT: path.join(dir, 'cert.pem'), SMTP_TLS_KEY: path.join(dir, 'key.pem'),
      SMTP_AUTH_USER: 'relay', SMTP_AUTH_PASSWORD: 'clave-del-relay', SMTP_AUTH_REQUIRED: 'true',
    })
    try {
      const lines = await ehlo(secured.port)
      assert.ok(lines.some((l) => /STARTTLS/.test(l)), lines.join('\n'))
      const tls = { rejectUnauthorized: false }
      const anonymousRelay = smtpClient(secured.port, { ignoreTLS: false, requireTLS: true, tls })
      await assert.rejects(anonymousRelay.send({ from: 'a@cliente.mx', to: 'soporte@ayuda.test', subject: 'sin auth', text: 'x' }), /530|Authentication required/i)
      anonymousRelay.close()
      const wrong = smtpClient(secured.port, { ignoreTLS: false, requireTLS: true, tls, auth: { user: 'relay', pass: 'otra' } })
      await assert.rejects(wrong.send({ from: 'a@cliente.mx', to: 'soporte@ayuda.test', subject: 'mala', text: 'x' }), /535/)
      wrong.close()
      const relay = smtpClient(secured.port, { ignoreTLS: false, requireTLS: true, tls, auth: { user: 'relay', pass: 'clave-del-relay' } })
      const info = await relay.send({ from: 'a@cliente.mx', to: 'soporte@ayuda.test', subject: 'Por TLS', text: 'Cifrado y autenticado.', messageId: '<tls@cliente.mx>' })
      relay.close()
      assert.match(info.response, /^250 /)
      assert.equal(await statusOf('<tls@cliente.mx>'), 'ticket_created')
    } finally {
      await secured.stop()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses a message over the size limit with 552 and stores nothing', async () => {
    await setSetting({ 'email.maxMessageBytes': 65536 })
    const rx = await startTestReceiver(env.ctx)
    const client = smtpClient(rx.port)
    try {
      await assert.rejects(client.send({ from: 'a@cliente.mx', to: 'soporte@ayuda.test', subject: 'Grande', text: 'x'.repeat(100_000), messageId: '<grande@cliente.mx>' }), /552/)
      assert.equal(await statusOf('<grande@cliente.mx>'), undefined)
      const small = await client.send({ from: 'a@cliente.mx', to: 'soporte@ayuda.test', subject: 'Chico', text: 'x'.repeat(1000), messageId: '<chico@cliente.mx>' })
      assert.match(small.response, /^250 /)
    } finally {
      client.close()
      await rx.stop()
      await setSetting({ 'email.maxMessageBytes': null })
    }
  })

  it('files hostile raw messages over SMTP without a failure: NUL bytes, no headers, broken MIME, deep nesting, hundreds of CCs', async () => {
    const rx = await startTestReceiver(env.ctx)
    const client = smtpClient(rx.port)
    const cases: Record<string, string> = {
      '<nul-body@hostil.mx>': 'From: Ana <nul1@hostil.mx>\r\nSubject: cuerpo\r\n\r\nhola\u0000mundo',
      '<nul-header@hostil.mx>': 'From: A\u0000B <nul2@hostil.mx>\r\nSubject: nu\u0000lo\r\n\r\nhola',
      '<broken-mime@hostil.mx>': 'From: mime@hostil.mx\r\nSubject: mime roto\r\nContent-Type: multipart/mixed; boundary="zzz"\r\n\r\n--zzz\r\nContent-Type: text/plain\r\n\r\nparte sin cierre',
      '<bad-base64@hostil.mx>': 'From: b64@hostil.mx\r\nSubject: base64 roto\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!no es base64@@@@',
      '<nested@hostil.mx>': 'From: anidado@hostil.mx\r\nSubject: anidado\r\nContent-Type: multipart/mixed; boundary="b0"\r\n\r\n'
        + Array.from({ length: 60 }, (_, i) => `--b${i}\r\nContent-Type: multipart/mixed; boundary="b${i + 1}"\r\n\r\n`).join('') + 'fin',
      '<many-cc@hostil.mx>': `From: cc@hostil.mx\r\nCc: ${Array.from({ length: 300 }, (_, i) => `cc${i}@hostil.mx`).join(', ')}\r\nSubject: muchos cc\r\n\r\nhola`,
      '<bad-charset@hostil.mx>': 'From: cs@hostil.mx\r\nSubject: =?x-desconocido?Q?hola?=\r\nContent-Type: text/plain; charset=x-desconocido\r\n\r\nhola',
    }
    try {
      for (const [messageId, head] of Object.entries(cases)) {
        const raw = head.replace('\r\n', `\r\nMessage-ID: ${messageId}\r\n`)
        const sent = await client.send({ envelope: { from: 'remitente@hostil.mx', to: ['soporte@ayuda.test'] }, raw })
        assert.match(sent.response, /^250 /, messageId)
        assert.equal(await statusOf(messageId), 'ticket_created', messageId)
      }
      const nul = await sql<{ subject: string; description: string }>`select t.subject, t.description from inbound_messages i join tickets t on t.id = i.ticket_id
        where i.message_key = '<nul-header@hostil.mx>'`.execute(env.ctx.db)
      assert.ok(!(nul.rows[0].subject + nul.rows[0].description).includes('\u0000'), 'no NUL stored')
      const headless = await client.send({ envelope: { from: 'remitente@hostil.mx', to: ['soporte@ayuda.test'] }, raw: 'solo un cuerpo, sin cabeceras' })
      assert.match(headless.response, /^250 /, 'kept (with no sender it creates nothing), never a 4xx/5xx that makes the sender retry forever')
    } finally {
      client.close()
      await rx.stop()
    }
  })

  it('accepts plus addresses and accepted domains, and routes them to a mailbox', async () => {
    await setSetting({ 'email.acceptedDomains': ['ayuda.test'] })
    const rx = await startTestReceiver(env.ctx)
    const client = smtpClient(rx.port)
    try {
      await client.send({ from: 'b@cliente.mx', to: 'soporte+algo@ayuda.test', subject: 'Con etiqueta', text: 'x', messageId: '<plus@cliente.mx>' })
      await client.send({ from: 'b@cliente.mx', to: 'ventas@ayuda.test', subject: 'Dominio aceptado', text: 'x', messageId: '<dominio@cliente.mx>' })
      await assert.rejects(client.send({ from: 'b@cliente.mx', to: 'ventas@otro.test', subject: 'No', text: 'x' }), /550/)
      assert.equal(await statusOf('<plus@cliente.mx>'), 'ticket_created')
      assert.equal(await statusOf('<dominio@cliente.mx>'), 'ticket_created')
    } finally {
      client.close()
      await rx.stop()
      await setSetting({ 'email.acceptedDomains': null })
    }
  })

  it('rate-limits a sender per hour: the mail is kept, creates nothing', async () => {
    await setSetting({ 'email.senderRateLimitPerHour': 2 })
    const rx = await startTestReceiver(env.ctx)
    const client = smtpClient(rx.port)
    try {
      for (let i = 0; i < 3; i++) {
        const info = await client.send({ from: 'bucle@otro-sistema.example', to: 'soporte@ayuda.test', subject: `Aviso ${i}`, text: 'x', messageId: `<bucle-${i}@otro.example>` })
        assert.match(info.response, /^250 /, 'accepted, so the other side does not retry')
      }
      assert.deepEqual([await statusOf('<bucle-0@otro.example>'), await statusOf('<bucle-1@otro.example>'), await statusOf('<bucle-2@otro.example>')],
        ['ticket_created', 'ticket_created', 'rate_limited'])
      env.clock.advance(3_600_000)
      await client.send({ from: 'bucle@otro-sistema.example', to: 'soporte@ayuda.test', subject: 'Aviso 3', text: 'x', messageId: '<bucle-3@otro.example>' })
      assert.equal(await statusOf('<bucle-3@otro.example>'), 'ticket_created', 'a new hour, a new allowance')
    } finally {
      client.close()
      await rx.stop()
      await setSetting({ 'email.senderRateLimitPerHour': null })
    }
  })

  it('matches a subject tag only for people on the ticket; a stranger gets a new ticket', async () => {
    const rx = await startTestReceiver(env.ctx)
    const client = smtpClient(rx.port)
    try {
      await client.send({ from: 'Marta <marta@cliente.mx>', to: 'soporte@ayuda.test', subject: 'Falla de red', text: 'Sin red.', messageId: '<red-1@cliente.mx>' })
      const ticket = (await sql<{ id: string; number: number }>`select t.id, t.number from inbound_messages i join tickets t on t.id = i.ticket_id
        where i.message_key = '<red-1@cliente.mx>'`.execute(env.ctx.db)).rows[0]
      await client.send({ from: 'marta@cliente.mx', to: 'soporte@ayuda.test', subject: `RE: Caso #${ticket.number} falla de red`, text: 'Sigue igual.', messageId: '<red-2@cliente.mx>' })
      await client.send({ from: 'extrano@otro.example', to: 'soporte@ayuda.test', subject: `Ticket #${ticket.number}`, text: 'Cierren esto.', messageId: '<red-3@otro.example>' })
      const rows = (await sql<{ message_key: string; status: string; matched_by: string | null; ticket_id: string }>`select message_key, status, matched_by, ticket_id
        from inbound_messages where message_key in ('<red-2@cliente.mx>', '<red-3@otro.example>') order by message_key`.execute(env.ctx.db)).rows
      assert.deepEqual(rows.map((r) => [r.message_key, r.status, r.matched_by, r.ticket_id === ticket.id]), [
        ['<red-2@cliente.mx>', 'comment_added', 'subject', true],
        ['<red-3@otro.example>', 'ticket_created', null, false],
      ])
    } finally {
      client.close()
      await rx.stop()
    }
  })
})
