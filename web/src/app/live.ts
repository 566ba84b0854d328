import { useEffect, useSyncExternalStore } from 'react'
import { useQueryClient, type QueryClient } from '@tanstack/react-query'

/** One change as the server streams it (GET /api/v1/events/stream). */
export interface LiveEvent { id: number; type: string; ticketId: string | null; at: string; data: Record<string, unknown> }
export interface Presence { ticketId: string; userId: string; name: string; activity: 'viewing' | 'replying' | 'left'; at: string }

type Listener = () => void
const presence = new Map<string, Presence>() // key: ticketId|userId
const presenceListeners = new Set<Listener>()
let presenceVersion = 0
const eventListeners = new Set<(e: LiveEvent) => void>()
let connected = false
const connListeners = new Set<Listener>()

function setConnected(v: boolean) {
  if (connected === v) return
  connected = v
  for (const l of connListeners) l()
}

function notePresence(p: Presence) {
  const key = `${p.ticketId}|${p.userId}`
  if (p.activity === 'left') presence.delete(key)
  else presence.set(key, p)
  presenceVersion++
  for (const l of presenceListeners) l()
}

/** Refetches what an event touches: lists and counts always, and the ticket it names. */
function invalidateFor(qc: QueryClient, e: LiveEvent) {
  void qc.invalidateQueries({ queryKey: ['tickets'] })
  if (e.ticketId) {
    const id = e.ticketId
    void qc.invalidateQueries({
      predicate: (q) => q.queryKey[0] === 'ticket' && (q.queryKey.includes(id) || (q.state.data as { id?: string } | undefined)?.id === id),
    })
  }
}

/**
 * Opens the Server-Sent Events stream once for the signed-in app and keeps queries fresh.
 * EventSource reconnects by itself (the server sends retry: 3000).
 */
export function useLiveUpdates(enabled = true) {
  const qc = useQueryClient()
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return
    const source = new EventSource('/api/v1/events/stream', { withCredentials: true })
    // Several events in a burst (bulk updates) cause one refetch.
    let pending: LiveEvent[] = []
    let timer: ReturnType<typeof setTimeout> | null = null
    const flush = () => {
      timer = null
      const batch = pending
      pending = []
      const seen = new Set<string>()
      for (const e of batch) {
        const k = e.ticketId ?? `*${e.type}`
        if (seen.has(k)) continue
        seen.add(k)
        invalidateFor(qc, e)
      }
    }
    const onChange = (msg: MessageEvent<string>) => {
      try {
        const e = JSON.parse(msg.data) as LiveEvent
        for (const l of eventListeners) l(e)
        pending.push(e)
        if (!timer) timer = setTimeout(flush, 150)
      } catch { /* ignore malformed */ }
    }
    const onPresence = (msg: MessageEvent<string>) => {
      try { notePresence(JSON.parse(msg.data) as Presence) } catch { /* ignore */ }
    }
    source.addEventListener('change', onChange as EventListener)
    source.addEventListener('message', onChange as EventListener)
    source.addEventListener('presence', onPresence as EventListener)
    source.onopen = () => setConnected(true)
    source.onerror = () => setConnected(false)
    return () => {
      source.close()
      if (timer) clearTimeout(timer)
      setConnected(false)
    }
  }, [enabled, qc])
}

/** Subscribe to raw events (e.g. to flash a row). */
export function onLiveEvent(fn: (e: LiveEvent) => void): () => void {
  eventListeners.add(fn)
  return () => { eventListeners.delete(fn) }
}

export function useLiveConnected(): boolean {
  return useSyncExternalStore((l) => { connListeners.add(l); return () => connListeners.delete(l) }, () => connected)
}

/** Other people viewing or replying to this ticket in the last two minutes. */
export function useTicketPresence(ticketId: string | undefined, selfId: string | undefined): Presence[] {
  useSyncExternalStore((l) => { presenceListeners.add(l); return () => presenceListeners.delete(l) }, () => presenceVersion)
  if (!ticketId) return []
  const cutoff = Date.now() - 120_000
  return [...presence.values()].filter((p) => p.ticketId === ticketId && p.userId !== selfId && new Date(p.at).getTime() > cutoff)
}
