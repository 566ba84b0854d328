import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { ImapFlow } from 'imapflow'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { listMailboxRecords } from '../mailboxes/mailbox-directory'
import { dovecotUnavailable, startDovecot } from '../test-support/dovecot'
import { ImapPoller, PROCESSED_KEYWORD } from './imap-poller'
import { startImapPollers } from './imap-pollers'

const unavailable = dovecotUnavailable()
const PASSWORD = 'clave-imap-secreta'

function mail(id: string, subject: string, from = 'Juan Pérez <juan@cliente.mx>') {
  return Buffer.from([
    `From: ${from}`, 'To: soporte@ayuda.test', `Subject: ${subject}`, `Message-ID: <${id}@cliente.mx>`, 'Date: Mon, 2 Mar 2026 10:00:00 -0600',
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', `Hola, ${subject}.`, '',
  ].join('\r\n'))
}

const waitUntil = async (check: () => Promise<boolean>, ms = 45_000) => {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('condition not met in time')
}

/**
 * IMAP against a real Dovecot started by the test: messages become tickets once, are moved or
 * flagged, new mail arrives through IDLE, and a restart of the server or of the poller does
 * not duplicate anything.
 */
describe('IMAP mailboxes (real Dovecot)', { skip: unavailable ?? false }, () => {
  let env: TestEnv
  let admin: Client
  let dovecot: Awaited<ReturnType<typeof startDovecot>>
  const client = (user: string) => new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user, pass: PASSWORD }, logger: false })
  const append = async (user: string, raw: Buffer) => {
    const c = client(user)
    await c.connect()
    await c.append('INBOX', raw)
    await c.logout()
  }
  const folderCount = async (user: string, folder: string) => {
    const c = client(user)
    await c.connect()
    const status = await c.status(folder, { messages: true })
    await c.logout()
    return status ? status.messages ?? 0 : 0
  }
  const tickets = async (subjectLike: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from tickets where subject like ${subjectLike}`.execute(env.ctx.db)).rows[0].n
  const mailbox = async (address: string) => (await listMailboxRecords(env.ctx.db)).find((m) => m.address === address)!

  before(async () => {
    dovecot = await startDovecot({ 'soporte@ayuda.test': PASSWORD, 'ventas@ayuda.test': PASSWORD })
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    for (const [address, action] of [['soporte@ayuda.test', 'move'], ['ventas@ayuda.test', 'flag']] as const) {
      const res = await admin.post('/api/v1/mailboxes', {
        address, name: address, inbound: 'imap', imapHost: '127.0.0.1', imapPort: dovecot.port, imapSecure: false, imapUser: address,
        imapPassword: PASSWORD, processedAction: action,
      })
      assert.equal(res.statusCode, 201, res.body)
      assert.equal(res.json().imapPasswordSet, true)
      assert.equal(JSON.stringify(res.json()).includes(PASSWORD), false, 'the password is never returned')
    }
  })

  after(async () => {
    await env?.close()
    await dovecot?.stop()
  })

  it('turns pending messages into tickets once and moves them to the processed folder', async () => {
    await append('soporte@ayuda.test', mail('imap-1', 'IMAP uno'))
    await append('soporte@ayuda.test', mail('imap-2', 'IMAP dos'))
    const poller = new ImapPoller(env.ctx, { mailbox: await mailbox('soporte@ayuda.test'), password: PASSWORD }, { pollMs: 60_000 })
    assert.equal(await poller.syncOnce(), 2)
    assert.equal(await tickets('IMAP %'), 2)
    assert.equal(await folderCount('soporte@ayuda.test', 'INBOX'), 0)
    assert.equal(await folderCount('soporte@ayuda.test', 'Procesados'), 2)
    assert.equal(await poller.syncOnce(), 0, 'nothing left to do')
    await poller.stop()
    const row = (await sql<{ imap_uid_validity: number; imap_last_uid: number; last_error: string | null }>`select imap_uid_validity, imap_last_uid, last_error
      from mailboxes where address = 'soporte@ayuda.test'`.execute(env.ctx.db)).rows[0]
    assert.ok(row.imap_uid_validity > 0)
    assert.equal(row.imap_last_uid, 2)
    assert.equal(row.last_error, null)
  })

  it('does not duplicate a message committed before the poller died (re-delivered, then moved)', async () => {
    // The same message appears again in the inbox (e.g. the move never happened): recognised by Message-ID.
    await append('soporte@ayuda.test', mail('imap-1', 'IMAP uno'))
    const poller = new ImapPoller(env.ctx, { mailbox: await mailbox('soporte@ayuda.test'), password: PASSWORD }, { pollMs: 60_000 })
    assert.equal(await poller.syncOnce(), 1)
    await poller.stop()
    assert.equal(await tickets('IMAP %'), 2)
    assert.equal(await folderCount('soporte@ayuda.test', 'INBOX'), 0)
    const dup = (await sql<{ n: number }>`select count(*)::int as n from inbound_messages where message_key = '<imap-1@cliente.mx>'`.execute(env.ctx.db)).rows[0].n
    assert.equal(dup, 1)
  })

  it('flags processed messages in flag mode and leaves them in the inbox', async () => {
    await append('ventas@ayuda.test', mail('ventas-1', 'IMAP ventas'))
    const poller = new ImapPoller(env.ctx, { mailbox: await mailbox('ventas@ayuda.test'), password: PASSWORD }, { pollMs: 60_000 })
    assert.equal(await poller.syncOnce(), 1)
    assert.equal(await poller.syncOnce(), 0)
    await poller.stop()
    const c = client('ventas@ayuda.test')
    await c.connect()
    const lock = await c.getMailboxLock('INBOX')
    const msg = await c.fetchOne('1', { flags: true })
    lock.release()
    await c.logout()
    assert.ok(msg && msg.flags?.has(PROCESSED_KEYWORD) && msg.flags.has('\\Seen'))
    assert.equal(await tickets('IMAP ventas'), 1)
  })

  it('picks up new mail through IDLE and keeps going after the server restarts', async () => {
    const poller = new ImapPoller(env.ctx, { mailbox: await mailbox('soporte@ayuda.test'), password: PASSWORD }, { pollMs: 60_000 })
    poller.start()
    try {
      await waitUntil(async () => (await sql<{ c: Date | null }>`select last_checked_at as c from mailboxes where address = 'soporte@ayuda.test'`.execute(env.ctx.db)).rows[0].c !== null)
      const started = Date.now()
      await append('soporte@ayuda.test', mail('idle-1', 'IMAP idle'))
      await waitUntil(async () => (await tickets('IMAP idle')) === 1)
      assert.ok(Date.now() - started < 10_000, 'IDLE reported it well before the 60 s poll')

      await dovecot.restart()
      await append('soporte@ayuda.test', mail('restart-1', 'IMAP tras reinicio'))
      await waitUntil(async () => (await tickets('IMAP tras reinicio')) === 1, 90_000)
    } finally {
      await poller.stop()
    }
    assert.equal(await tickets('IMAP %'), 5)
    assert.equal(await folderCount('soporte@ayuda.test', 'INBOX'), 0)
  })

  it('stores the password encrypted and logs in with it; a plain-text password left from before is sealed on first use', async () => {
    const stored = async () => (await sql<{ address: string; imap_password: string }>`select address, imap_password from mailboxes order by address`.execute(env.ctx.db)).rows
    for (const row of await stored()) {
      assert.match(row.imap_password, /^enc:v1:[0-9a-f]{12}:/, row.address)
      assert.ok(!row.imap_password.includes(PASSWORD))
    }
    // As a row written before encryption (migration 0310 seals those; the pollers also accept and re-seal them).
    await sql`update mailboxes set imap_password = ${PASSWORD} where address = 'ventas@ayuda.test'`.execute(env.ctx.db)
    await append('soporte@ayuda.test', mail('sealed-1', 'IMAP cifrada'))
    await append('ventas@ayuda.test', mail('sealed-2', 'IMAP cifrada ventas'))
    const pollers = await startImapPollers(env.ctx, { pollMs: 60_000 })
    try {
      await waitUntil(async () => (await tickets('IMAP cifrada%')) === 2)
    } finally {
      await pollers.stop()
    }
    for (const row of await stored()) assert.match(row.imap_password, /^enc:v1:/, `${row.address} sealed`)
    const errors = (await sql<{ last_error: string | null }>`select last_error from mailboxes`.execute(env.ctx.db)).rows
    assert.deepEqual(errors.map((e) => e.last_error), [null, null])
  })
})

if (unavailable) console.log(`# IMAP tests skipped: ${unavailable}`)
