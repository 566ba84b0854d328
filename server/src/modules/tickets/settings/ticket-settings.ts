import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import { DEFAULT_PRIORITY, DEFAULT_REOPEN_WINDOW_DAYS, DEFAULT_TYPE_CODE, type Priority } from '../../../../../common/src/tickets/tickets.types'

/** Admin-set ticket defaults and rules, stored under the settings key `tickets`. */
export interface TicketSettings {
  /** Days a resolved ticket may be reopened; after that it is closed by closeResolvedTickets. */
  reopenWindowDays: number
  defaultTypeCode: string
  defaultPriority: Priority
  defaultCategoryId: string | null
}

export const SETTINGS_KEY = 'tickets'

export const DEFAULT_SETTINGS: TicketSettings = {
  reopenWindowDays: DEFAULT_REOPEN_WINDOW_DAYS,
  defaultTypeCode: DEFAULT_TYPE_CODE,
  defaultPriority: DEFAULT_PRIORITY,
  defaultCategoryId: null,
}

/** Reads the settings, filling what was never set with the out-of-the-box defaults. */
export async function readTicketSettings(db: Executor): Promise<TicketSettings> {
  const row = (await sql<{ value: Partial<TicketSettings> }>`select value from settings where key = ${SETTINGS_KEY}`.execute(db)).rows[0]
  return { ...DEFAULT_SETTINGS, ...(row?.value ?? {}) }
}

/** Merges a change into the stored settings and returns the result. */
export async function writeTicketSettings(db: Executor, change: Partial<TicketSettings>, now: Date): Promise<TicketSettings> {
  const next = { ...(await readTicketSettings(db)), ...change }
  await sql`insert into settings (key, value, updated_at) values (${SETTINGS_KEY}, ${JSON.stringify(next)}::jsonb, ${now})
    on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`.execute(db)
  return next
}
