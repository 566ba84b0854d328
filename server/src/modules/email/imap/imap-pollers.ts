import { sql } from 'kysely'
import type { AppContext } from '../../../platform/context'
import { listMailboxRecords } from '../mailboxes/mailbox-directory'
import { ImapPoller, type ImapPollerOptions } from './imap-poller'
import { storedImapError } from './imap-errors'
import { credentialKeys, imapPasswordContext, needsReseal, openCredential, sealCredential } from '../mailboxes/credential-box'

const REFRESH_MS = 30_000
// Shown to admins in their language from the code (email.imap_error.password_unreadable); the detail stays technical.
const UNREADABLE = storedImapError({ code: 'password_unreadable', detail: 'The IMAP password cannot be decrypted (was ATIENDE_SECRET_KEY changed?)' })

/**
 * Keeps one ImapPoller per active IMAP mailbox, re-reading the mailboxes every 30 s so that
 * admin changes (new mailbox, new password, deactivation) apply without a restart.
 */
export async function startImapPollers(ctx: AppContext, opts: ImapPollerOptions): Promise<{ stop: () => Promise<void> }> {
  const running = new Map<string, { poller: ImapPoller; version: string }>()
  let stopped = false

  async function refresh() {
    const mailboxes = (await listMailboxRecords(ctx.db)).filter((m) => m.inbound === 'imap' && m.active)
    const secrets = (await sql<{ id: string; imap_password: string | null; updated_at: Date }>`select id, imap_password, updated_at from mailboxes
      where inbound = 'imap' and active`.execute(ctx.db)).rows
    for (const [id, entry] of running) {
      const row = secrets.find((s) => s.id === id)
      if (!row || `${new Date(row.updated_at).getTime()}` !== entry.version) {
        running.delete(id)
        await entry.poller.stop()
      }
    }
    const keys = await credentialKeys(ctx)
    for (const mailbox of mailboxes) {
      const row = secrets.find((s) => s.id === mailbox.id)
      if (stopped || !row?.imap_password || running.has(mailbox.id)) continue
      let password: string
      try {
        password = openCredential(keys, row.imap_password, imapPasswordContext(mailbox.id))
      } catch (err) {
        // Never the value itself in logs or in the admin screen: only that it cannot be read.
        ctx.log?.warn({ mailbox: mailbox.address, reason: (err as Error).message }, 'IMAP password cannot be decrypted')
        await sql`update mailboxes set last_error = ${UNREADABLE} where id = ${mailbox.id}`.execute(ctx.db)
        continue
      }
      if (needsReseal(keys, row.imap_password)) {
        // Sealed with the generated key before ATIENDE_SECRET_KEY was set (or plain text): seal it with the current key.
        // updated_at stays, so the poller is not restarted for it.
        await sql`update mailboxes set imap_password = ${sealCredential(keys, password, imapPasswordContext(mailbox.id))}
          where id = ${mailbox.id} and imap_password = ${row.imap_password}`.execute(ctx.db)
      }
      const poller = new ImapPoller(ctx, { mailbox, password }, opts)
      running.set(mailbox.id, { poller, version: `${new Date(row.updated_at).getTime()}` })
      poller.start()
    }
  }

  await refresh().catch((err: unknown) => ctx.log?.warn({ err }, 'IMAP mailboxes could not be loaded'))
  const timer = setInterval(() => {
    if (!stopped) refresh().catch((err: unknown) => ctx.log?.warn({ err }, 'IMAP mailboxes could not be refreshed'))
  }, REFRESH_MS)
  timer.unref()
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      await Promise.all([...running.values()].map((e) => e.poller.stop()))
      running.clear()
    },
  }
}
