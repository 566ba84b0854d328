import { defineJob, enqueueJob } from '../jobs/queue'
import type { Executor } from '../db/database'
import type { OutgoingMail } from './mailer'

/** Queues an email in the caller's transaction; it is sent after commit, with retries. */
export async function queueMail(db: Executor, mail: Omit<OutgoingMail, 'attachments'>) {
  return enqueueJob(db, 'sendMail', { mail })
}

defineJob('sendMail', async (ctx, payload) => {
  await ctx.mailer.send(payload.mail as OutgoingMail)
})
