import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireActor } from '../../../platform/auth/access'
import { recordAudit } from '../../../platform/audit/audit'
import { inTransaction, type Executor, type Trx } from '../../../platform/db/database'
import { NotFoundError } from '../../../platform/http/errors'
import { IdParams, Ok, errorResponses } from '../../../platform/http/schemas'
import type { Weekday } from '../../../../../common/src/sla/sla.types'
import { withSlaErrors } from '../sla.http'
import {
  createCutoff, cutoffZone, deleteCutoff, findCutoff, nextCutoffAt, updateCutoff, type CutoffInput, type CutoffRow,
} from '../cutoffs/cutoff-commands'
import { dueBeforeCutoff } from '../cutoffs/due-before-cutoff'
import { Cutoff, CutoffBody, CutoffPatch, DueList } from './admin.schemas'

async function presentCutoff(db: Executor, row: CutoffRow, now: Date) {
  const zone = await cutoffZone(db, row)
  const next = nextCutoffAt(row, zone, now)
  return {
    id: row.id, name: row.name, calendarId: row.calendar_id, timezone: zone, days: row.days, times: row.times, filter: row.filter,
    action: row.action, templateEs: row.template_es, templateEn: row.template_en, remindAssignee: row.remind_assignee, active: row.active,
    nextRunAt: next ? next.toISOString() : null, createdAt: new Date(row.created_at).toISOString(), updatedAt: new Date(row.updated_at).toISOString(),
  }
}

/** Scheduled cut-offs ("cortes", R20): staff read them and what is due before the next one; admins change them. */
export const slaCutoffsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  const load = async (id: string) => {
    const row = await findCutoff(ctx.db, id)
    if (!row) throw new NotFoundError('sla.cutoff_not_found')
    return row
  }
  const change = <T>(request: FastifyRequest, action: string, id: (result: T) => string, fn: (trx: Trx) => Promise<T>) =>
    withSlaErrors(request, () => inTransaction(ctx.db, async (trx) => {
      const result = await fn(trx)
      await recordAudit(trx, { actorId: requireActor(request).id, action, targetType: 'sla_cutoff', targetId: id(result), ip: request.ip })
      return result
    }))

  app.get('/api/v1/sla/cutoffs', {
    config: { access: 'sla.read' },
    schema: { tags: ['sla'], summary: 'Cortes programados', response: { 200: Type.Object({ items: Type.Array(Cutoff) }), ...errorResponses } },
  }, async () => {
    const rows = (await ctx.db.selectFrom('sla_cutoffs').selectAll().orderBy('name').execute()) as CutoffRow[]
    return { items: await Promise.all(rows.map((r) => presentCutoff(ctx.db, r, ctx.now()))) }
  })

  app.get('/api/v1/sla/cutoffs/:id', {
    config: { access: 'sla.read' },
    schema: { tags: ['sla'], summary: 'Un corte', params: IdParams, response: { 200: Cutoff, ...errorResponses } },
  }, async (request) => presentCutoff(ctx.db, await load((request.params as { id: string }).id), ctx.now()))

  app.get('/api/v1/sla/cutoffs/:id/due', {
    config: { access: 'sla.read' },
    schema: { tags: ['sla'], summary: 'Tickets que vencen antes del próximo corte', params: IdParams, response: { 200: DueList, ...errorResponses } },
  }, async (request) => dueBeforeCutoff(ctx.db, requireActor(request), await load((request.params as { id: string }).id), ctx.now()))

  app.post('/api/v1/sla/cutoffs', {
    config: { access: 'sla.manage' },
    schema: { tags: ['sla'], summary: 'Crear un corte', body: CutoffBody, response: { 201: Cutoff, ...errorResponses } },
  }, async (request, reply) => {
    const body = request.body as CutoffInput & { name: string; days: Weekday[]; times: string[] }
    const id = await change(request, 'sla.cutoff_created', (created: string) => created, (trx) => createCutoff(trx, body, ctx.now()))
    return reply.status(201).send(await presentCutoff(ctx.db, await load(id), ctx.now()))
  })

  app.patch('/api/v1/sla/cutoffs/:id', {
    config: { access: 'sla.manage' },
    schema: { tags: ['sla'], summary: 'Cambiar un corte', params: IdParams, body: CutoffPatch, response: { 200: Cutoff, ...errorResponses } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    await change(request, 'sla.cutoff_updated', () => id, (trx) => updateCutoff(trx, id, request.body as CutoffInput, ctx.now()))
    return presentCutoff(ctx.db, await load(id), ctx.now())
  })

  app.delete('/api/v1/sla/cutoffs/:id', {
    config: { access: 'sla.manage' },
    schema: { tags: ['sla'], summary: 'Eliminar un corte', params: IdParams, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    await change(request, 'sla.cutoff_deleted', () => id, (trx) => deleteCutoff(trx, id, ctx.now()))
    return { ok: true }
  })
}
