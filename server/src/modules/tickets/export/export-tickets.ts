import { sql } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor } from '../../../platform/db/database'
import { AppError } from '../../../platform/http/errors'
import { encodeCursor } from '../../../platform/http/cursor'
import type { Lang } from '../../../platform/i18n/locale'
import type { TicketSort } from '../../../../../common/src/tickets/tickets.types'
import { CHANNEL_LABELS, PRIORITY_LABELS } from '../../../../../common/src/tickets/tickets.labels'
import type { Channel, Priority } from '../../../../../common/src/tickets/tickets.types'
import { allFieldsByKey, type FieldDef } from '../custom-fields/custom-field-defs'
import { listTickets } from '../queries/list-tickets'
import { andAll, filterConditions, type TicketFilters } from '../queries/ticket-filters'
import { visibleTicketsWhere } from '../tickets.policy'
import type { TicketListRow } from '../tickets.presenter'
import { CSV_BOM, csvRow, isoInZone } from './csv'
import './export.messages'

/** The most tickets one export holds; a larger one is refused up front (422) rather than cut short. */
export const EXPORT_MAX_ROWS = 100_000
/** A search ranks at most this deep (list-tickets' offset limit), so a search export stops there. */
export const EXPORT_MAX_SEARCH_ROWS = 10_000
const PAGE_SIZE = 500

export interface TicketExportInput {
  filters: TicketFilters; sort?: TicketSort; q?: string; now: Date; lang: Lang
  /** Tests only: a smaller cap and page size than EXPORT_MAX_ROWS / PAGE_SIZE. */
  maxRows?: number; pageSize?: number
}

/** Per-page facts the list row does not carry: category path, requester email, first response, closed, references. */
interface ExportExtra { id: string; requester_email: string | null; first_response_at: Date | null; closed_at: Date | null; category_path: string | null; external_refs: string | null }

/** Names of the people and sites that the page's user and site fields point to, by id. */
type Names = ReadonlyMap<string, string>

interface Column { es: string; en: string; staffOnly?: boolean; value(r: TicketListRow, x: ExportExtra | undefined, names: Names): string | number | null }

const searching = (q: string | undefined) => q !== undefined && q.trim() !== ''
const maxRows = (input: TicketExportInput) => Math.min(input.maxRows ?? Infinity, searching(input.q) ? EXPORT_MAX_SEARCH_ROWS : EXPORT_MAX_ROWS)

/**
 * The fixed columns, in order. Customers do not get the internal attributes the API hides from
 * them (team, tags, external references, first response), nor a colleague's email.
 */
function fixedColumns(actor: Actor, lang: Lang): Column[] {
  const tz = actor.timezone
  const when = (d: Date | string | null | undefined) => isoInZone(d, tz)
  const cols: Column[] = [
    { es: 'Número', en: 'Number', value: (r) => Number(r.number) },
    { es: 'Asunto', en: 'Subject', value: (r) => r.subject },
    { es: 'Estatus', en: 'Status', value: (r) => (lang === 'en' ? r.status_label_en : r.status_label_es) },
    { es: 'Prioridad', en: 'Priority', value: (r) => PRIORITY_LABELS[r.priority as Priority]?.[lang] ?? r.priority },
    { es: 'Tipo', en: 'Type', value: (r) => (lang === 'en' ? r.type_name_en : r.type_name_es) },
    { es: 'Categoría', en: 'Category', value: (r, x) => x?.category_path ?? r.category_name },
    { es: 'Solicitante', en: 'Requester', value: (r) => r.requester_name },
    {
      es: 'Correo del solicitante', en: 'Requester email',
      value: (r, x) => (actor.role !== 'customer' || r.requester_id === actor.id ? x?.requester_email ?? null : null),
    },
    { es: 'Organización', en: 'Organization', value: (r) => r.organization_name },
    { es: 'Sitio', en: 'Site', value: (r) => (r.site_id ? [r.site_code, r.site_name].filter(Boolean).join(' — ') : null) },
    { es: 'Asignado a', en: 'Assignee', value: (r) => r.assignee_name },
    { es: 'Equipo', en: 'Team', staffOnly: true, value: (r) => r.team_name },
    { es: 'Canal', en: 'Channel', value: (r) => CHANNEL_LABELS[r.channel as Channel]?.[lang] ?? r.channel },
    { es: 'Creado', en: 'Created', value: (r) => when(r.created_at) },
    { es: 'Actualizado', en: 'Updated', value: (r) => when(r.updated_at) },
    { es: 'Primera respuesta', en: 'First response', staffOnly: true, value: (_r, x) => when(x?.first_response_at) },
    { es: 'Resuelto', en: 'Resolved', value: (r) => when(r.resolved_at) },
    { es: 'Cerrado', en: 'Closed', value: (_r, x) => when(x?.closed_at) },
    { es: 'Etiquetas', en: 'Tags', staffOnly: true, value: (r) => (r.tags ?? []).join('; ') },
    { es: 'Referencias externas', en: 'External references', staffOnly: true, value: (_r, x) => x?.external_refs ?? null },
  ]
  return actor.role === 'customer' ? cols.filter((c) => !c.staffOnly) : cols
}

