import type { AppContext } from './platform/context'

/**
 * Long-running inbound services started with the worker (e.g. the SMTP receiver, IMAP pollers).
 * Modules add theirs here; each returns something with stop().
 */
export async function startBackgroundServices(_ctx: AppContext): Promise<Array<{ stop: () => Promise<void> }>> {
  return []
}
