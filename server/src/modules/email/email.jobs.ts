import { defineJob } from '../../platform/jobs/queue'
import { onEvent } from '../../platform/events/events'
import './email.settings'
import { queueNotificationsForEvent, queueNotificationsForEvents } from './outbound/queue-notifications'
import { DELIVER_JOB, deliverOutbound, deliverOutbounds } from './outbound/deliver-outbound'
import { sendCutoffDigest } from './outbound/cutoff-digest'
import { CUTOFF_DIGEST_JOB, type CutoffDigestPayload } from '../sla/cutoffs/cutoff-commands'

/** The job that turns a ticket event into outbox rows (see planNotifications). */
export const NOTIFY_JOB = 'queueEmailNotifications'

/** Ticket events that may send email; each queues NOTIFY_JOB in the event's own transaction. */
export const NOTIFYING_EVENTS = [
  'ticket.created', 'comment.added', 'comment.mentioned', 'ticket.status_changed', 'ticket.updated', 'ticket.merged',
  // SLA engine: staff named in the event (recipientIds). Cut-off reminders are digests (CUTOFF_DIGEST_JOB).
  'sla.warning', 'sla.breached',
] as const

defineJob(NOTIFY_JOB, async (ctx, payload) => {
  await queueNotificationsForEvent(ctx, payload)
}, {
  // A batch of events (say, the tickets one request filed together) shares its reads and one transaction.
  batch: async (ctx, jobs) => {
    await queueNotificationsForEvents(ctx, jobs.map((j) => j.payload))
    return jobs.map(() => true as const)
  },
})

// One cut-off digest per assignee and cut-off run, queued by the SLA module's cut-off job.
defineJob(CUTOFF_DIGEST_JOB, async (ctx, payload) => {
  await sendCutoffDigest(ctx, payload as unknown as CutoffDigestPayload)
})

defineJob(DELIVER_JOB, async (ctx, payload, job) => {
  await deliverOutbound(ctx, String(payload.outboundId), { attempts: job.attempts, maxAttempts: job.max_attempts })
}, {
  batch: (ctx, jobs) => deliverOutbounds(ctx, jobs.map((j) => ({ outboundId: String(j.payload.outboundId), attempts: j.attempts, maxAttempts: j.max_attempts }))),
})

for (const type of NOTIFYING_EVENTS) onEvent(type, NOTIFY_JOB)
