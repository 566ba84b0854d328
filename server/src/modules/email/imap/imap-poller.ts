import { sql } from 'kysely'
import { ImapFlow } from 'imapflow'
import type { AppContext } from '../../../platform/context'
import type { MailboxRecord } from '../mailboxes/mailbox-directory'
import { receiveInbound } from '../inbound/receive-inbound'
import { classifyImapError, storedImapError } from './imap-errors'

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
  /**
   * The wait after a failure, doubled for each failure in a row up to retryMaxMs (1 s … 60 s).
   * It is also the least time between two connection attempts. Tests make it short.
   */
  retryBaseMs?: number
  retryMaxMs?: number
}

/** The same failure again is logged at most this often (each attempt still updates last_error). */
const REPEAT_LOG_MS = 10 * 60_000

/**
 * Reads one IMAP mailbox: takes every message not yet processed, runs it through the inbound
 * pipeline (which commits it idempotently by mailbox + UIDVALIDITY/UID and Message-ID), then
 * moves it to the processed folder or flags it. Waits with IDLE (or polls) for more and
 * reconnects with backoff after errors or disconnects. A crash between commit and move only
 * means the message is seen again next time, and recognised as already received.
 */
export class ImapPoller {
  private client: ImapFlow | null = null
  /** The client whose connect() is running, so that stop() can cut it short. */
  private connecting: ImapFlow | null = null
  private stopped = false
  private loop: Promise<void> | null = null
  /** Ends the current wait (retry pause or IDLE) early; only stop() calls it. */
  private interrupt: (() => void) | null = null
  private lastAttemptAt = 0
  /** Failures in a row: the retry wait doubles with each. */
  private failures = 0
  private lastLogged: { key: string; at: number; repeats: number } | null = null
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
    this.interrupt?.()
    this.connecting?.close()
    await this.loop?.catch(() => {})
    await this.disconnect()
  }

  private get retryBaseMs() { return this.opts.retryBaseMs ?? 1000 }

  /**
   * Sync, wait for news, repeat. A failure is recorded once, then the loop waits base × 2^(n-1)
   * (at most retryMaxMs) before trying again; only stop() shortens that wait, never an event of
   * the connection that failed.
   */
  private async run() {
    while (!this.stopped) {
      try {
        await this.syncOnce()
        this.recovered()
        await this.waitForNews()
      } catch (err) {
        await this.disconnect()
        if (this.stopped) break
        this.failures++
        const retryMs = Math.min(this.retryBaseMs * 2 ** Math.min(this.failures - 1, 30), this.opts.retryMaxMs ?? 60_000)
        await this.recordError(err, retryMs)
        await this.pause(retryMs)
      }
    }
  }

  /** Waits ms, or less if stop() is called; leaves no timer behind. */
  private pause(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        if (this.interrupt === done) this.interrupt = null
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.interrupt = done
    })
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
    // However the last connection ended, at most one attempt per retryBaseMs.
    await this.pause(this.lastAttemptAt + this.retryBaseMs - Date.now())
    if (this.stopped) throw new Error('IMAP poller stopped')
    this.lastAttemptAt = Date.now()
    const { mailbox, password } = this.account
    const client = new ImapFlow({
      host: mailbox.imapHost ?? '', port: mailbox.imapPort ?? (mailbox.imapSecure ? 993 : 143), secure: mailbox.imapSecure,
      auth: { user: mailbox.imapUser ?? '', pass: password }, logger: false, disableAutoIdle: true,
      tls: { rejectUnauthorized: !this.opts.allowInsecureTls },
    })
    // A failure reaches the operation that was running and is recorded once there (recordError);
    // the event only must not go unhandled. The connection's 'close' matters only while waiting (waitForNews).
    client.on('error', (err: Error) => { this.ctx.log?.debug({ err: err.message, mailbox: mailbox.address }, 'IMAP connection error') })
    // Mail that arrives while a sync runs is announced then, not when IDLE starts: remember it.
    client.on('exists', () => { this.news = true })
    this.connecting = client
    try {
      await client.connect()
    } catch (err) {
      client.close()
      throw err
    } finally {
      this.connecting = null
    }
    if (this.stopped) {
      client.close()
      throw new Error('IMAP poller stopped')
    }
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
    if (this.news || this.stopped || !client.usable) return
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        client.off('exists', done)
        client.off('close', done)
        if (this.interrupt === done) this.interrupt = null
        resolve()
      }
      const timer = setTimeout(done, this.opts.pollMs)
      client.on('exists', done)
      // Only the connection being waited on ends the wait by closing.
      client.on('close', done)
      this.interrupt = done
      client.idle().catch(() => done())
    })
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

  /**
   * Keeps the failure in last_error as `[code] detail` (imap-errors.ts) and logs it: once per
   * attempt at most, and the same failure again only every REPEAT_LOG_MS (with how many were not logged).
   */
  private async recordError(err: unknown, retryMs: number) {
    const failure = classifyImapError(err)
    const key = `${failure.code} ${failure.detail}`
    const now = Date.now()
    const last = this.lastLogged
    const fields = { code: failure.code, err: failure.detail, mailbox: this.account.mailbox.address, failures: this.failures, retryMs }
    if (!last || last.key !== key || now - last.at >= REPEAT_LOG_MS) {
      this.ctx.log?.warn({ ...fields, notLogged: last?.key === key ? last.repeats : undefined }, 'IMAP mailbox could not be read; retrying')
      this.lastLogged = { key, at: now, repeats: 0 }
    } else {
      last.repeats++
      this.ctx.log?.debug(fields, 'IMAP mailbox still cannot be read')
    }
    await sql`update mailboxes set last_error = ${storedImapError(failure)}, last_checked_at = ${this.ctx.now()} where id = ${this.account.mailbox.id}`
      .execute(this.ctx.db).catch(() => {})
  }

  /** A sync succeeded: the next failure waits retryBaseMs again, and a recovery after failures is logged once. */
  private recovered() {
    if (this.failures > 0) this.ctx.log?.info({ mailbox: this.account.mailbox.address, failures: this.failures }, 'IMAP mailbox can be read again')
    this.failures = 0
    this.lastLogged = null
  }
}
