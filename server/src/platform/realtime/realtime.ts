import type { Actor } from '../auth/actor'
import type { DatabaseHandle } from '../db/database'
import { loadEvent, type StoredEvent } from '../events/events'

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

interface Client { actor: Actor; send: (e: ClientEvent) => void }

/**
 * Fans events out to connected clients. Every instance LISTENs on `atiende_events`, so a change
 * made through any instance reaches clients of all of them; each client gets only what the
 * policy lets its actor see.
 */
export class Realtime {
  private clients = new Set<Client>()
  private unlisten: (() => Promise<void>) | null = null
  /** Ephemeral presence (who views / replies a ticket), fanned out like events. */
  private presenceHandlers = new Set<(p: string) => void>()
  private unlistenPresence: (() => Promise<void>) | null = null

  constructor(private readonly database: DatabaseHandle) {}

  async start() {
    this.unlisten = await this.database.listen('atiende_events', (payload) => { void this.dispatch(Number(payload)) })
    this.unlistenPresence = await this.database.listen('atiende_presence', (payload) => {
      for (const h of this.presenceHandlers) h(payload)
    })
  }

  async stop() {
    await this.unlisten?.()
    await this.unlistenPresence?.()
    this.clients.clear()
  }

  subscribe(actor: Actor, send: (e: ClientEvent) => void): () => void {
    const client = { actor, send }
    this.clients.add(client)
    return () => { this.clients.delete(client) }
  }

  onPresence(handler: (payload: string) => void): () => void {
    this.presenceHandlers.add(handler)
    return () => { this.presenceHandlers.delete(handler) }
  }

  get clientCount() { return this.clients.size }

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
      if (data) client.send({ id: event.id, type: event.type, ticketId: event.ticket_id, at: new Date(event.created_at).toISOString(), data })
    }
  }
}
