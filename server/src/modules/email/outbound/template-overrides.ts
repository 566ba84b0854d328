import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import type { NotificationEvent, NotificationLocale } from '../templates/notification-events'
import type { TemplateOverride } from '../templates/render-notification'

/** The admin's version of one event's email in one language, or null (our default). */
export async function loadTemplateOverride(db: Executor, event: NotificationEvent, locale: NotificationLocale): Promise<TemplateOverride | null> {
  const row = (await sql<{ subject: string | null; body: string | null }>`select subject, body from email_template_overrides
    where event = ${event} and locale = ${locale}`.execute(db)).rows[0]
  return row && (row.subject || row.body) ? { subject: row.subject, body: row.body } : null
}
