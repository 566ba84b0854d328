import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import { Type } from 'typebox'
import { requireActor } from '../../../platform/auth/access'
import { recordAudit } from '../../../platform/audit/audit'
import { inTransaction, type Trx } from '../../../platform/db/database'
import { NotFoundError } from '../../../platform/http/errors'
import { IdParams, Ok, StrictObject, errorResponses } from '../../../platform/http/schemas'
import { visibleTicketsWhere } from '../../tickets/tickets.policy'
import { withSlaErrors } from '../sla.http'
import { findPolicy, listPolicies, type StoredPolicy } from '../storage/policy-store'
import { EXAMPLE_SETS, loadExampleSet } from '../presets/load-example-set'
import { TARGET_NAME } from '../escalation/schedule-escalations'
import type { SlaTargetKey } from '../sla.tables'
import { Breach, BreachQuery, ExampleSetResult, Policy, PolicyBody, PolicyOrderBody, PolicyPatch } from './admin.schemas'
import { createPolicy, deletePolicy, reorderPolicies, updatePolicy, type PolicyInput } from './policy-commands'

const presentPolicy = (p: StoredPolicy) => ({
  id: p.id, name: p.name, description: p.description, position: p.position, active: p.active, conditions: p.conditions, targets: p.targets,
  calendar: p.calendar, calendarId: p.calendarId ?? null, pauseOnHold: p.pauseOnHold, resolutionStart: p.resolutionStart,
  warningPercent: p.warningPercent, escalations: p.escalations ?? [], presetKey: p.presetKey,
  createdAt: new Date(p.createdAt).toISOString(), updatedAt: new Date(p.updatedAt).toISOString(),
})

const SNAKE: Record<string, SlaTargetKey> = { firstResponse: 'first_response', nextResponse: 'next_response', resolution: 'resolution' }

