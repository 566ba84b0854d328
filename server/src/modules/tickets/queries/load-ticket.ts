import { sql, type Selectable } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import type { TicketsTable } from '../tickets.tables'

/** A ticket row plus what the policy needs from its organization. */
export type TicketRow = Omit<Selectable<TicketsTable>, 'search'> & { org_shares_tickets: boolean }

/** A ticket without its description (a mailed-in body can be tens of KB): what notifications need. */
export type TicketHead = Omit<TicketRow, 'description' | 'description_html'>

/** The columns of a TicketHead, from `tickets t`. */
const headColumns = sql`t.id, t.number, t.subject, t.type_id, t.category_id, t.priority, t.priority_rank,
  t.status, t.status_id, t.channel, t.requester_id, t.organization_id, t.site_id, t.assignee_id, t.team_id, t.support_level, t.tags,
  t.custom_fields, t.third_party, t.third_party_ref, t.cancel_reason, t.cancel_note, t.duplicate_of_id, t.merged_into_id,
  t.follow_up_of_id, t.call_count, t.reopen_count, t.created_by_id, t.via_token_id, t.created_at, t.updated_at, t.status_changed_at,
  t.first_response_at, t.resolved_at, t.closed_at, t.cancelled_at,
  coalesce((select o.shares_tickets from organizations o where o.id = t.organization_id), false) as org_shares_tickets`

/** The columns of a TicketRow, from `tickets t`. */
export const ticketColumns = sql`${headColumns}, t.description, t.description_html`

/** Loads one ticket by id; `forUpdate` locks it for the rest of the transaction (commands). */
export async function loadTicket(db: Executor, id: string, opts: { forUpdate?: boolean } = {}): Promise<TicketRow | null> {
  const res = await sql<TicketRow>`select ${ticketColumns} from tickets t where t.id = ${id} ${opts.forUpdate ? sql`for update of t` : sql``}`.execute(db)
  return res.rows[0] ?? null
}

/** Several tickets by id, in one statement. */
export async function loadTickets(db: Executor, ids: readonly string[]): Promise<Map<string, TicketRow>> {
  if (ids.length === 0) return new Map()
  const res = await sql<TicketRow>`select ${ticketColumns} from tickets t where t.id = any(${[...new Set(ids)]}::uuid[])`.execute(db)
  return new Map(res.rows.map((r) => [r.id, r]))
}

/** Several tickets by id without their descriptions, in one statement. */
export async function loadTicketHeads(db: Executor, ids: readonly string[]): Promise<Map<string, TicketHead>> {
  if (ids.length === 0) return new Map()
  const res = await sql<TicketHead>`select ${headColumns} from tickets t where t.id = any(${[...new Set(ids)]}::uuid[])`.execute(db)
  return new Map(res.rows.map((r) => [r.id, r]))
}

/** Loads one ticket by its human number. */
export async function loadTicketByNumber(db: Executor, number: number): Promise<TicketRow | null> {
  const res = await sql<TicketRow>`select ${ticketColumns} from tickets t where t.number = ${number}`.execute(db)
  return res.rows[0] ?? null
}