/** A custom field value as text: option labels, Sí/No, people and sites by name, lists joined with "; ". */
function fieldText(def: FieldDef, value: unknown, lang: Lang, names: Names): string | number | null {
  if (value === null || value === undefined || value === '') return null
  if (def.kind === 'user' || def.kind === 'site') return typeof value === 'string' ? names.get(value) ?? null : null
  const label = (v: unknown) => {
    const o = def.options?.find((opt) => opt.value === v)
    return o ? (lang === 'en' ? o.labelEn : o.labelEs) : String(v)
  }
  if (Array.isArray(value)) return value.map(label).join('; ')
  if (typeof value === 'boolean') return value ? (lang === 'en' ? 'Yes' : 'Sí') : 'No'
  if (typeof value === 'number') return value
  if (typeof value === 'object') return JSON.stringify(value)
  return label(value)
}

/** The custom fields the actor may see (customers: customer-visible ones), in form order. */
async function visibleFields(db: Executor, actor: Actor): Promise<FieldDef[]> {
  return [...(await allFieldsByKey(db)).values()]
    .filter((d) => actor.role !== 'customer' || d.customer_visible)
    .sort((a, b) => a.position - b.position || a.key.localeCompare(b.key))
}

/** One column per visible custom field. */
function customFieldColumns(defs: FieldDef[], lang: Lang): Column[] {
  return defs.map((d) => ({ es: d.label_es, en: d.label_en, value: (r: TicketListRow, _x, names) => fieldText(d, r.custom_fields?.[d.key], lang, names) }))
}

/**
 * The names behind the page's user and site field values (ids in the ticket): a person's name, a
 * site's code and name. A customer gets the names of staff and their own only, as in the portal.
 */
async function loadNames(db: Executor, actor: Actor, defs: FieldDef[], rows: TicketListRow[]): Promise<Names> {
  const idsOf = (kind: string) => [...new Set(rows.flatMap((r) => defs.filter((d) => d.kind === kind)
    .map((d) => r.custom_fields?.[d.key]).filter((v): v is string => typeof v === 'string')))]
  const users = idsOf('user')
  const sites = idsOf('site')
  if (!users.length && !sites.length) return new Map()
  const found = (await sql<{ id: string; name: string }>`
    select id, name from users where id = any(${users}::uuid[]) and (${actor.role !== 'customer'} or role <> 'customer' or id = ${actor.id}::uuid)
    union all
    select id, concat_ws(' — ', nullif(code, ''), name) from sites where id = any(${sites}::uuid[])`.execute(db)).rows
  return new Map(found.map((r) => [r.id, r.name]))
}

