import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { sql } from 'kysely'
import { ImapFlow } from 'imapflow'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { listMailboxRecords } from '../mailboxes/mailbox-directory'
import { dovecotUnavailable, startDovecot } from '../test-support/dovecot'
import { ImapPoller } from './imap-poller'
import { classifyImapError, isImapHost, storedImapError } from './imap-errors'

const unavailable = dovecotUnavailable()
const PASSWORD = 'clave-imap-secreta'

/** What connecting with these options throws, classified. */
async function failureOf(opts: { host: string; port: number; secure?: boolean; greetingTimeout?: number; pass?: string; user?: string }) {
  const client = new ImapFlow({
    host: opts.host, port: opts.port, secure: opts.secure ?? false, auth: { user: opts.user ?? 'u', pass: opts.pass ?? 'p' }, logger: false,
    greetingTimeout: opts.greetingTimeout, connectionTimeout: 5000, tls: { rejectUnauthorized: true },
  })
  client.on('error', () => {})
  try {
    await client.connect()
  } catch (err) {
    return classifyImapError(err)
  } finally {
    client.close()
  }
  throw new Error('connected')
}

/** A loopback TCP server doing `onSocket` with each connection; close() also ends the connections it holds. */
async function listen(onSocket: (socket: net.Socket) => void) {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    onSocket(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy()
      server.close(resolve)
    }),
  }
}

describe('IMAP errors: classified from what really fails', () => {
  it('names a refused connection, an unknown host, a silent server and a TLS mismatch', async () => {
    const closed = await listen(() => {})
    const port = closed.port
    await closed.close()
    assert.equal((await failureOf({ host: '127.0.0.1', port })).code, 'connection_refused')
    assert.equal((await failureOf({ host: 'buzon-inexistente.invalid', port: 993 })).code, 'host_not_found')
    const silent = await listen(() => {})
    const plain = await listen((socket) => socket.write('* OK IMAP4rev1 listo\r\n'))
    try {
      assert.equal((await failureOf({ host: '127.0.0.1', port: silent.port, greetingTimeout: 200 })).code, 'timeout')
      // Secure (TLS) against a plain-text server.
      const tls = await failureOf({ host: '127.0.0.1', port: plain.port, secure: true })
      assert.equal(tls.code, 'tls_failed', tls.detail)
    } finally {
      await silent.close()
      await plain.close()
    }
  })

  it('names a rejected login and a folder that does not exist (real Dovecot)', { skip: unavailable ?? false }, async () => {
    const dovecot = await startDovecot({ 'carpeta@ayuda.test': PASSWORD })
    const env = await createTestEnv()
    try {
      const auth = await failureOf({ host: '127.0.0.1', port: dovecot.port, user: 'carpeta@ayuda.test', pass: 'otra-clave' })
      assert.equal(auth.code, 'auth_failed', auth.detail)
      const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
      assert.equal((await admin.post('/api/v1/mailboxes', {
        address: 'carpeta@ayuda.test', name: 'Carpeta', inbound: 'imap', imapHost: '127.0.0.1', imapPort: dovecot.port, imapSecure: false,
        imapUser: 'carpeta@ayuda.test', imapPassword: PASSWORD, imapFolder: 'NoExiste',
      })).statusCode, 201)
      const mailbox = (await listMailboxRecords(env.ctx.db)).find((m) => m.address === 'carpeta@ayuda.test')!
      const poller = new ImapPoller(env.ctx, { mailbox, password: PASSWORD }, { pollMs: 60_000 })
      const folder = await poller.syncOnce().then(() => null, (err: unknown) => classifyImapError(err))
      await poller.stop()
      assert.equal(folder?.code, 'folder_not_found', folder?.detail)
    } finally {
      await env.close()
      await dovecot.stop()
    }
  })
})

describe('isImapHost', () => {
  it('takes host names and IP literals only', () => {
    for (const ok of ['imap.gmail.com', 'mail', 'MAIL-1.Example.MX', 'imap.example.com.', 'srv_mail.corp.local', '127.0.0.1', '::1', '2001:db8::25']) {
      assert.equal(isImapHost(ok), true, ok)
    }
    for (const bad of ['no host with spaces!', ' imap.example.com', 'imap..example.com', '-imap.example.com', 'imap.example.com/', 'imap:993',
      'https://imap.example.com', '999.1.1.1', '[::1]', 'imap.ex ample.com', `${'a'.repeat(64)}.com`, 'ímap.example.com']) {
      assert.equal(isImapHost(bad), false, bad)
    }
  })
})

