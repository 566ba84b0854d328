import { sql } from 'kysely'
import { DateTime } from 'luxon'
import { systemActor } from '../../../platform/auth/actor'
import { inTransaction, type Db } from '../../../platform/db/database'
import { defineJob, enqueueJobs, type NewJob } from '../../../platform/jobs/queue'
import { PRIORITY_LABELS, STATUS_LABELS } from '../../../../../common/src/tickets/tickets.labels'
import type { Priority, StatusCode } from '../../../../../common/src/tickets/tickets.types'
import { addComment } from '../../tickets/commands/add-comment'
import { andAll, filterConditions, type TicketFilters } from '../../tickets/queries/ticket-filters'
import { compiledCalendarOf, defaultCalendarRow, findCalendar } from '../storage/calendar-store'
import { NEVER_DUE } from '../live/store-ticket-sla'
import { CUTOFF_DIGEST_JOB, CUTOFF_JOB, cutoffDigestKey, findCutoff, type CutoffDigestPayload } from './cutoff-commands'
import { renderTemplate } from './cutoff-template'

/** At most this many tickets get an update per cut-off run (the rest are left for the next one). */
export const CUTOFF_BATCH = 1000
/** A run this late (the server was down through the cut-off) is skipped: the next cut-off follows. */
export const CUTOFF_STALE_MS = 60 * 60_000

interface Matched {
  id: string; number: number; subject: string; status: StatusCode; priority: Priority; assignee_id: string | null
  requester_name: string; requester_locale: string; next_due_at: Date | null
}

/**
 * `runSlaCutoff`: one cut-off (corte) at its scheduled time. Once per cut-off and time (the run is
 * recorded in sla_cutoff_runs in the same transaction), for the open tickets matching its filter:
 * posts the public status update or internal note from its template through the tickets'
 * addComment command (in the requester's language), and reminds each assignee with one digest
 * email of all their matching tickets: a CUTOFF_DIGEST_JOB per assignee, queued in the same
 * transaction with a unique key per (cut-off occurrence, assignee). Skips inactive cut-offs, the
 * calendar's holidays, and runs more than an hour late (a server that was down does not post
 * yesterday's corte).
 */
export async function runCutoff(db: Db, now: Date, payload: { cutoffId: string; time?: string; scheduledFor?: string }): Promise<number | null> {
  return inTransaction(db, async (trx) => {
    const cutoff = await findCutoff(trx, payload.cutoffId)
    if (!cutoff || !cutoff.active) return null
    const calendar = (cutoff.calendar_id ? await findCalendar(trx, cutoff.calendar_id) : null) ?? await defaultCalendarRow(trx)
    const scheduledFor = payload.scheduledFor ? new Date(payload.scheduledFor) : now
    if (now.getTime() - scheduledFor.getTime() > CUTOFF_STALE_MS) return null
    const local = DateTime.fromJSDate(scheduledFor, { zone: calendar.timezone })
    if (compiledCalendarOf(calendar).spec.holidays?.includes(local.toISODate() ?? '')) return null
    const claimed = (await sql`insert into sla_cutoff_runs (cutoff_id, scheduled_for, ran_at, tickets) values (${cutoff.id}, ${scheduledFor}, ${now}, 0)
      on conflict do nothing returning cutoff_id`.execute(trx)).rows.length
    if (!claimed) return null

    const system = systemActor()
    const conditions = await filterConditions(trx, system, cutoff.filter as TicketFilters, { now })
    const tickets = (await sql<Matched>`
      select t.id, t.number, t.subject, t.status, t.priority, t.assignee_id, r.name as requester_name, r.locale as requester_locale, sla.next_due_at
      from tickets t join users r on r.id = t.requester_id left join ticket_sla_summary sla on sla.ticket_id = t.id
      where t.status not in ('resolved', 'closed', 'cancelled') and ${andAll(conditions)}
      order by sla.due_order_at nulls last, t.number limit ${CUTOFF_BATCH}`.execute(trx)).rows
    const ctx = { actor: system, now }
    const byAssignee = new Map<string, string[]>()
    for (const t of tickets) {
      const lang = t.requester_locale?.startsWith('en') && cutoff.template_en.trim() ? 'en' : 'es'
      const due = t.next_due_at && new Date(t.next_due_at).getTime() < NEVER_DUE.getTime()
        ? DateTime.fromJSDate(new Date(t.next_due_at), { zone: calendar.timezone }).setLocale(lang === 'en' ? 'en' : 'es-MX').toFormat('d LLL HH:mm') : ''
      if (cutoff.action !== 'none') {
        const body = renderTemplate(lang === 'en' ? cutoff.template_en : cutoff.template_es, {
          'ticket.number': String(t.number), 'ticket.subject': t.subject, 'ticket.status': STATUS_LABELS[t.status][lang],
          'ticket.priority': PRIORITY_LABELS[t.priority][lang], 'ticket.due_at': due, 'requester.name': t.requester_name,
          'cutoff.name': cutoff.name, 'cutoff.time': local.toFormat('HH:mm'),
        })
        await addComment(trx, ctx, t.id, { body, internal: cutoff.action === 'internal_note' })
      }
      if (cutoff.remind_assignee && t.assignee_id) {
        const list = byAssignee.get(t.assignee_id) ?? []
        list.push(t.id)
        byAssignee.set(t.assignee_id, list)
      }
    }
    // One digest per assignee, its tickets in the run's order (soonest due first).
    const digests: NewJob[] = [...byAssignee].map(([assigneeId, ticketIds]) => ({
      name: CUTOFF_DIGEST_JOB,
      payload: {
        cutoffId: cutoff.id, cutoffName: cutoff.name, cutoffTime: local.toFormat('HH:mm'), timezone: calendar.timezone,
        scheduledFor: scheduledFor.toISOString(), assigneeId, ticketIds,
      } satisfies CutoffDigestPayload,
      opts: { uniqueKey: cutoffDigestKey(cutoff.id, scheduledFor, assigneeId) },
    }))
    if (digests.length) await enqueueJobs(trx, digests, now)
    await sql`update sla_cutoff_runs set tickets = ${tickets.length} where cutoff_id = ${cutoff.id} and scheduled_for = ${scheduledFor}`.execute(trx)
    return tickets.length
  })
}

defineJob(CUTOFF_JOB, async (ctx, payload) => {
  await runCutoff(ctx.db, ctx.now(), payload as { cutoffId: string; time?: string; scheduledFor?: string })
})
