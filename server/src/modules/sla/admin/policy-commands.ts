import { sql } from 'kysely'
import type { Trx } from '../../../platform/db/database'
import { NotFoundError, ValidationError } from '../../../platform/http/errors'
import type { EscalationRule, SlaPolicyConditions } from '../../../../../common/src/sla/sla-policy.types'
import type { ResolutionStart, SlaPriority, SlaTargets } from '../../../../../common/src/sla/sla.types'
import { SlaInputError, slaIssue, type SlaIssue } from '../sla.errors'
import { findPolicy, type StoredPolicy } from '../storage/policy-store'
import { queueRecompute } from './calendar-commands'

export interface PolicyInput {
  name?: string
  description?: string | null
  position?: number
  active?: boolean
  conditions?: SlaPolicyConditions
  targets?: Partial<Record<SlaPriority, SlaTargets>>
  calendar?: 'business' | '24x7'
  calendarId?: string | null
  pauseOnHold?: boolean
  resolutionStart?: ResolutionStart
  warningPercent?: number
  escalations?: EscalationRule[]
}

/** Ids among `ids` that do not exist in `table` (one query). */
async function missing(trx: Trx, table: 'categories' | 'organizations' | 'teams' | 'sla_calendars', ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set()
  const found = new Set((await sql<{ id: string }>`select id from ${sql.table(table)} where id = any(${ids}::uuid[])`.execute(trx)).rows.map((r) => r.id))
  return new Set(ids.filter((id) => !found.has(id)))
}

/** Ticket type codes among `codes` that no ticket type has (active or not). */
async function missingTypes(trx: Trx, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set()
  const found = new Set((await sql<{ code: string }>`select code from ticket_types where code = any(${codes}::text[])`.execute(trx)).rows.map((r) => r.code))
  return new Set(codes.filter((c) => !found.has(c)))
}

/** Organization tiers (organizations.tier). */
export const ORGANIZATION_TIERS = ['standard', 'vip'] as const

/**
 * Cross-field and reference checks the schema cannot make, each naming its field: conditions that
 * could never match (a type, category, organization or tier that does not exist) are refused.
 */
async function checkPolicy(trx: Trx, p: Required<Pick<PolicyInput, 'targets' | 'conditions' | 'escalations'>> & PolicyInput) {
  const issues: SlaIssue[] = []
  const hasTarget = Object.values(p.targets).some((t) => t && Object.values(t).some((v) => v !== undefined))
  if (!hasTarget) issues.push(slaIssue('targets', 'sla.targets_empty'))
  if (p.calendar === '24x7' && p.calendarId) issues.push(slaIssue('calendarId', 'sla.calendar_24x7_with_id'))
  else if (p.calendarId && (await missing(trx, 'sla_calendars', [p.calendarId])).size) issues.push(slaIssue('calendarId', 'sla.calendar_not_found', { value: p.calendarId }))
  const noType = await missingTypes(trx, p.conditions.types ?? [])
  p.conditions.types?.forEach((code, i) => { if (noType.has(code)) issues.push(slaIssue(`conditions.types[${i}]`, 'sla.type_not_found', { value: code })) })
  p.conditions.tiers?.forEach((tier, i) => {
    if (!(ORGANIZATION_TIERS as readonly string[]).includes(tier)) issues.push(slaIssue(`conditions.tiers[${i}]`, 'sla.tier_unknown', { value: tier, allowed: ORGANIZATION_TIERS.join(', ') }))
  })
  const noCategory = await missing(trx, 'categories', p.conditions.categoryIds ?? [])
  p.conditions.categoryIds?.forEach((id, i) => { if (noCategory.has(id)) issues.push(slaIssue(`conditions.categoryIds[${i}]`, 'sla.category_not_found', { value: id })) })
  const noOrg = await missing(trx, 'organizations', p.conditions.organizationIds ?? [])
  p.conditions.organizationIds?.forEach((id, i) => { if (noOrg.has(id)) issues.push(slaIssue(`conditions.organizationIds[${i}]`, 'sla.organization_not_found', { value: id })) })
  const teamIds = p.escalations.flatMap((r) => r.actions.flatMap((a) => (a.type === 'move' && a.teamId ? [a.teamId] : [])))
  const noTeam = await missing(trx, 'teams', teamIds)
  p.escalations.forEach((rule, i) => rule.actions.forEach((a, j) => {
    const field = `escalations[${i}].actions[${j}]`
    if (a.type === 'move' && !a.teamId && a.level == null) issues.push(slaIssue(field, 'sla.move_empty'))
    if (a.type === 'move' && a.teamId && noTeam.has(a.teamId)) issues.push(slaIssue(`${field}.teamId`, 'sla.team_not_found', { value: a.teamId }))
    if (a.type === 'notify' && !a.recipients.length) issues.push(slaIssue(`${field}.recipients`, 'sla.recipients_empty'))
  }))
  if (issues.length) throw new SlaInputError(issues)
}

