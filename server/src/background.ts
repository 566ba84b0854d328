import type { AppContext } from './platform/context'
import { startEmailServices } from './modules/email/email.background'

/**
 * Long-running inbound services started with the worker (e.g. the SMTP receiver, IMAP pollers).
 * Modules add theirs here; each returns something with stop().
 */
export async function startBackgroundServices(ctx: AppContext): Promise<Array<{ stop: () => Promise<void> }>> {
  return [...(await startEmailServices(ctx))]
}
