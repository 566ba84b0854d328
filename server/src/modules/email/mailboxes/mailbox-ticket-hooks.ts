import { sql } from 'kysely'
import { registerDefaultsUsers } from '../../tickets/tickets.extensions'

// A mailbox files its new tickets with a type and a category: deleting either would silently reset
// the mailbox (on delete set null), so the tickets admin refuses it, naming the mailboxes.
registerDefaultsUsers(async (trx, ref) => {
  const where = 'typeId' in ref ? sql`type_id = ${ref.typeId}::uuid` : sql`category_id = ${ref.categoryId}::uuid`
  const rows = (await sql<{ address: string }>`select address from mailboxes where ${where} order by address`.execute(trx)).rows
  return rows.map((r) => ({ es: `el buzón «${r.address}»`, en: `the mailbox "${r.address}"` }))
})
