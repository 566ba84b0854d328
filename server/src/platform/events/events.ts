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
 * and NOTIFYs listeners (real-time), which PostgreSQL delivers only after COMMIT.
 */
export async function recordEvent(trx: Executor, event: DomainEvent): Promise<number> {
  return (await recordEvents(trx, [event]))[0]
}

/**
 * Records several events in one statement: the event rows (ids drawn from the sequence in the
 * given order), their subscriber jobs (payload `{ eventId, type, ticketId, actorId, ...payload }`,
 * due at once) and the wake-ups. Returns the events' ids in the given order.
 */
export async function recordEvents(trx: Executor, events: readonly DomainEvent[]): Promise<number[]> {
  if (events.length === 0) return []
  const rows = events.map((event) => {
    const payload = event.payload ?? {}
    const fields = { type: event.type, ticketId: event.ticketId ?? null, actorId: event.actorId ?? null }
    const jobs = [...new Set([...(subscribers.get(event.type) ?? []), ...(subscribers.get('*') ?? [])])]
    return { event, payload: JSON.stringify(payload), jobPayload: JSON.stringify({ ...fields, ...payload }), jobs }
  })
  const jobs = rows.flatMap((r, i) => r.jobs.map((name) => ({ n: i + 1, name })))
  const queued = jobs.length
    ? sql`, queued as (
        insert into jobs (name, payload, run_at)
        select j.name, jsonb_build_object('eventId', e.id) || e.job_payload, ${IMMEDIATELY}::timestamptz
        from unnest(${jobs.map((j) => j.n)}::int[], ${jobs.map((j) => j.name)}::text[]) as j(n, name) join input e on e.n = j.n
        returning id)`
    : sql``
  const res = await sql<{ id: number }>`
    with input as (
      select nextval(pg_get_serial_sequence('events', 'id')) as id, i.*
      from unnest(${rows.map((r) => r.event.type)}::text[], ${rows.map((r) => r.event.ticketId ?? null)}::uuid[],
        ${rows.map((r) => r.event.actorId ?? null)}::uuid[], ${rows.map((r) => r.payload)}::jsonb[], ${rows.map((r) => r.jobPayload)}::jsonb[])
        with ordinality as i(type, ticket_id, actor_id, payload, job_payload, n)),
    e as (
      insert into events (id, type, ticket_id, actor_id, payload)
      select id, type, ticket_id, actor_id, payload from input
      returning id)${queued}
    select input.id, pg_notify('atiende_events', input.id::text) as notified
      ${jobs.length ? sql`, (select pg_notify('atiende_jobs', 'due') from queued limit 1) as woke` : sql``}
    from input join e on e.id = input.id order by input.n`.execute(trx)
  return res.rows.map((r) => Number(r.id))
}

export async function loadEvent(db: Executor, id: number): Promise<StoredEvent | null> {
  return (await loadEvents(db, [id])).get(id) ?? null
}

/** Several events by id, in one statement. */
export async function loadEvents(db: Executor, ids: readonly number[]): Promise<Map<number, StoredEvent>> {
  if (ids.length === 0) return new Map()
  const res = await sql<StoredEvent>`select * from events where id = any(${[...new Set(ids)]}::bigint[])`.execute(db)
  return new Map(res.rows.map((r) => [Number(r.id), r]))
}
