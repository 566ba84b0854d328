import { sql, type RawBuilder } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import { ValidationError } from '../../../platform/http/errors'
import { decodeCursor, encodeCursor } from '../../../platform/http/cursor'
import type { TicketSort } from '../../../../../common/src/tickets/tickets.types'
import { visibleTicketsWhere } from '../tickets.policy'
import type { TicketListRow } from '../tickets.presenter'
import { andAll, filterConditions, many, type TicketFilters } from './ticket-filters'
import { ticketListFilters, ticketListSort, type TicketListJoin } from '../tickets.extensions'

export interface ListTicketsInput {
  filters: TicketFilters
  sort?: TicketSort
  q?: string
  cursor?: string
  limit: number
  /** The clock (filters such as sla=due_today depend on it). */
  now?: Date
}

export interface ListTicketsResult {
  rows: TicketListRow[]
  nextCursor: string | null
  /** A ticket whose number was typed into q (visible to the viewer): the UI goes straight to it. */
  exactMatch: { id: string; number: number } | null
}

const SORT_COLUMNS: Record<string, { column: string; kind: 'timestamp' | 'int' }> = {
  updatedAt: { column: 't.updated_at', kind: 'timestamp' },
  createdAt: { column: 't.created_at', kind: 'timestamp' },
  priority: { column: 't.priority_rank', kind: 'int' },
  number: { column: 't.number', kind: 'int' },
}

// The columns of a list row, joined by name; `t` is the ticket.
const LIST_COLUMNS = sql`t.id, t.number, t.subject, t.status, t.status_id, s.key as status_key, s.label_es as status_label_es,
  s.label_en as status_label_en, t.priority, t.channel, ty.code as type_code, ty.name_es as type_name_es, ty.name_en as type_name_en,
  t.category_id, c.name as category_name, t.requester_id, r.name as requester_name, t.organization_id, o.name as organization_name,
  t.assignee_id, a.name as assignee_name, t.team_id, tm.name as team_name, t.tags, t.call_count, t.created_at, t.updated_at, t.resolved_at`

const LIST_JOINS = sql`join ticket_statuses s on s.id = t.status_id
  join ticket_types ty on ty.id = t.type_id
  join users r on r.id = t.requester_id
  left join categories c on c.id = t.category_id
  left join organizations o on o.id = t.organization_id
  left join users a on a.id = t.assignee_id
  left join teams tm on tm.id = t.team_id`

// Highlight markers that cannot occur in text; swapped for <mark> after HTML-escaping.
const HL_START = '\u0002'
const HL_STOP = '\u0003'

/** Escapes a ts_headline result and turns its markers into <mark>…</mark>. */
export function toSnippetHtml(raw: string | null): string | null {
  if (raw === null) return null
  const escaped = raw.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
  return escaped.split(HL_START).join('<mark>').split(HL_STOP).join('</mark>').replace(/\s+/g, ' ').trim()
}

const NUMBER_IN_QUERY = /^#?\s*(\d{1,15})$/

/**
 * GET /api/v1/tickets: the viewer's visible tickets (scope from the policy, in SQL), filtered,
 * sorted, keyset-paginated. With `q`: full-text search in Spanish and English over subject,
 * description, replies, internal notes (staff only) and external references (staff only),
 * ranked, with highlighted snippets; a ticket number in q comes first and is named in exactMatch.
 */
