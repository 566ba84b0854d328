import { sql, type RawBuilder } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import { inTransaction, type Db, type Executor } from '../../../platform/db/database'
import { ValidationError } from '../../../platform/http/errors'
import { decodeCursor, encodeCursor } from '../../../platform/http/cursor'
import type { TicketSort } from '../../../../../common/src/tickets/tickets.types'
import { seesAllTickets, visibleTicketsWhere } from '../tickets.policy'
import type { TicketListRow } from '../tickets.presenter'
import { andAll, filterConditions, many, refuseStaffOnly, type TicketFilters } from './ticket-filters'
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

// The raw ticket columns a list row needs (read in the page query, before names are looked up).
const PAGE_COLUMNS = sql`t.id, t.number, t.subject, t.status, t.status_id, t.priority, t.channel, t.type_id, t.category_id,
  t.requester_id, t.organization_id, t.site_id, t.assignee_id, t.team_id, t.tags, t.custom_fields, t.call_count, t.created_at, t.updated_at, t.resolved_at`

// Names of a page's rows as scalar subqueries on `p`: evaluated only for the page's rows and, unlike
// seven joins, cheap to plan (planning dominated these queries under load).
const NAMED_COLUMNS = sql`p.id, p.number, p.subject, p.status, p.status_id,
  (select s.key from ticket_statuses s where s.id = p.status_id) as status_key,
  (select s.label_es from ticket_statuses s where s.id = p.status_id) as status_label_es,
  (select s.label_en from ticket_statuses s where s.id = p.status_id) as status_label_en,
  p.priority, p.channel,
  (select ty.code from ticket_types ty where ty.id = p.type_id) as type_code,
  (select ty.name_es from ticket_types ty where ty.id = p.type_id) as type_name_es,
  (select ty.name_en from ticket_types ty where ty.id = p.type_id) as type_name_en,
  p.category_id, (select c.name from categories c where c.id = p.category_id) as category_name,
  p.requester_id, (select r.name from users r where r.id = p.requester_id) as requester_name,
  p.organization_id, (select o.name from organizations o where o.id = p.organization_id) as organization_name,
  p.site_id, (select si.code from sites si where si.id = p.site_id) as site_code, (select si.name from sites si where si.id = p.site_id) as site_name,
  p.assignee_id, (select a.name from users a where a.id = p.assignee_id) as assignee_name,
  p.team_id, (select tm.name from teams tm where tm.id = p.team_id) as team_name,
  p.tags, p.custom_fields, p.call_count, p.created_at, p.updated_at, p.resolved_at`

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
  if (extSort) refuseStaffOnly(actor, 'sort')
  const joins = new Map<string, TicketListJoin>()
  if (!searching) {
    if (extSort) joins.set(extSort.join.alias, extSort.join)
    for (const [, f] of active) if (f.join) joins.set(f.join.alias, f.join)
  }
  const conditions = [visibleTicketsWhere(actor), ...(await filterConditions(db, actor, input.filters, { now: input.now, joined: new Set(joins.keys()) }))]
  if (searching) {
    // No parallel workers for a search: its GIN part is planned as a large scan and PostgreSQL would
    // start two workers (~10 ms, more on a busy machine) even when the one-time filter skips it.
    if (db.isTransaction) return searchTickets(db, actor, input, conditions)
    return inTransaction(db as Db, async (trx) => {
      await sql`set local max_parallel_workers_per_gather = 0`.execute(trx)
      return searchTickets(trx, actor, input, conditions)
    })
  }

  const desc = sortKey.startsWith('-')
  const sort = SORT_COLUMNS[sortKey.replace(/^-/, '')] ?? (extSort ? { column: extSort.column, kind: extSort.kind } : SORT_COLUMNS.updatedAt)
  const col = sql.ref(sort.column)
  const dir = desc ? sql`desc` : sql`asc`
  const after = decodeCursor(input.cursor, [sort.kind === 'timestamp' ? 'timestamp' : 'integer', 'integer'])
  if (after) {
    const value = sort.kind === 'timestamp' ? sql`${String(after[0])}::timestamptz` : sql`${Number(after[0])}::bigint`
    const op = desc ? sql`<` : sql`>`
    conditions.push(sql<boolean>`(${col}, t.number) ${op} (${value}, ${Number(after[1])}::bigint)`)
  }
  // Timestamps travel in the cursor with microseconds (a JS Date would drop them and skip rows).
  const sortValue = sort.kind === 'timestamp' ? sql`to_char(ids.sort_key at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : sql`ids.sort_key`
  // The page's ids first, from index columns only (an index-only scan can then filter and sort, as
  // for status + category + created range), then the page's rows, then their names.
  const rows = (await sql<TicketListRow & { sort_value: string | number }>`
    with ids as materialized (
      select t.id, ${col} as sort_key, t.number
      from tickets t ${joins.size ? sql.join([...joins.values()].map((j) => j.sql), sql` `) : sql``}
      where ${andAll(conditions)}
      order by ${col} ${dir}, t.number ${dir}
      limit ${input.limit + 1}
    ),
    page as materialized (
      select ${PAGE_COLUMNS}, ids.sort_key, ${sortValue} as sort_value from ids join tickets t on t.id = ids.id
    )
    select ${NAMED_COLUMNS}, p.sort_value from page p order by p.sort_key ${dir}, p.number ${dir}`.execute(db)).rows
  const page = rows.slice(0, input.limit)
  const last = page[page.length - 1]
  const nextCursor = rows.length > input.limit && last
    ? encodeCursor([sort.kind === 'timestamp' ? String(last.sort_value) : Number(last.sort_value), Number(last.number)])
    : null
  return { rows: page, nextCursor, exactMatch: null }
}

/**
 * Candidates ranked per source. A two-word query can match a large part of a big help desk (an
 * operator's "recarga saldo"): ranking every match read and ranked them all (0.4–1 s at 100k–300k
 * tickets). Instead each source (tickets by last update, comments by date) yields its
 * `SEARCH_CANDIDATES` most recent matches, and only those are ranked; a query with fewer matches
 * has all of them ranked, as before. Finding them, two costs compete: a GIN scan reads every
 * posting of the query's words (a frequent word is in a large share of a million tickets), a walk
 * down the recency index tests rows one by one (cheap while matches are dense, the whole table when
 * they are rare). So each source first walks its `SEARCH_WALK` most recent rows (scope and filters
 * applied) testing the query; only when fewer than the candidates needed match there (a rare
 * query) does it ask the GIN index for the most recent matches. Pages deeper than the candidates
 * rank a larger set (multiples of it).
 */
export const SEARCH_CANDIDATES = 100
export const SEARCH_WALK = 5_000

/** The query as searched: trimmed, the ticket number typed into it if that is all it is, and its tsquery (400 when too short). */
function parseSearch(raw: string) {
  const q = raw.trim().slice(0, 200)
  const numberMatch = NUMBER_IN_QUERY.exec(q)
  const number = numberMatch ? Number(numberMatch[1]) : null
  // Letters of any alphabet count ("sí", "él"), not only ASCII word characters.
  if (!number && q.replace(/[^\p{L}\p{N}]/gu, '').length < 2) throw new ValidationError('tickets.search.too_short', {}, [{ field: 'q', rule: 'minLength' }])
  // Written out (not read from a CTE) so the planner sees a constant tsquery and estimates its matches.
  const tsq = sql`(websearch_to_tsquery('es_unaccent', ${q}) || websearch_to_tsquery('en_unaccent', ${q}))`
  return { q, number, tsq }
}

/**
 * Every visible ticket `q` finds, as a condition on `t` (what /tickets/counts counts): its own
 * text, a comment's (public ones only for customers), an external reference (staff) or its number.
 * The list ranks only the most recent matches; counting needs them all.
 */
export function matchesSearch(actor: Actor, raw: string): RawBuilder<boolean> {
  const { q, number, tsq } = parseSearch(raw)
  const staff = actor.role !== 'customer'
  return sql<boolean>`(t.search @@ ${tsq}
    or t.id in (select c.ticket_id from comments c where c.search @@ ${tsq} ${staff ? sql`` : sql`and not c.internal`})
    ${staff ? sql`or t.id in (select x.ticket_id from ticket_external_refs x where lower(x.value) = ${q.toLowerCase()})` : sql``}
    ${number !== null ? sql`or t.number = ${number}` : sql``})`
}

async function searchTickets(db: Executor, actor: Actor, input: ListTicketsInput, conditions: RawBuilder<boolean>[]): Promise<ListTicketsResult> {
  const { q, number, tsq } = parseSearch(input.q!)
  const staff = actor.role !== 'customer'
  const offsetKey = decodeCursor(input.cursor, ['integer'])
  const offset = offsetKey ? Math.max(0, Math.min(10_000, Number(offsetKey[0]) || 0)) : 0
  const window = SEARCH_CANDIDATES * Math.ceil((offset + input.limit + 1) / SEARCH_CANDIDATES)
  const where = andAll(conditions)
  // With no scope and no filter, comment hits need not visit their tickets before ranking.
  const unscoped = conditions.length === 1 && seesAllTickets(actor)
  // Deeper pages walk further, up to four times as far; past that the GIN part answers.
  const walk = SEARCH_WALK * Math.min(4, window / SEARCH_CANDIDATES)
  // A source's `window` most recent matches: from a bounded walk when the matches are dense there,
  // else from every match (the GIN index; a one-time filter runs it only then), newest first. The
  // matches are materialized so that no LIMIT tempts the planner into walking for a rare word.
  const recent = (name: string, source: { rows: RawBuilder<unknown>; match: RawBuilder<unknown>; order: RawBuilder<unknown>; outerOrder: RawBuilder<unknown>; columns: RawBuilder<unknown> }) => {
    const walked = sql.raw(`${name}_walk`)
    return sql`
    ${walked} as materialized (
      select ${source.columns} from (${source.rows} order by ${source.order} limit ${walk}) w
      where w.search @@ ${tsq} order by ${source.outerOrder} limit ${window}
    ),
    ${sql.raw(name)}_gin as materialized (
      ${source.rows} and ${source.match} @@ ${tsq} and (select count(*) from ${walked}) < ${window}
    ),
    ${sql.raw(name)} as materialized (
      select ${source.columns} from ${walked} w
      union all
      (select ${source.columns} from ${sql.raw(name)}_gin w order by ${source.outerOrder} limit ${window})
    )`
  }
  const ticketCandidates = recent('ticket_candidates', {
    rows: sql`select t.id, t.search, t.updated_at, t.number from tickets t where ${where}`, match: sql`t.search`,
    order: sql`t.updated_at desc, t.number desc`, outerOrder: sql`w.updated_at desc, w.number desc`, columns: sql`w.id`,
  })
  const commentCandidates = recent('comment_candidates', {
    rows: unscoped
      ? sql`select c.id, c.ticket_id, c.search, c.created_at from comments c where ${staff ? sql`true` : sql`not c.internal`}`
      : sql`select c.id, c.ticket_id, c.search, c.created_at from comments c join tickets t on t.id = c.ticket_id
          where ${staff ? sql`true` : sql`not c.internal`} and ${where}`,
    match: sql`c.search`, order: sql`c.created_at desc`, outerOrder: sql`w.created_at desc`, columns: sql`w.id, w.ticket_id`,
  })
  // Each source applies the viewer's scope and the filters itself, so hits are ranked without re-reading tickets.
  const rows = (await sql<TicketListRow & { rank: number; snippet_raw: string | null }>`
    with query as (select ${tsq} as tsq),
    ${ticketCandidates},
    ${commentCandidates},
    hits as (
      select t.id, ts_rank_cd(t.search, query.tsq) * 2 as rank from ticket_candidates tc join tickets t on t.id = tc.id, query
      union all
      select cc.ticket_id, ts_rank_cd(c.search, query.tsq) from comment_candidates cc join comments c on c.id = cc.id, query
      ${staff ? sql`union all select t.id, 5 from ticket_external_refs x join tickets t on t.id = x.ticket_id
        where lower(x.value) = ${q.toLowerCase()} and ${where}` : sql``}
      ${number !== null ? sql`union all select t.id, 1000 from tickets t where t.number = ${number} and ${where}` : sql``}
    ),
    best as materialized (
      select id, max(rank) as rank from hits group by id order by max(rank) desc, id desc limit ${input.limit + 1} offset ${offset}
    ),
    page as materialized (select ${PAGE_COLUMNS}, best.rank from best join tickets t on t.id = best.id)
    select ${NAMED_COLUMNS}, p.rank,
      (select case when t.search @@ query.tsq
         then ts_headline(search_language(t.description), t.subject || ' — ' || left(t.description, 3000), query.tsq, ${HEADLINE_OPTS})
         else (select ts_headline(search_language(cm.body_text), left(cm.body_text, 3000), query.tsq, ${HEADLINE_OPTS}) from comments cm
               where cm.ticket_id = t.id and cm.search @@ query.tsq ${staff ? sql`` : sql`and not cm.internal`}
               order by cm.created_at desc limit 1)
       end from tickets t, query where t.id = p.id) as snippet_raw
    from page p
    order by p.rank desc, p.id desc`.execute(db)).rows
  const page = rows.slice(0, input.limit).map((r) => ({ ...r, snippet: toSnippetHtml(r.snippet_raw) }))
  const exact = number !== null ? page.find((r) => Number(r.number) === number) : undefined
  return {
    rows: page,
    nextCursor: rows.length > input.limit ? encodeCursor([offset + input.limit]) : null,
    exactMatch: exact ? { id: exact.id, number: Number(exact.number) } : null,
  }
}

const HEADLINE_OPTS = `StartSel=${HL_START}, StopSel=${HL_STOP}, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "`
