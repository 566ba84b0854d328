import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import { DEFAULT_REOPEN_WINDOW_DAYS, type StatusCode } from '../../../../../common/src/tickets/tickets.types'
import type { FieldDef } from '../custom-fields/custom-field-defs'
import { ticketColumns, type TicketRow } from './load-ticket'

/** A ticket with the names of everything it points to: what the presenter shapes for a viewer. */
export interface TicketDetail {
  ticket: TicketRow
  status: { id: string; key: string; category: StatusCode; label_es: string; label_en: string }
  type: { id: string; code: string; name_es: string; name_en: string }
  category: { id: string; name: string; path: Array<{ id: string; name: string }> } | null
  requester: { id: string; name: string; email: string | null; phone: string | null }
  organization: { id: string; name: string } | null
  site: { id: string; code: string; name: string } | null
  assignee: { id: string; name: string } | null
  team: { id: string; name: string } | null
  watchers: Array<{ id: string; name: string; email: string | null }>
  externalRefs: Array<{ id: string; kind: string; provider: string | null; value: string }>
  fields: FieldDef[]
  /** The admin's reopen window (ticket settings), for what the viewer is offered. */
  reopenWindowDays: number
  /** The number of the closed ticket this one follows up, if any. */
  followUpOfNumber: number | null
}

type Joined = {
  s_id: string; s_key: string; s_category: StatusCode; s_label_es: string; s_label_en: string
  ty_code: string; ty_name_es: string; ty_name_en: string
  c_path: Array<{ id: string; name: string }> | null
  r_name: string; r_email: string | null; r_phone: string | null
  o_name: string | null; si_code: string | null; si_name: string | null; a_name: string | null; tm_name: string | null
  watchers: Array<{ id: string; name: string; email: string | null }>
  refs: Array<{ id: string; kind: string; provider: string | null; value: string }>
  fields: FieldDef[]
  reopen_days: number | null
  fu_number: number | null
}

/** The names a detail joins to the ticket row (removed again from the row the query returns). */
const JOINED_KEYS: Array<keyof Joined> = ['s_id', 's_key', 's_category', 's_label_es', 's_label_en', 'ty_code', 'ty_name_es', 'ty_name_en',
  'c_path', 'r_name', 'r_email', 'r_phone', 'o_name', 'si_code', 'si_name', 'a_name', 'tm_name', 'watchers', 'refs', 'fields', 'reopen_days', 'fu_number']

/**
 * Loads a ticket and the detail of it in one statement (the row as loadTicket reads it, plus
 * the names it points to), or null when there is no such ticket. Callers authorise the row
 * before presenting it.
 */
export async function loadTicketDetail(db: Executor, id: string): Promise<TicketDetail | null> {
  return (await loadTicketDetails(db, [id])).get(id) ?? null
}

/** loadTicketDetail for several tickets in one statement (the answers of a batch of creates), by id. */
export async function loadTicketDetails(db: Executor, ids: readonly string[]): Promise<Map<string, TicketDetail>> {
  const rows = (await sql<TicketRow & Joined>`
    select ${ticketColumns}, s.id as s_id, s.key as s_key, s.category as s_category, s.label_es as s_label_es, s.label_en as s_label_en,
      ty.code as ty_code, ty.name_es as ty_name_es, ty.name_en as ty_name_en,
      (select json_agg(json_build_object('id', pc.id, 'name', pc.name) order by pc.depth)
         from categories c join categories pc on pc.id = any(c.path) where c.id = t.category_id) as c_path,
      r.name as r_name, r.email as r_email, r.phone as r_phone,
      (select name from organizations where id = t.organization_id) as o_name,
      si.code as si_code, si.name as si_name,
      (select name from users where id = t.assignee_id) as a_name,
      (select name from teams where id = t.team_id) as tm_name,
      coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name, 'email', u.email) order by w.created_at)
         from ticket_watchers w join users u on u.id = w.user_id where w.ticket_id = t.id), '[]') as watchers,
      coalesce((select json_agg(json_build_object('id', x.id, 'kind', x.kind, 'provider', x.provider, 'value', x.value) order by x.created_at)
         from ticket_external_refs x where x.ticket_id = t.id), '[]') as refs,
      -- fieldsForType's rule, in the same round trip.
      coalesce((select json_agg(f order by f.position, f.key) from (select id, key, label_es, label_en, kind, options, type_ids, required,
         customer_visible, customer_editable, position, active from custom_fields
         where active and (cardinality(type_ids) = 0 or t.type_id = any(type_ids))) f), '[]') as fields,
      (select (value->>'reopenWindowDays')::int from settings where key = 'tickets') as reopen_days,
      (select f.number from tickets f where f.id = t.follow_up_of_id) as fu_number
    from tickets t join ticket_statuses s on s.id = t.status_id join ticket_types ty on ty.id = t.type_id
      join users r on r.id = t.requester_id left join sites si on si.id = t.site_id
    where t.id = any(${ids}::uuid[])`.execute(db)).rows
  return new Map(rows.map((row) => {
    const ticket = { ...row } as TicketRow & Partial<Joined>
    for (const k of JOINED_KEYS) delete ticket[k]
    return [row.id, detailOf(ticket, row)]
  }))
}

/** The detail of an already-loaded ticket (re-read with its names in one statement). */
export async function getTicketDetail(db: Executor, ticket: TicketRow): Promise<TicketDetail> {
  const detail = await loadTicketDetail(db, ticket.id)
  if (!detail) throw new Error(`ticket ${ticket.id} vanished`)
  return detail
}

function detailOf(ticket: TicketRow, j: Joined): TicketDetail {
  const path = j.c_path ?? []
  return {
    ticket,
    status: { id: j.s_id, key: j.s_key, category: j.s_category, label_es: j.s_label_es, label_en: j.s_label_en },
    type: { id: ticket.type_id, code: j.ty_code, name_es: j.ty_name_es, name_en: j.ty_name_en },
    category: ticket.category_id ? { id: ticket.category_id, name: path.map((p) => p.name).join(' › '), path } : null,
    requester: { id: ticket.requester_id, name: j.r_name, email: j.r_email, phone: j.r_phone },
    organization: ticket.organization_id ? { id: ticket.organization_id, name: j.o_name ?? '' } : null,
    site: ticket.site_id ? { id: ticket.site_id, code: j.si_code ?? '', name: j.si_name ?? '' } : null,
    assignee: ticket.assignee_id ? { id: ticket.assignee_id, name: j.a_name ?? '' } : null,
    team: ticket.team_id ? { id: ticket.team_id, name: j.tm_name ?? '' } : null,
    watchers: j.watchers,
    externalRefs: j.refs,
    fields: j.fields,
    reopenWindowDays: j.reopen_days ?? DEFAULT_REOPEN_WINDOW_DAYS,
    followUpOfNumber: j.fu_number === null ? null : Number(j.fu_number),
  }
}
