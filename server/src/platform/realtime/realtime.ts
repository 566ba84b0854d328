import { hasPermission, type Actor } from '../auth/actor'
import { notify, type DatabaseHandle, type Executor } from '../db/database'
import { loadEvent, type StoredEvent } from '../events/events'
import { loadStreamActors } from './stream-actors'

/** What a client receives: enough to know what changed; it re-reads through the API (and its presenter). */
export interface ClientEvent {
  id: number
  type: string
  ticketId: string | null
  at: string
  data: Record<string, unknown>
}

/**
 * Decides whether an actor may receive an event and what of it. Modules register one per event
 * prefix (e.g. 'ticket.' and 'comment.' by tickets, using their policy). No filter → staff only.
 */
export type EventFilter = (actor: Actor, event: StoredEvent) => Promise<Record<string, unknown> | null>
const filters: Array<{ prefix: string; filter: EventFilter }> = []

export function registerEventFilter(prefix: string, filter: EventFilter) {
  filters.push({ prefix, filter })
}

/**
 * Decides whether an actor may receive a presence notice (as NOTIFYed on `atiende_presence`) and
 * what of it; null hides it. It runs once per notice and client, so it must not query. Registered
 * once (by the realtime module, with the ticket policy); without one nobody receives presence.
 */
export type PresenceFilter = (actor: Actor, notice: Record<string, unknown>) => Record<string, unknown> | null
let presenceFilter: PresenceFilter | null = null

export function registerPresenceFilter(filter: PresenceFilter) {
  presenceFilter = filter
}

export const PRESENCE_CHANNEL = 'atiende_presence'
/** NOTIFYed (payload ignored) when sessions end or users change, so open streams are re-checked at once. */
export const ACCESS_CHANNEL = 'atiende_access'

/**
 * Asks every instance to re-check its open streams now instead of at the next interval. Call it
 * in the transaction that ends sessions, revokes tokens or changes a user's role, teams, ticket
 * scope or organization (PostgreSQL delivers it after COMMIT).
 */
export async function notifyAccessChanged(executor: Executor) {
  await notify(executor, ACCESS_CHANNEL, '')
}

/** What a stream does with what it is sent; `end` is called once when its session or token ends. */
export interface StreamHandlers {
  presence?: (notice: Record<string, unknown>) => void
  end?: () => void
}

interface Client extends StreamHandlers { actor: Actor; send: (e: ClientEvent) => void }

export interface RealtimeOptions {
  /** How often open streams' sessions and tokens are re-checked, in ms (default 5 s). */
  revalidateMs?: number
}

/**
 * Fans events out to connected clients. Every instance LISTENs on `atiende_events`, so a change
 * made through any instance reaches clients of all of them; each client gets only what the
 * policy lets its actor see. An open stream follows its session or API token: every few seconds
 * (and on `atiende_access`) all of this instance's streams are re-checked in one statement; a
 * stream whose session or token ended is closed, the others continue with the re-read actor.
 */
export class Realtime {
  private clients = new Set<Client>()
  private unlisten: Array<() => Promise<void>> = []
  private revalidateMs: number
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private again = false

  constructor(private readonly database: DatabaseHandle, opts: RealtimeOptions = {}) {
    this.revalidateMs = opts.revalidateMs ?? 5_000
  }

  async start() {
    this.unlisten.push(
      await this.database.listen('atiende_events', (payload) => { void this.dispatch(Number(payload)) }),
      await this.database.listen(PRESENCE_CHANNEL, (payload) => { this.dispatchPresence(payload) }),
      await this.database.listen(ACCESS_CHANNEL, () => { void this.revalidate() }),
    )
    this.arm()
  }

  async stop() {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    for (const unlisten of this.unlisten.splice(0)) await unlisten()
    await this.running
    this.clients.clear()
  }

  /** Changes how often open streams are re-checked (tests use a short interval). */
  setRevalidateInterval(ms: number) {
    this.revalidateMs = ms
    if (this.timer) this.arm()
  }

  /**
   * Adds a client. Clients whose actor came from a session or API token are re-checked with it;
   * in-process subscribers (a system actor) are not.
   */
  subscribe(actor: Actor, send: (e: ClientEvent) => void, handlers: StreamHandlers = {}): () => void {
    const client: Client = { actor, send, ...handlers }
    this.clients.add(client)
    return () => { this.clients.delete(client) }
  }

  get clientCount() { return this.clients.size }

  /**
   * Re-reads the actor behind every open stream's session or token in one statement; closes the
   * streams whose session or token ended (or whose user may no longer subscribe) and gives the
   * others their current actor (role, teams, ticket scope, organization). Calls made while one
   * runs are served by one more run after it.
   */
  revalidate(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      try {
        do {
          this.again = false
          await this.revalidateOnce()
        } while (this.again)
      } finally {
        this.running = null
      }
    })()
    return this.running
  }

  private arm() {
    if (this.timer) clearInterval(this.timer)
    this.timer = setInterval(() => { void this.revalidate() }, this.revalidateMs)
    this.timer.unref()
  }

  private async revalidateOnce() {
    const checked = [...this.clients].filter((c) => c.actor.sessionId || c.actor.tokenId)
    if (checked.length === 0) return
    let current
    try {
      current = await loadStreamActors(this.database.db, {
        sessionIds: [...new Set(checked.flatMap((c) => (c.actor.sessionId ? [c.actor.sessionId] : [])))],
        tokenIds: [...new Set(checked.flatMap((c) => (c.actor.tokenId ? [c.actor.tokenId] : [])))],
      })
    } catch {
      return // the database is unreachable: no events are delivered either; the next run retries
    }
    for (const client of checked) {
      if (!this.clients.has(client)) continue
      const actor = client.actor.sessionId ? current.sessions.get(client.actor.sessionId) : current.tokens.get(client.actor.tokenId!)
      if (actor && hasPermission(actor, 'events.subscribe')) {
        client.actor = actor
        continue
      }
      this.clients.delete(client)
      try { client.end?.() } catch { /* the connection is already gone */ }
    }
  }

  private async dispatch(id: number) {
    if (this.clients.size === 0 || !Number.isFinite(id)) return
    const event = await loadEvent(this.database.db, id)
    if (!event) return
    const entry = filters.find((f) => event.type.startsWith(f.prefix))
    for (const client of this.clients) {
      let data: Record<string, unknown> | null
      try {
        data = entry ? await entry.filter(client.actor, event) : client.actor.role === 'customer' ? null : {}
      } catch {
        data = null
      }
      // The stream may have been closed while the filter ran.
      if (data && this.clients.has(client)) client.send({ id: event.id, type: event.type, ticketId: event.ticket_id, at: new Date(event.created_at).toISOString(), data })
    }
  }

  private dispatchPresence(payload: string) {
    if (!presenceFilter || this.clients.size === 0) return
    let notice: Record<string, unknown>
    try {
      notice = JSON.parse(payload) as Record<string, unknown>
    } catch {
      return
    }
    for (const client of this.clients) {
      if (!client.presence) continue
      let data: Record<string, unknown> | null
      try {
        data = presenceFilter(client.actor, notice)
      } catch {
        data = null
      }
      if (data) client.presence(data)
    }
  }
}