/** SLA policies (ordered, first match wins), the example sets, and the breaches report. */
export const slaPoliciesRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  const load = async (id: string) => {
    const p = await findPolicy(ctx.db, id)
    if (!p) throw new NotFoundError('sla.policy_not_found')
    return p
  }
  const change = <T>(request: FastifyRequest, action: string, target: (result: T) => string | undefined, fn: (trx: Trx) => Promise<T>) =>
    withSlaErrors(request, () => inTransaction(ctx.db, async (trx) => {
      const result = await fn(trx)
      await recordAudit(trx, { actorId: requireActor(request).id, action, targetType: 'sla_policy', targetId: target(result), ip: request.ip })
      return result
    }))

  app.get('/api/v1/sla/policies', {
    config: { access: 'sla.read' },
    schema: { tags: ['sla'], summary: 'Políticas de SLA en orden de evaluación', response: { 200: Type.Object({ items: Type.Array(Policy) }), ...errorResponses } },
  }, async () => ({ items: (await listPolicies(ctx.db)).map(presentPolicy) }))

  app.get('/api/v1/sla/policies/:id', {
    config: { access: 'sla.read' },
    schema: { tags: ['sla'], summary: 'Una política de SLA', params: IdParams, response: { 200: Policy, ...errorResponses } },
  }, async (request) => presentPolicy(await load((request.params as { id: string }).id)))

  app.post('/api/v1/sla/policies', {
    config: { access: 'sla.manage' },
    schema: { tags: ['sla'], summary: 'Crear una política de SLA', body: PolicyBody, response: { 201: Policy, ...errorResponses } },
  }, async (request, reply) => {
    const body = request.body as PolicyInput & { name: string; targets: NonNullable<PolicyInput['targets']> }
    const id = await change(request, 'sla.policy_created', (created: string) => created, (trx) => createPolicy(trx, body, ctx.now()))
    return reply.status(201).send(presentPolicy(await load(id)))
  })

  app.patch('/api/v1/sla/policies/:id', {
    config: { access: 'sla.manage' },
    schema: { tags: ['sla'], summary: 'Cambiar una política de SLA', params: IdParams, body: PolicyPatch, response: { 200: Policy, ...errorResponses } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    await change(request, 'sla.policy_updated', () => id, (trx) => updatePolicy(trx, id, request.body as PolicyInput, ctx.now()))
    return presentPolicy(await load(id))
  })

  app.delete('/api/v1/sla/policies/:id', {
    config: { access: 'sla.manage' },
    schema: { tags: ['sla'], summary: 'Eliminar una política de SLA', params: IdParams, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    await change(request, 'sla.policy_deleted', () => id, (trx) => deletePolicy(trx, id))
    return { ok: true }
  })

  app.put('/api/v1/sla/policies/order', {
    config: { access: 'sla.manage' },
    schema: { tags: ['sla'], summary: 'Ordenar las políticas (la primera que coincide gana)', body: PolicyOrderBody, response: { 200: Type.Object({ items: Type.Array(Policy) }), ...errorResponses } },
  }, async (request) => {
    await change(request, 'sla.policies_reordered', () => undefined, (trx) => reorderPolicies(trx, (request.body as { ids: string[] }).ids, ctx.now()))
    return { items: (await listPolicies(ctx.db)).map(presentPolicy) }
  })

  app.post('/api/v1/sla/example-sets/:preset', {
    config: { access: 'sla.manage' },
    schema: {
      tags: ['sla'], summary: 'Cargar un conjunto de ejemplo (p. ej. «Operador móvil (MVNO)»): categorías, políticas y cortes',
      params: StrictObject({ preset: Type.Enum(Object.keys(EXAMPLE_SETS)) }), response: { 200: ExampleSetResult, ...errorResponses },
    },
  }, async (request) => {
    const preset = EXAMPLE_SETS[(request.params as { preset: string }).preset]
    return change(request, 'sla.example_set_loaded', () => undefined, (trx) => loadExampleSet(trx, preset, ctx.now()))
  })

  app.get('/api/v1/sla/breaches', {
    config: { access: 'sla.read' },
    schema: { tags: ['sla'], summary: 'Incumplimientos de SLA (reportes)', querystring: BreachQuery, response: { 200: Type.Object({ items: Type.Array(Breach) }), ...errorResponses } },
  }, async (request) => {
    const q = request.query as { from?: string; to?: string; target?: string; limit?: number }
    const actor = requireActor(request)
    const rows = (await sql<{ ticket_id: string; number: number; subject: string; target: SlaTargetKey; cycle: number; policy_id: string | null; policy_name: string | null
      priority: string | null; team_id: string | null; assignee_id: string | null; target_minutes: number; due_at: Date; breached_at: Date; met_at: Date | null }>`
      select b.ticket_id, t.number, t.subject, b.target, b.cycle, b.policy_id, p.name as policy_name, b.priority, b.team_id, b.assignee_id,
        b.target_minutes, b.due_at, b.breached_at, b.met_at
      from sla_breaches b join tickets t on t.id = b.ticket_id left join sla_policies p on p.id = b.policy_id
      where ${visibleTicketsWhere(actor)} ${q.from ? sql`and b.breached_at >= ${new Date(q.from)}` : sql``} ${q.to ? sql`and b.breached_at < ${new Date(q.to)}` : sql``}
        ${q.target ? sql`and b.target = ${SNAKE[q.target]}` : sql``}
      order by b.breached_at desc, b.id desc limit ${q.limit ?? 100}`.execute(ctx.db)).rows
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null)
    return {
      items: rows.map((r) => ({
        ticketId: r.ticket_id, number: Number(r.number), subject: r.subject, target: TARGET_NAME[r.target], cycle: r.cycle,
        policy: r.policy_id ? { id: r.policy_id, name: r.policy_name ?? '' } : null, priority: r.priority, teamId: r.team_id, assigneeId: r.assignee_id,
        targetMinutes: r.target_minutes, dueAt: iso(r.due_at)!, breachedAt: iso(r.breached_at)!, metAt: iso(r.met_at),
      })),
    }
  })
}
