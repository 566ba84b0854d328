import { sql } from 'kysely'
import type { Executor } from '../../platform/db/database'

/** The From address of system mail (settings key `mail.from`, else no-reply at the public host). */
export async function systemFromAddress(db: Executor, publicUrl: string): Promise<string> {
  const row = (await sql<{ value: unknown }>`select value from settings where key = 'mail.from'`.execute(db)).rows[0]
  if (typeof row?.value === 'string' && row.value) return row.value
  const host = new URL(publicUrl).hostname
  return `Atiende <no-reply@${host.includes('.') ? host : 'atiende.local'}>`
}
