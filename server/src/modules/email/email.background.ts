import type { AppContext } from '../../platform/context'
import { loadEmailConfig } from './email.config'
import { startSmtpReceiver } from './smtp/smtp-receiver'
import { startImapPollers } from './imap/imap-pollers'

/**
 * The email channel's long-running services, started with the worker: the built-in SMTP
 * receiver (SMTP_PORT, off with SMTP_RECEIVER=off) and the IMAP pollers (off with IMAP_POLLING=off).
 */
export async function startEmailServices(ctx: AppContext): Promise<Array<{ stop: () => Promise<void> }>> {
  const config = loadEmailConfig(process.env, ctx.config.smtpPort)
  const services: Array<{ stop: () => Promise<void> }> = []
  if (config.smtpEnabled) services.push(await startSmtpReceiver(ctx, config))
  if (config.imapEnabled) services.push(await startImapPollers(ctx, { pollMs: config.imapPollMs, allowInsecureTls: process.env.IMAP_TLS_INSECURE === 'true' }))
  return services
}
