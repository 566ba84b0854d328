import { sql } from 'kysely'
import { ImapFlow } from 'imapflow'
import type { AppContext } from '../../../platform/context'
import type { MailboxRecord } from '../mailboxes/mailbox-directory'
import { receiveInbound } from '../inbound/receive-inbound'

/** The keyword a processed message gets in 'flag' mode (when the server allows keywords). */
export const PROCESSED_KEYWORD = '$AtiendeProcessed'

export interface ImapAccount {
  mailbox: MailboxRecord
  password: string
}

export interface ImapPollerOptions {
  /** How long to wait for news (IDLE) before looking again. */
  pollMs: number
  /** Accept self-signed certificates (IMAP_TLS_INSECURE=true, for test servers). */
  allowInsecureTls?: boolean
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Reads one IMAP mailbox: takes every message not yet processed, runs it through the inbound
 * pipeline (which commits it idempotently by mailbox + UIDVALIDITY/UID and Message-ID), then
 * moves it to the processed folder or flags it. Waits with IDLE (or polls) for more and
 * reconnects with backoff after errors or disconnects. A crash between commit and move only
 * means the message is seen again next time, and recognised as already received.
 */
export class ImapPoller {
  private client: ImapFlow | null = null
  private stopped = false
  private loop: Promise<void> | null = null
  private wake: (() => void) | null = null
  private keywords = false
  /** The server reported new mail (EXISTS) since the last sync began: sync again before waiting. */
  private news = false

  constructor(private readonly ctx: AppContext, private readonly account: ImapAccount, private readonly opts: ImapPollerOptions) {}

  get mailboxId() { return this.account.mailbox.id }

  start() {
    this.stopped = false
    this.loop = this.run()
  }

  async stop() {
    this.stopped = true
    this.wake?.()
    await this.loop?.catch(() => {})
    await this.disconnect()
  }

  private async run() {
    let backoff = 1000
    while (!this.stopped) {
      try {
        await this.syncOnce()
        backoff = 1000
        await this.waitForNews()
      } catch (err) {
        await this.recordError(err)
        await this.disconnect()
        if (this.stopped) break
        await Promise.race([sleep(backoff), new Promise<void>((resolve) => { this.wake = resolve })])
        backoff = Math.min(backoff * 2, 60_000)
      }
    }
  }

  /** Connects if needed and processes every pending message once. Returns how many it handled. */
  async syncOnce(): Promise<number> {
    const client = await this.connect()
    const { mailbox } = this.account
    const lock = await client.getMailboxLock(mailbox.imapFolder)
    let handled = 0
    try {
      const selected = client.mailbox
      if (!selected) throw new Error('mailbox not selected')
      this.news = false
      const uidValidity = Number(selected.uidValidity)
      this.keywords = !!selected.permanentFlags && (selected.permanentFlags.has('\\*') || selected.permanentFlags.has(PROCESSED_KEYWORD))
      const query = mailbox.processedAction === 'move' ? { all: true } : this.keywords ? { unKeyword: PROCESSED_KEYWORD } : { seen: false }
      const uids = ((await client.search(query, { uid: true })) || []).sort((a, b) => a - b)
      let lastUid = 0
      for (const uid of uids) {
        if (this.stopped) break
        if (!(await this.alreadyReceived(uidValidity, uid))) {
          const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true })
          if (!message || !message.source) continue
          await receiveInbound(this.ctx, { raw: message.source, mailbox, source: 'imap', imap: { uidValidity, uid } })
        }
        await this.markProcessed(client, uid)
        lastUid = Math.max(lastUid, uid)
        handled++
      }
      await sql`update mailboxes set imap_uid_validity = ${uidValidity}, imap_last_uid = greatest(coalesce(imap_last_uid, 0), ${lastUid}),
        last_checked_at = ${this.ctx.now()}, last_error = null where id = ${mailbox.id}`.execute(this.ctx.db)
    } finally {
      lock.release()
    }
    return handled
  }

  private async alreadyReceived(uidValidity: number, uid: number): Promise<boolean> {
    const row = await sql`select 1 from inbound_messages where mailbox_id = ${this.account.mailbox.id} and imap_uid_validity = ${uidValidity}
      and imap_uid = ${uid} and status <> 'failed'`.execute(this.ctx.db)
    return row.rows.length > 0
  }

  private async markProcessed(client: ImapFlow, uid: number) {
    const { mailbox } = this.account
    if (mailbox.processedAction === 'move') await client.messageMove(String(uid), mailbox.processedFolder, { uid: true })
    else await client.messageFlagsAdd(String(uid), this.keywords ? ['\\Seen', PROCESSED_KEYWORD] : ['\\Seen'], { uid: true })
  }

  private async connect(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client
    await this.disconnect()
    const { mailbox, password } = this.account
    const client = new ImapFlow({
      host: mailbox.imapHost ?? '', port: mailbox.imapPort ?? (mailbox.imapSecure ? 993 : 143), secure: mailbox.imapSecure,
      auth: { user: mailbox.imapUser ?? '', pass: password }, logger: false, disableAutoIdle: true,
      tls: { rejectUnauthorized: !this.opts.allowInsecureTls },
    })
    client.on('error', (err: Error) => { this.ctx.log?.warn({ err: err.message, mailbox: mailbox.address }, 'IMAP connection error') })
    client.on('close', () => { this.wake?.() })
    // Mail that arrives while a sync runs is announced then, not when IDLE starts: remember it.
    client.on('exists', () => { this.news = true })
    await client.connect()
    this.client = client
    if (mailbox.processedAction === 'move') {
      const exists = (await client.list()).some((box) => box.path === mailbox.processedFolder)
      if (!exists) await client.mailboxCreate(mailbox.processedFolder)
    }
    return client
  }

  /**
   * IDLE until the server reports new mail, the connection closes, stop() or the poll interval.
   * A NOOP first makes the server report what arrived since the sync's search; if anything did,
   * there is no wait at all.
   */
  private async waitForNews() {
    const client = this.client
    if (!client || this.stopped) return
    await client.noop().catch(() => {})
    if (this.news || this.stopped) return
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        client.off('exists', done)
        resolve()
      }
      const timer = setTimeout(done, this.opts.pollMs)
      client.on('exists', done)
      this.wake = done
      client.idle().catch(() => done())
    })
    this.wake = null
  }

  private async disconnect() {
    const client = this.client
    this.client = null
    if (!client) return
    try {
      await client.logout()
    } catch {
      client.close()
    }
  }

  private async recordError(err: unknown) {
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000)
    this.ctx.log?.warn({ err: message, mailbox: this.account.mailbox.address }, 'IMAP mailbox could not be read; retrying')
    await sql`update mailboxes set last_error = ${message}, last_checked_at = ${this.ctx.now()} where id = ${this.account.mailbox.id}`
      .execute(this.ctx.db).catch(() => {})
  }
}
