import { sql } from 'kysely'
import type { Executor } from '../db/database'
import { notify } from '../db/database'
import { enqueueJob } from '../jobs/queue'

/** A domain event, past tense `<noun>.<verb>`: ticket.created, comment.added, sla.breached … */
export interface DomainEvent {
  type: string
  ticketId?: string | null
  actorId?: string | null
  payload?: Record<string, unknown>
}

export interface StoredEvent {
  id: number
  type: string
  ticket_id: string | null
  actor_id: string | null
  payload: Record<string, unknown>
  created_at: Date
}

const subscribers = new Map<string, Set<string>>()

/**
 * Subscribes a job to an event type ('*' for all). When the event is recorded, the job is queued
 * in the same transaction with `{ eventId, ...event }` as payload — handlers run after commit.
 */
export function onEvent(type: string, jobName: string) {
  if (!subscribers.has(type)) subscribers.set(type, new Set())
  subscribers.get(type)!.add(jobName)
}

/**
 * Records an event in the outbox table inside the caller's transaction, queues its subscribers,
 * and NOTIFYs listeners (real-time), which PostgreSQL delivers only after COMMIT.
 */
export async function recordEvent(trx: Executor, event: DomainEvent): Promise<number> {
  const res = await sql<{ id: number }>`
    insert into events (type, ticket_id, actor_id, payload)
    values (${event.type}, ${event.ticketId ?? null}, ${event.actorId ?? null}, ${JSON.stringify(event.payload ?? {})}::jsonb)
    returning id`.execute(trx)
  const id = res.rows[0].id
  const jobs = new Set([...(subscribers.get(event.type) ?? []), ...(subscribers.get('*') ?? [])])
  for (const job of jobs) {
    await enqueueJob(trx, job, { eventId: id, type: event.type, ticketId: event.ticketId ?? null, actorId: event.actorId ?? null, ...(event.payload ?? {}) })
  }
  await notify(trx, 'atiende_events', String(id))
  return id
}

export async function loadEvent(db: Executor, id: number): Promise<StoredEvent | null> {
  const res = await sql<StoredEvent>`select * from events where id = ${id}`.execute(db)
  return res.rows[0] ?? null
}
