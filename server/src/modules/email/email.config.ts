import fs from 'node:fs'
import { keyFromEnv } from './mailboxes/credential-box'

/** How the email channel runs in this process, from the environment (read once at start). */
export interface EmailRuntimeConfig {
  /** The built-in SMTP receiver: off with SMTP_RECEIVER=off. */
  smtpEnabled: boolean
  smtpHost: string
  /** SMTP_PORT (default 2525); 0 picks a free port (tests). */
  smtpPort: number
  /** PEM certificate and key (SMTP_TLS_CERT / SMTP_TLS_KEY, file paths): STARTTLS is offered only with both. */
  tls: { cert: Buffer; key: Buffer } | null
  /** SMTP_AUTH_USER / SMTP_AUTH_PASSWORD: relays may authenticate; SMTP_AUTH_REQUIRED=true makes it mandatory. */
  auth: { user: string; password: string; required: boolean } | null
  /** IMAP: poll interval when IDLE is not available or quiet (IMAP_POLL_SECONDS, default 60). */
  imapPollMs: number
  imapEnabled: boolean
}

export function loadEmailConfig(env: NodeJS.ProcessEnv = process.env, smtpPort = Number(env.SMTP_PORT ?? 2525)): EmailRuntimeConfig {
  // A too-short ATIENDE_SECRET_KEY stops the start here, not at the first mailbox saved.
  keyFromEnv(env)
  const certPath = env.SMTP_TLS_CERT
  const keyPath = env.SMTP_TLS_KEY
  return {
    smtpEnabled: env.SMTP_RECEIVER !== 'off',
    smtpHost: env.SMTP_HOST ?? '0.0.0.0',
    smtpPort: Number.isFinite(smtpPort) ? smtpPort : 2525,
    tls: certPath && keyPath ? { cert: fs.readFileSync(certPath), key: fs.readFileSync(keyPath) } : null,
    auth: env.SMTP_AUTH_USER && env.SMTP_AUTH_PASSWORD
      ? { user: env.SMTP_AUTH_USER, password: env.SMTP_AUTH_PASSWORD, required: env.SMTP_AUTH_REQUIRED === 'true' }
      : null,
    imapPollMs: Math.max(1, Number(env.IMAP_POLL_SECONDS ?? 60)) * 1000,
    imapEnabled: env.IMAP_POLLING !== 'off',
  }
}