async function loadExtras(db: Executor, ids: string[]): Promise<Map<string, ExportExtra>> {
  if (!ids.length) return new Map()
  const rows = (await sql<ExportExtra>`
    select t.id, r.email as requester_email, t.first_response_at, t.closed_at,
      (select string_agg(pc.name, ' › ' order by pc.depth) from categories c join categories pc on pc.id = any(c.path)
        where c.id = t.category_id) as category_path,
      (select string_agg(case when x.provider is null then x.value else x.provider || ': ' || x.value end, '; ' order by x.created_at, x.id)
        from ticket_external_refs x where x.ticket_id = t.id) as external_refs
    from tickets t left join users r on r.id = t.requester_id where t.id = any(${ids}::uuid[])`.execute(db)).rows
  return new Map(rows.map((r) => [r.id, r]))
}

/**
 * Refuses, before anything is sent, an export over the cap (and bad filters, as the list does):
 * a bounded count of the matching visible tickets, or for a search one probe past its depth.
 */
async function checkSize(db: Executor, actor: Actor, input: TicketExportInput): Promise<void> {
  const fmt = (n: number) => n.toLocaleString(input.lang === 'en' ? 'en-US' : 'es-MX')
  const max = maxRows(input)
  if (searching(input.q)) {
    const probe = await listTickets(db, actor, { filters: input.filters, q: input.q, cursor: encodeCursor([max]), limit: 1, now: input.now })
    if (probe.rows.length) throw new AppError(422, 'export_too_large', 'tickets.export.search_too_many', { max: fmt(max) })
    return
  }
  const conditions = [visibleTicketsWhere(actor), ...(await filterConditions(db, actor, input.filters, { now: input.now }))]
  const n = Number((await sql<{ n: number | string }>`
    select count(*) as n from (select 1 from tickets t where ${andAll(conditions)} limit ${max + 1}) x`.execute(db)).rows[0].n)
  if (n > max) throw new AppError(422, 'export_too_large', 'tickets.export.too_many', { max: fmt(max) })
}

/**
 * GET /api/v1/tickets/export.csv: the tickets the actor would page through in GET /api/v1/tickets
 * with the same filters, view, sort and q (scope from the policy), as CSV text chunks: BOM and
 * header first, then one chunk per keyset page of PAGE_SIZE rows. Ticket attributes only — no
 * description, reply or internal note text is ever read. Checks run before the first chunk, so a
 * refusal is an ordinary 4xx; records no event.
 */
export async function exportTickets(db: Executor, actor: Actor, input: TicketExportInput): Promise<AsyncGenerator<string>> {
  await checkSize(db, actor, input)
  const defs = await visibleFields(db, actor)
  const columns = [...fixedColumns(actor, input.lang), ...customFieldColumns(defs, input.lang)]
  const max = maxRows(input)
  const pageSize = input.pageSize ?? PAGE_SIZE
  async function* chunks(): AsyncGenerator<string> {
    yield CSV_BOM + csvRow(columns.map((c) => c[input.lang]))
    const seen = new Set<string>() // a search pages by offset: a ticket moving up between pages is written once
    let cursor: string | undefined
    let written = 0
    do {
      const page = await listTickets(db, actor, { filters: input.filters, sort: input.sort, q: input.q, cursor, limit: pageSize, now: input.now })
      const rows = page.rows.filter((r) => !seen.has(r.id)).slice(0, max - written)
      if (searching(input.q)) for (const r of rows) seen.add(r.id)
      const extras = await loadExtras(db, rows.map((r) => r.id))
      const names = await loadNames(db, actor, defs, rows)
      if (rows.length) yield rows.map((r) => csvRow(columns.map((c) => c.value(r, extras.get(r.id), names)))).join('')
      written += rows.length
      // A search's offset stops growing at its depth: the same cursor again means the end.
      if (page.nextCursor === cursor) break
      cursor = page.nextCursor ?? undefined
    } while (cursor && written < max)
  }
  return chunks()
}
