import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { sql } from 'kysely'
import { ImapFlow } from 'imapflow'
import type { FastifyBaseLogger } from 'fastify'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { listMailboxRecords } from '../mailboxes/mailbox-directory'
import { dovecotUnavailable, startDovecot } from '../test-support/dovecot'
import { ImapPoller } from './imap-poller'

const unavailable = dovecotUnavailable()
const PASSWORD = 'clave-imap-secreta'
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A loopback port nobody listens on (bound once, then released: connections to it are refused). */
async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Counts the TCP connections this process opens to `port` or `host` (imapflow connects with net.connect). */
function countConnections(to: { port?: number; host?: string }) {
  const original = net.connect
  let count = 0
  net.connect = function (this: unknown, ...args: unknown[]) {
    const target = args[0] as { port?: number | string; host?: string } | number
    const port = typeof target === 'object' ? Number(target.port) : Number(target)
    const host = typeof target === 'object' ? target.host : args[1]
    if ((to.port === undefined || to.port === port) && (to.host === undefined || to.host === host)) count++
    return (original as (...a: unknown[]) => net.Socket).apply(this, args)
  } as typeof net.connect
  return { get count() { return count }, restore() { net.connect = original } }
}

/** A TCP server on loopback that does what `onSocket` says with each connection, and counts them. */
async function tcpServer(onSocket: (socket: net.Socket) => void, port = 0) {
  const sockets = new Set<net.Socket>()
  let count = 0
  const server = net.createServer((socket) => {
    count++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    onSocket(socket)
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    port: (server.address() as net.AddressInfo).port,
    get count() { return count },
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

/** A logger that keeps what the poller says. */
function recordingLog() {
  const lines: Array<{ level: string; msg: string; obj: Record<string, unknown> }> = []
  const at = (level: string) => (obj: Record<string, unknown>, msg: string) => { lines.push({ level, msg, obj }) }
  const log = { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), trace: at('trace'), fatal: at('fatal'), level: 'debug', silent: () => {} }
  return { lines, log: { ...log, child: () => log } as unknown as FastifyBaseLogger }
}

const activeTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

const waitUntil = async (check: () => Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await delay(50)
  }
  throw new Error('condition not met in time')
}

/**
 * A mailbox that cannot be reached is retried with backoff (base × 2ⁿ): not in a loop driven by
 * the failed connection's own events, with one log line for a repeated failure, no timers left
 * behind and a prompt stop; once the server is there again, its mail is read.
 */
describe('IMAP poller retries', () => {
  let env: TestEnv
  let admin: Client

  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
  })
  after(async () => { await env?.close() })

  async function mailboxOn(address: string, port: number, host = '127.0.0.1') {
    const res = await admin.post('/api/v1/mailboxes', {
      address, name: address, inbound: 'imap', imapHost: host, imapPort: port, imapSecure: false, imapUser: address, imapPassword: PASSWORD,
    })
    assert.equal(res.statusCode, 201, res.body)
    return (await listMailboxRecords(env.ctx.db)).find((m) => m.address === address)!
  }

  it('retries a refused connection with backoff, logs the repeated failure once and leaves no timers after stop', async () => {
    const port = await closedPort()
    const mailbox = await mailboxOn('cerrado@ayuda.test', port)
    const { lines, log } = recordingLog()
    const timersBefore = activeTimers()
    const connections = countConnections({ port })
    const poller = new ImapPoller({ ...env.ctx, log }, { mailbox, password: PASSWORD }, { pollMs: 60_000, retryBaseMs: 200 })
    try {
      poller.start()
      await delay(2000)
    } finally {
      const stopping = Date.now()
      await poller.stop()
      connections.restore()
      assert.ok(Date.now() - stopping < 500, `stop() ended in ${Date.now() - stopping} ms`)
    }
    // 0, 200, 600, 1400 ms (then 3000): 4 attempts in 2 s; the old loop made hundreds.
    assert.ok(connections.count >= 2 && connections.count <= 4, `${connections.count} connection attempts in 2 s`)
    const failures = lines.filter((l) => l.msg.startsWith('IMAP mailbox could not be read'))
    assert.equal(failures.length, 1, 'the same failure is logged once, then only at debug level')
    assert.equal(failures[0].obj.code, 'connection_refused')
    assert.ok(lines.filter((l) => l.level === 'warn' || l.level === 'error').length <= 1, JSON.stringify(lines.map((l) => l.msg)))
    const row = (await sql<{ last_error: string }>`select last_error from mailboxes where id = ${mailbox.id}`.execute(env.ctx.db)).rows[0]
    assert.match(row.last_error, /^\[connection_refused\] connect ECONNREFUSED 127\.0\.0\.1:\d+/)
    await delay(50)
    assert.ok(activeTimers() <= timersBefore, `timers: ${timersBefore} before, ${activeTimers()} after stop`)
  })

  it('retries a host name that does not resolve with backoff too', async () => {
    // .invalid never resolves (RFC 6761).
    const host = 'buzon-inexistente.invalid'
    const mailbox = await mailboxOn('sin-dns@ayuda.test', 993, host)
    const connections = countConnections({ host })
    const poller = new ImapPoller(env.ctx, { mailbox, password: PASSWORD }, { pollMs: 60_000, retryBaseMs: 200 })
    try {
      poller.start()
      await delay(2000)
    } finally {
      await poller.stop()
      connections.restore()
    }
    assert.ok(connections.count >= 1 && connections.count <= 4, `${connections.count} connection attempts in 2 s`)
    const row = (await sql<{ last_error: string }>`select last_error from mailboxes where id = ${mailbox.id}`.execute(env.ctx.db)).rows[0]
    assert.match(row.last_error, /^\[host_not_found\] getaddrinfo (ENOTFOUND|EAI_AGAIN)/)
  })

  it('stops promptly while a connection waits for a greeting that never comes, and while it waits to retry', async () => {
    const silent = await tcpServer(() => {})
    const mailbox = await mailboxOn('mudo@ayuda.test', silent.port)
    const poller = new ImapPoller(env.ctx, { mailbox, password: PASSWORD }, { pollMs: 60_000, retryBaseMs: 200 })
    poller.start()
    await waitUntil(async () => silent.count === 1)
    let started = Date.now()
    await poller.stop()
    assert.ok(Date.now() - started < 1000, `stop() during connect took ${Date.now() - started} ms`)
    await silent.close()

    const refused = new ImapPoller(env.ctx, { mailbox: await mailboxOn('espera@ayuda.test', await closedPort()), password: PASSWORD }, { pollMs: 60_000, retryBaseMs: 30_000 })
    refused.start()
    await delay(300)
    started = Date.now()
    await refused.stop()
    assert.ok(Date.now() - started < 500, `stop() during a 30 s retry wait took ${Date.now() - started} ms`)
  })

  it('reads the mailbox again once its server is back', { skip: unavailable ?? false }, async () => {
    const dovecot = await startDovecot({ 'vuelve@ayuda.test': PASSWORD })
    const port = await closedPort()
    const mailbox = await mailboxOn('vuelve@ayuda.test', port)
    const appendMail = async () => {
      const c = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: 'vuelve@ayuda.test', pass: PASSWORD }, logger: false })
      await c.connect()
      await c.append('INBOX', Buffer.from(['From: Ana <ana@cliente.mx>', 'To: vuelve@ayuda.test', 'Subject: Vuelve el servidor',
        'Message-ID: <vuelve-1@cliente.mx>', 'Date: Mon, 2 Mar 2026 10:00:00 -0600', 'Content-Type: text/plain; charset=utf-8', '', 'Hola.', ''].join('\r\n')))
      await c.logout()
    }
    let proxy: Awaited<ReturnType<typeof tcpServer>> | null = null
    const poller = new ImapPoller(env.ctx, { mailbox, password: PASSWORD }, { pollMs: 60_000, retryBaseMs: 200, retryMaxMs: 400 })
    const connections = countConnections({ port })
    try {
      await appendMail()
      poller.start()
      const lastError = async () => (await admin.get(`/api/v1/mailboxes/${mailbox.id}`, { 'accept-language': 'en' })).json()
      await waitUntil(async () => (await lastError()).lastErrorCode === 'connection_refused')
      assert.equal((await lastError()).lastError, 'The IMAP server refused the connection: check the server and the port.')
      await delay(1000)
      // About one attempt per 400 ms while the server is away (0, 200, 600, 1000 … ms).
      assert.ok(connections.count <= 6, `${connections.count} connection attempts during a 1 s outage`)
      // The server comes back on the mailbox's port (a relay to Dovecot).
      proxy = await tcpServer((socket) => {
        const upstream = net.connect(dovecot.port, '127.0.0.1')
        upstream.on('error', () => socket.destroy())
        socket.pipe(upstream).pipe(socket)
        socket.on('close', () => upstream.destroy())
      }, port)
      await waitUntil(async () => (await sql<{ n: number }>`select count(*)::int as n from tickets where subject = 'Vuelve el servidor'`.execute(env.ctx.db)).rows[0].n === 1)
      await waitUntil(async () => (await lastError()).lastError === null)
      assert.equal((await lastError()).lastErrorCode, null)
    } finally {
      connections.restore()
      await poller.stop()
      await proxy?.close()
      await dovecot.stop()
    }
  })
})

if (unavailable) console.log(`# IMAP server-returns test skipped: ${unavailable}`)
