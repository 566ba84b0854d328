import type { AddressInfo } from 'node:net'
import nodemailer from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer'
import { SMTPServer } from 'smtp-server'
import { simpleParser, type ParsedMail } from 'mailparser'
import type { AppContext } from '../../../platform/context'
import { loadEmailConfig } from '../email.config'
import { startSmtpReceiver, type SmtpReceiver } from '../smtp/smtp-receiver'
import { createTestEnv, createUser, loginAs } from '../../../../test/harness'

/** Builds a raw message the way a mail client would (nodemailer's stream transport). */
export async function rawMail(mail: Mail.Options): Promise<Buffer> {
  return (await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail(mail)).message as Buffer
}

/** One message the capture server got. */
export interface CapturedMail {
  from: string | null
  to: string[]
  raw: Buffer
  parsed: ParsedMail
}

/**
 * An SMTP server on a free loopback port standing in for the outside world's mail servers: our
 * outbound mail (SMTP_URL) lands here and tests read it. `waitFor(n)` resolves once n messages
 * arrived. `failNext(k)` answers the next k messages with a temporary error.
 */
export async function startCaptureSmtp() {
  const messages: CapturedMail[] = []
  const waiters: Array<{ n: number; resolve: () => void }> = []
  let failures = 0
  let connections = 0
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false, disableReverseLookup: true,
    onConnect(_session, callback) {
      connections++
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        if (failures > 0) {
          failures--
          callback(Object.assign(new Error('4.3.0 prueba: falla temporal'), { responseCode: 451 }))
          return
        }
        const raw = Buffer.concat(chunks)
        simpleParser(raw).then((parsed) => {
          messages.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null, to: session.envelope.rcptTo.map((r) => r.address), raw, parsed })
          for (const w of [...waiters]) if (messages.length >= w.n) { waiters.splice(waiters.indexOf(w), 1); w.resolve() }
          callback()
        }, (err: Error) => callback(err))
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.server.address() as AddressInfo).port
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    failNext(k: number) { failures = k },
    /** How many SMTP connections were opened to it so far. */
    connections: () => connections,
    waitFor(n: number, timeoutMs = 10_000): Promise<void> {
      if (messages.length >= n) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${n} captured messages, got ${messages.length}`)), timeoutMs)
        waiters.push({ n, resolve: () => { clearTimeout(timer); resolve() } })
      })
    },
    /** Messages to one address, oldest first. */
    to(address: string) { return messages.filter((m) => m.to.includes(address)) },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export type CaptureSmtp = Awaited<ReturnType<typeof startCaptureSmtp>>

/** Our SMTP receiver on a free loopback port. */
export function startTestReceiver(ctx: AppContext, env: Record<string, string> = {}): Promise<SmtpReceiver> {
  return startSmtpReceiver(ctx, { ...loadEmailConfig(env), smtpPort: 0, smtpHost: '127.0.0.1' })
}

/** A nodemailer client for a loopback SMTP port (what a customer's mail server does). */
export function smtpClient(port: number, extra: Record<string, unknown> = {}) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, ...extra })
  return {
    send: (mail: Mail.Options) => transport.sendMail(mail),
    close: () => transport.close(),
  }
}

/**
 * A help desk that mails through a capture SMTP server: an admin, the agent Laura Gómez
 * (laura@ayuda.test), the customer Ana López (ana@cliente.mx) and the mailbox soporte@ayuda.test.
 * `close()` stops both.
 */
export async function startOutboundDesk() {
  const capture = await startCaptureSmtp()
  const env = await createTestEnv({ env: { SMTP_URL: capture.url } })
  const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
  const agentUser = await createUser(env.ctx, { role: 'agent', name: 'Laura Gómez', email: 'laura@ayuda.test' })
  const agent = await loginAs(env.app, agentUser)
  const customer = await createUser(env.ctx, { role: 'customer', name: 'Ana López', email: 'ana@cliente.mx' })
  const res = await admin.post('/api/v1/mailboxes', { address: 'soporte@ayuda.test', name: 'Soporte', inbound: 'smtp' })
  if (res.statusCode !== 201) throw new Error(`mailbox not created: ${res.statusCode} ${res.body}`)
  return {
    env, capture, admin, agentUser, agent, customer,
    async close() {
      await env.close()
      await capture.stop()
    },
  }
}
export type OutboundDesk = Awaited<ReturnType<typeof startOutboundDesk>>
