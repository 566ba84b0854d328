import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createPostgresDatabase } from '../../../test/database'
import { freePort, portOpen, startChildServer, waitReady } from '../../../test/child-server'
import { smtpClient } from './test-support/email-test-kit'

const ADMIN = { email: 'admin@ayuda.test', password: 'contraseña-admin-1' }
const MESSAGES = 40
const SENDERS = 5
const KILL_AFTER = 12

const startServer = (env: Record<string, string>) => startChildServer({ IMAP_POLLING: 'off', ...env })

/** An admin session on the child server (cookie + CSRF token), through the real login route. */
async function adminSession(base: string) {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) })
  assert.equal(r.status, 200, await r.clone().text())
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const { csrfToken } = (await r.json()) as { csrfToken: string }
  return {
    get: async (url: string) => (await fetch(`${base}${url}`, { headers: { cookie } })).json() as Promise<Record<string, unknown>>,
    post: (url: string, body: unknown) => fetch(`${base}${url}`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  }
}

/** The received messages the server knows, by Message-ID, with how often each appears. */
async function receivedIds(session: Awaited<ReturnType<typeof adminSession>>): Promise<Map<string, { count: number; ticketIds: Set<string> }>> {
  const out = new Map<string, { count: number; ticketIds: Set<string> }>()
  let cursor: string | null = null
  do {
    const page = await session.get(`/api/v1/email/inbound?limit=200${cursor ? `&cursor=${cursor}` : ''}`) as { items: Array<{ messageId: string; ticketId: string | null; status: string }>; nextCursor: string | null }
    for (const item of page.items) {
      const entry = out.get(item.messageId) ?? { count: 0, ticketIds: new Set<string>() }
      entry.count++
      if (item.ticketId) entry.ticketIds.add(item.ticketId)
      out.set(item.messageId, entry)
    }
    cursor = page.nextCursor
  } while (cursor)
  return out
}

function batch(run: string) {
  const filler = 'Detalle del problema con la línea y la factura. '.repeat(400) // ~20 KB
  return Array.from({ length: MESSAGES }, (_, i) => ({
    messageId: `<lote-${run}-${i}@cliente.mx>`,
    mail: { from: `Cliente ${i} <cliente${i}@lote.example>`, to: 'soporte@ayuda.test', subject: `Lote ${run} #${i}`, text: `Mensaje ${i}.\n\n${filler}`, messageId: `<lote-${run}-${i}@cliente.mx>` },
  }))
}

/** Sends messages with several parallel SMTP clients; returns the Message-IDs that got 250. */
async function sendAll(port: number, messages: ReturnType<typeof batch>, onAck?: (acked: number) => void): Promise<{ acked: string[]; failed: number }> {
  const acked: string[] = []
  let failed = 0
  let next = 0
  await Promise.all(Array.from({ length: SENDERS }, async () => {
    const client = smtpClient(port, { connectionTimeout: 5_000, socketTimeout: 60_000 })
    try {
      while (next < messages.length) {
        const m = messages[next++]
        try {
          const info = await client.send(m.mail)
          if (/^250 /.test(info.response)) {
            acked.push(m.messageId)
            onAck?.(acked.length)
          }
        } catch {
          failed++
        }
      }
    } finally {
      client.close()
    }
  }))
  return { acked, failed }
}

async function killMidBatchAndResend(env: Record<string, string>) {
  const port = await freePort()
  const smtpPort = await freePort()
  const base = `http://127.0.0.1:${port}`
  const serverEnv = { ...env, PORT: String(port), HOST: '127.0.0.1', SMTP_PORT: String(smtpPort), SMTP_HOST: '127.0.0.1',
    HELPDESK_ADMIN_EMAIL: ADMIN.email, HELPDESK_ADMIN_PASSWORD: ADMIN.password }
  let server = startServer(serverEnv)
  try {
    await waitReady(base, { ms: 180_000, output: server.output, extra: () => portOpen(smtpPort) })
    const created = await (await adminSession(base)).post('/api/v1/mailboxes', { address: 'soporte@ayuda.test', name: 'Soporte', inbound: 'smtp' })
    assert.equal(created.status, 201, await created.text())

    const messages = batch(crypto.randomBytes(3).toString('hex'))
    const first = await sendAll(smtpPort, messages, (n) => { if (n === KILL_AFTER) server.child.kill('SIGKILL') })
    await server.exited
    assert.ok(first.acked.length >= KILL_AFTER, `acknowledged before the kill: ${first.acked.length}`)
    assert.ok(first.acked.length < MESSAGES, 'the kill happened mid-batch')

    server = startServer(serverEnv)
    await waitReady(base, { ms: 180_000, output: server.output, extra: () => portOpen(smtpPort) })
    const session = await adminSession(base)
    const afterCrash = await receivedIds(session)
    for (const id of first.acked) assert.equal(afterCrash.get(id)?.count, 1, `${id} got 250 and must exist exactly once`)
    for (const [id, entry] of afterCrash) assert.equal(entry.ticketIds.size, 1, `${id} has its ticket`)

    const second = await sendAll(smtpPort, messages)
    assert.equal(second.acked.length, MESSAGES, `every re-sent message gets 250 (failed: ${second.failed})`)
    const final = await receivedIds(session)
    for (const m of messages) {
      assert.equal(final.get(m.messageId)?.count, 1, `${m.messageId} exists exactly once`)
      assert.equal(final.get(m.messageId)?.ticketIds.size, 1)
    }
    const ticketIds = new Set([...final.values()].flatMap((e) => [...e.ticketIds]))
    assert.equal(ticketIds.size, MESSAGES, 'one ticket per message, none twice')
    server.child.kill('SIGTERM')
    await server.exited
  } catch (err) {
    server.child.kill('SIGKILL')
    throw err
  }
}

/**
 * R5 of issue 6: the SMTP receiver answers 250 only after the message and its ticket are
 * committed. The real server (server/src/main.ts) is killed with SIGKILL in the middle of a batch
 * sent by parallel clients, restarted on the same data, and everything is sent again: each message
 * that got 250 survived, and after the re-send every message exists exactly once.
 */
describe('SMTP durability across kill -9', () => {
  it('PGlite: every message that got 250 exists exactly once after a crash and a full re-send', { timeout: 600_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-email-kill-'))
    try {
      await killMidBatchAndResend({ HELPDESK_DATA_DIR: dir })
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('PostgreSQL: every message that got 250 exists exactly once after a crash and a full re-send',
    { timeout: 600_000, skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL' }, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-email-kill-'))
      const db = await createPostgresDatabase(process.env.TEST_DATABASE_URL!)
      try {
        await killMidBatchAndResend({ HELPDESK_DATA_DIR: dir, DATABASE_URL: db.url })
      } finally {
        await db.drop()
        fs.rmSync(dir, { recursive: true, force: true })
      }
    })
})
