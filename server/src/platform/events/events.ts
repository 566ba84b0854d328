import { sql } from 'kysely'
import type { Executor } from '../db/database'
import { IMMEDIATELY } from '../jobs/queue'

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
 * and NOTIFYs listeners (real-time), which PostgreSQL delivers only after COMMIT — all in one
 * statement: the event row, its subscriber jobs (payload `{ eventId, type, ticketId, actorId,
 * ...payload }`, due at once) and both wake-ups.
 */
export async function recordEvent(trx: Executor, event: DomainEvent): Promise<number> {
  const jobs = [...new Set([...(subscribers.get(event.type) ?? []), ...(subscribers.get('*') ?? [])])]
  const payload = JSON.stringify(event.payload ?? {})
  const fields = { type: event.type, ticketId: event.ticketId ?? null, actorId: event.actorId ?? null }
  const queued = jobs.length
    ? sql`, queued as (
        insert into jobs (name, payload, run_at)
        select j.name, jsonb_build_object('eventId', e.id) || ${JSON.stringify(fields)}::jsonb || ${payload}::jsonb, ${IMMEDIATELY}::timestamptz
        from e, unnest(${jobs}::text[]) as j(name)
        returning id)`
    : sql``
  const res = await sql<{ id: number }>`
    with e as (
      insert into events (type, ticket_id, actor_id, payload)
      values (${event.type}, ${event.ticketId ?? null}, ${event.actorId ?? null}, ${payload}::jsonb)
      returning id)${queued}
    select e.id, pg_notify('atiende_events', e.id::text) as notified
      ${jobs.length ? sql`, (select pg_notify('atiende_jobs', 'due') from queued limit 1) as woke` : sql``}
    from e`.execute(trx)
  return Number(res.rows[0].id)
}

export async function loadEvent(db: Executor, id: number): Promise<StoredEvent | null> {
  const res = await sql<StoredEvent>`select * from events where id = ${id}`.execute(db)
  return res.rows[0] ?? null
}
