import { sql } from 'kysely'
import type { Actor } from '../../../platform/auth/actor'
import type { Executor, Trx } from '../../../platform/db/database'
import { ForbiddenError, NotFoundError, ValidationError } from '../../../platform/http/errors'
import { TICKET_SORTS, type TicketSort } from '../../../../../common/src/tickets/tickets.types'
import { Type } from 'typebox'
import { compileValidator, describeValidation } from '../../../platform/http/validation'
import type { Lang } from '../../../platform/i18n/locale'
import { t } from '../../../platform/i18n/messages'
import { FILTER_KEYS, filterConditions, type TicketFilters } from '../queries/ticket-filters'
import { ListQuery } from '../tickets.schemas'

export interface ViewRow {
  id: string; name: string; owner_id: string | null; team_id: string | null; filters: TicketFilters; sort: TicketSort; position: number
  created_by_id: string | null; created_at: Date; updated_at: Date
}

export interface ViewInput { name?: string; teamId?: string | null; filters?: Record<string, unknown>; sort?: TicketSort; position?: number }

const SORTS = new Set<string>(TICKET_SORTS)

/** A view's filters are the list's filter parameters, checked by the list's own rules (one value or several). */
const checkFilters = compileValidator(Type.Object(Object.fromEntries(FILTER_KEYS.map((k) => [k, ListQuery.properties[k]])), { additionalProperties: false }), 'query')

/** Only known filters with values the list accepts are stored in a view (a bad date or list would fail every use). */
export function cleanFilters(raw: Record<string, unknown>, lang: Lang = 'es'): TicketFilters {
  const out = structuredClone(raw)
  if (!checkFilters(out)) {
    const { summary, details } = describeValidation(checkFilters.errors ?? [], 'filters', lang)
    throw new ValidationError('tickets.view.invalid_filters', { summary }, details.map((d) => ({ ...d, field: `filters.${d.field}` })))
  }
  return out as TicketFilters
}

/**
 * The view's filters through the list's own parser (ticket-filters), as a use of the view would run
 * them: a value the list refuses (priority `supreme`, a category that is not an id, an unknown custom
 * field) is a 400 when the view is saved rather than on every later use.
 */
async function checkUsable(db: Executor, actor: Actor, filters: TicketFilters, lang: Lang): Promise<void> {
  try {
    await filterConditions(db, actor, filters)
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    const details = Array.isArray(err.details) ? (err.details as Array<{ field?: string }>).map((d) => ({ ...d, field: `filters.${d.field ?? ''}` })) : err.details
    throw new ValidationError('tickets.view.invalid_filters', { summary: t(lang, err.messageKey, err.params) }, details)
  }
}

/** Views the actor may use: their own and those shared with their teams (supervisors and admins: every team's). */
export async function listViews(db: Executor, actor: Actor): Promise<ViewRow[]> {
  const everyTeam = actor.role === 'supervisor' || actor.role === 'admin'
  return (await sql<ViewRow>`select * from ticket_views
    where owner_id = ${actor.id} or ${everyTeam ? sql`team_id is not null` : sql`team_id = any(${actor.teamIds}::uuid[])`}
    order by team_id nulls first, position, name`.execute(db)).rows
}

async function loadView(db: Executor, actor: Actor, id: string): Promise<ViewRow> {
  const view = (await sql<ViewRow>`select * from ticket_views where id = ${id}`.execute(db)).rows[0]
  const everyTeam = actor.role === 'supervisor' || actor.role === 'admin'
  const visible = view && (view.owner_id === actor.id || (view.team_id && (everyTeam || actor.teamIds.includes(view.team_id))))
  if (!visible) throw new NotFoundError('tickets.view.not_found')
  return view
}

/** May the actor create or change a team's shared view? Supervisors, admins and the team lead. */
async function mayShareWithTeam(db: Executor, actor: Actor, teamId: string): Promise<boolean> {
  if (actor.role === 'supervisor' || actor.role === 'admin') return true
  const lead = (await sql<{ lead_user_id: string | null }>`select lead_user_id from teams where id = ${teamId}`.execute(db)).rows[0]
  return lead?.lead_user_id === actor.id
}

/** The filters and sort of a view the actor may use (GET /api/v1/tickets?view=…). */
export async function viewFilters(db: Executor, actor: Actor, id: string): Promise<{ filters: TicketFilters; sort: TicketSort | undefined }> {
  const view = await loadView(db, actor, id)
  return { filters: view.filters, sort: SORTS.has(view.sort) ? view.sort : undefined }
}

export async function createView(trx: Trx, actor: Actor, input: Required<Pick<ViewInput, 'name'>> & ViewInput, now: Date, lang: Lang = 'es'): Promise<ViewRow> {
  if (input.teamId) {
    if (!(await sql`select 1 from teams where id = ${input.teamId}`.execute(trx)).rows.length) {
      throw new ValidationError('tickets.unknown_team', {}, [{ field: 'teamId', rule: 'exists' }])
    }
    if (!(await mayShareWithTeam(trx, actor, input.teamId))) throw new ForbiddenError('tickets.view.team_forbidden')
  }
  const filters = cleanFilters(input.filters ?? {}, lang)
  await checkUsable(trx, actor, filters, lang)
  return (await sql<ViewRow>`insert into ticket_views (name, owner_id, team_id, filters, sort, position, created_by_id, created_at, updated_at)
    values (${input.name.trim()}, ${input.teamId ? null : actor.id}, ${input.teamId ?? null}, ${JSON.stringify(filters)}::jsonb,
            ${input.sort ?? '-updatedAt'}, ${input.position ?? 0}, ${actor.id}, ${now}, ${now}) returning *`.execute(trx)).rows[0]
}

export async function updateView(trx: Trx, actor: Actor, id: string, input: ViewInput, now: Date, lang: Lang = 'es'): Promise<ViewRow> {
  const view = await loadView(trx, actor, id)
  if (view.team_id && !(await mayShareWithTeam(trx, actor, view.team_id))) throw new ForbiddenError('tickets.view.team_forbidden')
  const filters = input.filters ? cleanFilters(input.filters, lang) : view.filters
  if (input.filters) await checkUsable(trx, actor, filters, lang)
  return (await sql<ViewRow>`update ticket_views set name = ${input.name?.trim() ?? view.name}, filters = ${JSON.stringify(filters)}::jsonb,
    sort = ${input.sort ?? view.sort}, position = ${input.position ?? view.position}, updated_at = ${now} where id = ${id} returning *`.execute(trx)).rows[0]
}

export async function deleteView(trx: Trx, actor: Actor, id: string) {
  const view = await loadView(trx, actor, id)
  if (view.team_id && !(await mayShareWithTeam(trx, actor, view.team_id))) throw new ForbiddenError('tickets.view.team_forbidden')
  await sql`delete from ticket_views where id = ${id}`.execute(trx)
}

export function presentView(v: ViewRow, actor: Actor) {
  return {
    id: v.id, name: v.name, scope: v.team_id ? 'team' as const : 'personal' as const, teamId: v.team_id, filters: v.filters, sort: v.sort,
    position: v.position, mine: v.owner_id === actor.id, createdAt: new Date(v.created_at).toISOString(), updatedAt: new Date(v.updated_at).toISOString(),
  }
}
