import type { AddressInfo } from 'node:net'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'
import type { AppContext } from '../../../platform/context'
import { safeEqual } from '../../../platform/auth/secrets'
import { cachedMailboxes, mailboxForRecipient } from '../mailboxes/mailbox-directory'
import { cachedEmailSettings, isDenied } from '../email.settings'
import type { EmailRuntimeConfig } from '../email.config'
import { receiveInbound } from '../inbound/receive-inbound'

export interface SmtpReceiver {
  port: number
  stop(): Promise<void>
}

/** An SMTP error with its reply code (smtp-server sends `responseCode` and the message). */
function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code })
}

/**
 * The built-in SMTP receiver. Accepts mail only for configured mailbox addresses (plus tags
 * allowed) and accepted domains, enforces the size limit, offers STARTTLS only with a configured
 * certificate and AUTH only with configured credentials. It answers 250 only after the message
 * and its ticket change are committed (receiveInbound returns after COMMIT); if they could not be
 * stored it answers 451 so the sending server retries. Denied senders get 550 at MAIL FROM.
 */
export async function startSmtpReceiver(ctx: AppContext, config: EmailRuntimeConfig): Promise<SmtpReceiver> {
  const settings = await cachedEmailSettings(ctx)
  const maxBytes = settings.maxMessageBytes
  let hostname = 'atiende.local'
  try {
    hostname = new URL(ctx.config.publicUrl).hostname || hostname
  } catch { /* keep the default */ }

  const disabled: string[] = []
  if (!config.tls) disabled.push('STARTTLS')
  if (!config.auth) disabled.push('AUTH')
  const options: SMTPServerOptions = {
    name: hostname,
    banner: 'Atiende',
    size: maxBytes,
    secure: false,
    ...(config.tls ? { key: config.tls.key, cert: config.tls.cert } : {}),
    disabledCommands: disabled,
    authOptional: !config.auth?.required,
    allowInsecureAuth: !config.tls,
    disableReverseLookup: true,
    logger: false,
    socketTimeout: 120_000,
    closeTimeout: 5_000,
    onAuth(auth, _session, callback) {
      const expected = config.auth
      const ok = !!expected && typeof auth.username === 'string' && typeof auth.password === 'string'
        && safeEqual(auth.username, expected.user) && safeEqual(auth.password, expected.password)
      if (ok) callback(null, { user: auth.username })
      else callback(smtpError(535, '5.7.8 Autenticación fallida / Authentication failed'))
    },
    onMailFrom(address, _session, callback) {
      cachedEmailSettings(ctx).then((s) => {
        if (address.address && isDenied(address.address, s.denyList)) callback(smtpError(550, '5.7.1 Remitente bloqueado / Sender blocked'))
        else callback()
      }, () => callback(smtpError(451, '4.3.0 Intente más tarde / Try again later')))
    },
    onRcptTo(address, _session, callback) {
      Promise.all([cachedMailboxes(ctx), cachedEmailSettings(ctx)]).then(([mailboxes, s]) => {
        if (mailboxForRecipient(mailboxes, address.address, s.acceptedDomains)) callback()
        else callback(smtpError(550, '5.1.1 Buzón no disponible / Mailbox unavailable'))
      }, () => callback(smtpError(451, '4.3.0 Intente más tarde / Try again later')))
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      let size = 0
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size <= maxBytes) chunks.push(chunk)
      })
      stream.on('error', (err) => callback(smtpError(451, `4.3.0 ${err.message}`)))
      stream.on('end', () => {
        if (stream.sizeExceeded || size > maxBytes) {
          callback(smtpError(552, `5.3.4 El mensaje supera ${maxBytes} bytes / Message exceeds ${maxBytes} bytes`))
          return
        }
        void deliver(Buffer.concat(chunks, size), session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          session.envelope.rcptTo.map((r) => r.address)).then((id) => callback(null, `2.0.0 Recibido / Received ${id}`), (err) => {
          ctx.log?.error({ err }, 'SMTP message could not be stored')
          callback(smtpError(451, '4.3.0 No se pudo guardar, intente más tarde / Could not store, try again later'))
        })
      })
    },
  }

  async function deliver(raw: Buffer, envelopeFrom: string | null, rcptTo: string[]): Promise<string> {
    const [mailboxes, s] = await Promise.all([cachedMailboxes(ctx), cachedEmailSettings(ctx)])
    const mailbox = rcptTo.map((r) => mailboxForRecipient(mailboxes, r, s.acceptedDomains)).find((m) => m !== null)
    if (!mailbox) throw new Error('no mailbox for the recipients')
    const outcome = await receiveInbound(ctx, { raw, mailbox, source: 'smtp', envelopeFrom, envelopeTo: rcptTo })
    return outcome.id
  }

  const server = new SMTPServer(options)
  server.on('error', (err) => ctx.log?.warn({ err }, 'SMTP receiver error'))
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject)
    server.listen(config.smtpPort, config.smtpHost, () => {
      server.server.off('error', reject)
      resolve()
    })
  })
  const port = (server.server.address() as AddressInfo).port
  ctx.log?.info({ port, host: config.smtpHost, tls: !!config.tls, auth: !!config.auth }, 'SMTP receiver listening')
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