export async function listTickets(db: Executor, actor: Actor, input: ListTicketsInput): Promise<ListTicketsResult> {
  const searching = input.q !== undefined && input.q.trim() !== ''
  // Extension filters and sorts (e.g. SLA) may join one table each; searches keep self-contained conditions.
  const active = [...ticketListFilters()].filter(([key]) => many((input.filters as Record<string, string[] | string | undefined>)[key]).length)
  const sortKey = input.sort ?? (active.map(([, f]) => f.defaultSort).find(Boolean) as TicketSort | undefined) ?? '-updatedAt'
  const extSort = ticketListSort(sortKey.replace(/^-/, ''))
  const joins = new Map<string, TicketListJoin>()
  if (!searching) {
    if (extSort) joins.set(extSort.join.alias, extSort.join)
    for (const [, f] of active) if (f.join) joins.set(f.join.alias, f.join)
  }
  const conditions = [visibleTicketsWhere(actor), ...(await filterConditions(db, actor, input.filters, { now: input.now, joined: new Set(joins.keys()) }))]
  if (searching) return searchTickets(db, actor, input, conditions)

  const desc = sortKey.startsWith('-')
  const sort = SORT_COLUMNS[sortKey.replace(/^-/, '')] ?? (extSort ? { column: extSort.column, kind: extSort.kind } : SORT_COLUMNS.updatedAt)
  const col = sql.ref(sort.column)
  const dir = desc ? sql`desc` : sql`asc`
  const after = decodeCursor(input.cursor, 2)
  if (after) {
    const okValue = sort.kind === 'timestamp' ? /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(String(after[0])) : Number.isFinite(Number(after[0]))
    if (!okValue || !/^[0-9a-f-]{36}$/i.test(String(after[1]))) throw new ValidationError('error.bad_cursor', {}, [{ field: 'cursor', rule: 'cursor' }])
    const value = sort.kind === 'timestamp' ? sql`${String(after[0])}::timestamptz` : sql`${Number(after[0])}::bigint`
    const op = desc ? sql`<` : sql`>`
    conditions.push(sql<boolean>`(${col}, t.id) ${op} (${value}, ${String(after[1])}::uuid)`)
  }
  // Timestamps travel in the cursor with microseconds (a JS Date would drop them and skip rows).
  const sortValue = sort.kind === 'timestamp' ? sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : col
  const rows = (await sql<TicketListRow & { sort_value: string | number }>`
    select ${LIST_COLUMNS}, ${sortValue} as sort_value from tickets t ${joins.size ? sql.join([...joins.values()].map((j) => j.sql), sql` `) : sql``} ${LIST_JOINS}
    where ${andAll(conditions)}
    order by ${col} ${dir}, t.id ${dir}
    limit ${input.limit + 1}`.execute(db)).rows
  const page = rows.slice(0, input.limit)
  const last = page[page.length - 1]
  const nextCursor = rows.length > input.limit && last
    ? encodeCursor([sort.kind === 'timestamp' ? String(last.sort_value) : Number(last.sort_value), last.id])
    : null
  return { rows: page, nextCursor, exactMatch: null }
}

async function searchTickets(db: Executor, actor: Actor, input: ListTicketsInput, conditions: RawBuilder<boolean>[]): Promise<ListTicketsResult> {
  const q = input.q!.trim().slice(0, 200)
  const staff = actor.role !== 'customer'
  const numberMatch = NUMBER_IN_QUERY.exec(q)
  const number = numberMatch ? Number(numberMatch[1]) : null
  if (!number && q.replace(/\W/g, '').length < 2) throw new ValidationError('tickets.search.too_short', {}, [{ field: 'q', rule: 'minLength' }])
  const offsetKey = decodeCursor(input.cursor, 1)
  const offset = offsetKey ? Math.max(0, Math.min(10_000, Number(offsetKey[0]) || 0)) : 0
  const tsq = sql`(websearch_to_tsquery('es_unaccent', ${q}) || websearch_to_tsquery('en_unaccent', ${q}))`
  const rows = (await sql<TicketListRow & { rank: number; snippet_raw: string | null }>`
    with query as (select ${tsq} as tsq),
    hits as (
      select t.id, ts_rank_cd(t.search, query.tsq) * 2 as rank from tickets t, query where t.search @@ query.tsq
      union all
      select c.ticket_id, ts_rank_cd(c.search, query.tsq) from comments c, query
        where c.search @@ query.tsq ${staff ? sql`` : sql`and not c.internal`}
      ${staff ? sql`union all select x.ticket_id, 5 from ticket_external_refs x where lower(x.value) = ${q.toLowerCase()}` : sql``}
      ${number !== null ? sql`union all select t.id, 1000 from tickets t where t.number = ${number}` : sql``}
    ),
    best as (select id, max(rank) as rank from hits group by id),
    page as (
      select t.id, best.rank from best join tickets t on t.id = best.id
      where ${andAll(conditions)}
      order by best.rank desc, t.updated_at desc, t.id desc
      limit ${input.limit + 1} offset ${offset}
    )
    select ${LIST_COLUMNS}, page.rank,
      case when t.search @@ query.tsq
        then ts_headline('es_unaccent', t.subject || ' — ' || left(t.description, 3000), query.tsq, ${HEADLINE_OPTS})
        else (select ts_headline('es_unaccent', left(cm.body_text, 3000), query.tsq, ${HEADLINE_OPTS}) from comments cm
              where cm.ticket_id = t.id and cm.search @@ query.tsq ${staff ? sql`` : sql`and not cm.internal`}
              order by cm.created_at desc limit 1)
      end as snippet_raw
    from page join tickets t on t.id = page.id ${LIST_JOINS} cross join query
    order by page.rank desc, t.updated_at desc, t.id desc`.execute(db)).rows
  const page = rows.slice(0, input.limit).map((r) => ({ ...r, snippet: toSnippetHtml(r.snippet_raw) }))
  const exact = number !== null ? page.find((r) => Number(r.number) === number) : undefined
  return {
    rows: page,
    nextCursor: rows.length > input.limit ? encodeCursor([offset + input.limit]) : null,
    exactMatch: exact ? { id: exact.id, number: Number(exact.number) } : null,
  }
}

const HEADLINE_OPTS = `StartSel=${HL_START}, StopSel=${HL_STOP}, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "`