/**
 * Puts policy `id` at index `position` of the evaluation order (past the end: last) and renumbers
 * the others 0, 1, 2 … around it, as PUT …/order does; rows whose position changes get `now`.
 */
async function placePolicy(trx: Trx, id: string, position: number, now: Date): Promise<void> {
  const others = (await sql<{ id: string }>`select id from sla_policies where id <> ${id} order by position, created_at, id`.execute(trx)).rows.map((r) => r.id)
  const ids = [...others.slice(0, position), id, ...others.slice(position)]
  await sql`update sla_policies p set position = o.i - 1, updated_at = ${now}
    from unnest(${ids}::uuid[]) with ordinality as o(id, i) where p.id = o.id and p.position is distinct from o.i - 1`.execute(trx)
}

/**
 * Creates a policy — at the end of the order, or inserted at `position` (the others after it move
 * down one); open tickets are re-matched.
 */
export async function createPolicy(trx: Trx, input: PolicyInput & { name: string; targets: NonNullable<PolicyInput['targets']> }, now: Date, presetKey: string | null = null): Promise<string> {
  const p = { ...input, conditions: input.conditions ?? {}, escalations: input.escalations ?? [] }
  await checkPolicy(trx, p)
  const position = (await sql<{ n: number }>`select coalesce(max(position) + 1, 0) as n from sla_policies`.execute(trx)).rows[0].n
  const row = (await sql<{ id: string }>`insert into sla_policies (position, name, description, active, conditions, targets, calendar_mode, calendar_id,
      pause_on_hold, resolution_start, warning_percent, escalations, preset_key, created_at, updated_at)
    values (${position}, ${p.name.trim()}, ${p.description ?? null}, ${p.active ?? true}, ${JSON.stringify(p.conditions)}::jsonb,
      ${JSON.stringify(p.targets)}::jsonb, ${p.calendar ?? 'business'}, ${p.calendarId ?? null}, ${p.pauseOnHold ?? false},
      ${p.resolutionStart ?? 'created'}, ${p.warningPercent ?? 75}, ${JSON.stringify(p.escalations)}::jsonb, ${presetKey}, ${now}, ${now})
    returning id`.execute(trx)).rows[0]
  if (p.position !== undefined) await placePolicy(trx, row.id, p.position, now)
  await queueRecompute(trx)
  return row.id
}

/**
 * Changes a policy (a `position` moves it to that index of the order, the others shift); open
 * tickets are recomputed (time spent kept, targets and escalations follow). Switching to `24x7`
 * without naming a calendar drops the stored one.
 */
export async function updatePolicy(trx: Trx, id: string, input: PolicyInput, now: Date): Promise<void> {
  const current = await findPolicy(trx, id)
  if (!current) throw new NotFoundError('sla.policy_not_found')
  const p: StoredPolicy = {
    ...current,
    ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    calendar: input.calendar ?? current.calendar,
  }
  if (input.calendar === '24x7' && input.calendarId === undefined) p.calendarId = null
  const escalations = p.escalations ?? []
  // Only what this request says is checked against 24×7: a stored policy saved before the rule keeps working.
  await checkPolicy(trx, { ...p, calendarId: input.calendarId !== undefined || input.calendar !== undefined ? p.calendarId : null, escalations })
  if (input.position !== undefined) await placePolicy(trx, id, input.position, now)
  await sql`update sla_policies set name = ${p.name.trim()}, description = ${p.description}, active = ${p.active},
      conditions = ${JSON.stringify(p.conditions)}::jsonb, targets = ${JSON.stringify(p.targets)}::jsonb, calendar_mode = ${p.calendar},
      calendar_id = ${p.calendarId ?? null}, pause_on_hold = ${p.pauseOnHold}, resolution_start = ${p.resolutionStart},
      warning_percent = ${p.warningPercent}, escalations = ${JSON.stringify(escalations)}::jsonb, updated_at = ${now}
    where id = ${id}`.execute(trx)
  await queueRecompute(trx)
}

export async function deletePolicy(trx: Trx, id: string): Promise<StoredPolicy> {
  const current = await findPolicy(trx, id)
  if (!current) throw new NotFoundError('sla.policy_not_found')
  await sql`delete from sla_policies where id = ${id}`.execute(trx)
  await queueRecompute(trx)
  return current
}

/** Puts the policies in the given order (first match wins); the list must name every policy once. */
export async function reorderPolicies(trx: Trx, ids: string[], now: Date): Promise<void> {
  const all = (await sql<{ id: string }>`select id from sla_policies`.execute(trx)).rows.map((r) => r.id)
  if (new Set(ids).size !== ids.length || ids.length !== all.length || ids.some((id) => !all.includes(id))) {
    throw new ValidationError('sla.policy_order_mismatch', {}, [{ field: 'ids', rule: 'all_policies' }])
  }
  for (const [i, id] of ids.entries()) await sql`update sla_policies set position = ${i}, updated_at = ${now} where id = ${id}`.execute(trx)
  await queueRecompute(trx)
}