describe('GET/POST/PATCH /api/v1/mailboxes: IMAP host and last error', () => {
  let env: TestEnv
  let admin: Client
  let id: string

  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    const res = await admin.post('/api/v1/mailboxes', {
      address: 'soporte@qa.example', name: 'Soporte QA', inbound: 'imap', imapHost: '127.0.0.1', imapPort: 1, imapUser: 'u', imapPassword: 'p',
    })
    assert.equal(res.statusCode, 201, res.body)
    id = res.json().id
  })
  after(async () => { await env?.close() })

  it('refuses an imapHost that is not a host name or IP (400, naming the field, in Spanish or English)', async () => {
    const body = { address: 'qa2@qa.example', name: 'QA', inbound: 'imap', imapHost: 'no host with spaces!', imapUser: 'u', imapPassword: 'p' }
    const es = await admin.post('/api/v1/mailboxes', body)
    assert.equal(es.statusCode, 400)
    assert.equal(es.json().error.code, 'validation_failed')
    assert.match(es.json().error.message, /servidor IMAP \(imapHost\) debe ser un nombre de host .* o una dirección IP/)
    const en = await admin.post('/api/v1/mailboxes', body, { 'accept-language': 'en' })
    assert.equal(en.statusCode, 400)
    assert.match(en.json().error.message, /IMAP server \(imapHost\) must be a host name .* or an IP address/)
    const patch = await admin.patch(`/api/v1/mailboxes/${id}`, { imapHost: 'imap.example.com:993' })
    assert.equal(patch.statusCode, 400)
    assert.equal((await admin.patch(`/api/v1/mailboxes/${id}`, { imapHost: '::1' })).json().imapHost, '::1')
    assert.equal((await admin.patch(`/api/v1/mailboxes/${id}`, { imapHost: 'imap.qa.example' })).json().imapHost, 'imap.qa.example')
  })

  it('gives the last error as a code, a message in the caller\'s language and the raw detail', async () => {
    const setError = (value: string | null) => sql`update mailboxes set last_error = ${value} where id = ${id}`.execute(env.ctx.db)
    const cases: Array<[string, string, RegExp, RegExp, string]> = [
      [storedImapError({ code: 'connection_refused', detail: 'connect ECONNREFUSED 127.0.0.1:1' }), 'connection_refused', /rechazó la conexión/, /refused the connection/, 'connect ECONNREFUSED 127.0.0.1:1'],
      [storedImapError({ code: 'auth_failed', detail: 'Command failed: Authentication failed.' }), 'auth_failed', /rechazó el usuario o la contraseña/, /refused the user or the password/, 'Command failed: Authentication failed.'],
      // Written before codes were: classified from the text.
      ['getaddrinfo ENOTFOUND imap.qa.example', 'host_not_found', /No se encontró el servidor IMAP/, /was not found/, 'getaddrinfo ENOTFOUND imap.qa.example'],
      ['connect ECONNREFUSED 127.0.0.1:1', 'connection_refused', /rechazó la conexión/, /refused the connection/, 'connect ECONNREFUSED 127.0.0.1:1'],
      ['Algo raro pasó', 'other', /No se pudo leer el buzón IMAP/, /could not be read/, 'Algo raro pasó'],
    ]
    for (const [stored, code, es, en, detail] of cases) {
      await setError(stored)
      const inSpanish = (await admin.get(`/api/v1/mailboxes/${id}`)).json()
      assert.equal(inSpanish.lastErrorCode, code, stored)
      assert.match(inSpanish.lastError, es)
      assert.equal(inSpanish.lastErrorDetail, detail)
      const inEnglish = (await admin.get('/api/v1/mailboxes', { 'accept-language': 'en' })).json().items.find((m: { id: string }) => m.id === id)
      assert.match(inEnglish.lastError, en)
      assert.equal(inEnglish.lastErrorCode, code)
    }
    await setError(null)
    const clean = (await admin.get(`/api/v1/mailboxes/${id}`)).json()
    assert.deepEqual([clean.lastError, clean.lastErrorCode, clean.lastErrorDetail], [null, null, null])
  })
})

if (unavailable) console.log(`# Dovecot tests skipped: ${unavailable}`)
