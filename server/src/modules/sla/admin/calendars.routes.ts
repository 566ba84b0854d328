import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { requireActor } from '../../../platform/auth/access'
import { recordAudit } from '../../../platform/audit/audit'
import { inTransaction, type Trx } from '../../../platform/db/database'
import { NotFoundError } from '../../../platform/http/errors'
import { IdParams, Ok, errorResponses } from '../../../platform/http/schemas'
import { withSlaErrors } from '../sla.http'
import { findCalendar, listCalendars, statutoryHolidays, type CalendarRow } from '../storage/calendar-store'
import { Calendar, CalendarBody, CalendarPatch, HolidayBody, HolidayParams, YearQuery } from './admin.schemas'
import {
  addHoliday, createCalendar, deleteCalendar, removeHoliday, updateCalendar, weeklyMinutes, type CalendarInput,
} from './calendar-commands'

/** A calendar for the admin screen, with the closed dates of the given years marked statutory or custom. */
export function presentCalendar(row: CalendarRow, years: number[]) {
  const inYears = (d: string) => years.includes(Number(d.slice(0, 4)))
  const custom = row.holidays.filter((h) => inYears(h.date)).map((h) => ({ date: h.date, name: h.name, source: 'custom' as const }))
  const statutory = years.flatMap((y) => statutoryHolidays(row, y))
    .filter((d) => !row.removed_holidays.includes(d) && !custom.some((c) => c.date === d))
    .map((d) => ({ date: d, name: null, source: 'statutory' as const }))
  return {
    id: row.id, name: row.name, builtin: row.builtin, isDefault: row.is_default, timezone: row.timezone, hours: row.hours,
    statutory: row.statutory, removedHolidays: row.removed_holidays,
    holidays: [...custom, ...statutory].sort((a, b) => a.date.localeCompare(b.date)),
    weeklyMinutes: weeklyMinutes(row.hours), createdAt: new Date(row.created_at).toISOString(), updatedAt: new Date(row.updated_at).toISOString(),
  }
}

/** Business calendars ("Horario de atención, días festivos"): staff read them, admins change them. */
export const slaCalendarsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  const years = (request: FastifyRequest) => {
    const year = (request.query as { year?: number }).year
    const now = ctx.now().getUTCFullYear()
    return year ? [year] : [now, now + 1]
  }
  const load = async (id: string) => {
    const row = await findCalendar(ctx.db, id)
    if (!row) throw new NotFoundError('sla.calendar_not_found')
    return row
  }
  /** Runs a change and its audit row in one transaction (field issues become a 400). */
  const change = <T>(request: FastifyRequest, action: string, fn: (trx: Trx) => Promise<T>, target: (result: T) => { id: string; details?: Record<string, unknown> }) =>
    withSlaErrors(request, () => inTransaction(ctx.db, async (trx) => {
      const result = await fn(trx)
      const { id, details } = target(result)
      await recordAudit(trx, { actorId: requireActor(request).id, action, targetType: 'sla_calendar', targetId: id, ip: request.ip, details: details ?? {} })
      return result
    }))

  app.get('/api/v1/sla/calendars', {
    config: { access: 'sla.read' },
    schema: { tags: ['sla'], summary: 'Calendarios de atención', querystring: YearQuery, response: { 200: Type.Object({ items: Type.Array(Calendar) }), ...errorResponses } },
  }, async (request) => ({ items: (await listCalendars(ctx.db)).map((r) => presentCalendar(r, years(request))) }))

  app.get('/api/v1/sla/calendars/:id', {
    config: { access: 'sla.read' },
    schema: { tags: ['sla'], summary: 'Un calendario con sus días festivos del año', params: IdParams, querystring: YearQuery, response: { 200: Calendar, ...errorResponses } },
  }, async (request) => presentCalendar(await load((request.params as { id: string }).id), years(request)))

  app.post('/api/v1/sla/calendars', {
    config: { access: 'sla.manage' },
    schema: { tags: ['sla'], summary: 'Crear un calendario', body: CalendarBody, response: { 201: Calendar, ...errorResponses } },
  }, async (request, reply) => {
    const body = request.body as Required<Pick<CalendarInput, 'name' | 'timezone' | 'hours'>> & CalendarInput
    const id = await change(request, 'sla.calendar_created', (trx) => createCalendar(trx, body, ctx.now()), (created) => ({ id: created, details: { name: body.name } }))
    return reply.status(201).send(presentCalendar(await load(id), years(request)))
  })

  app.patch('/api/v1/sla/calendars/:id', {
    config: { access: 'sla.manage' },
    schema: { tags: ['sla'], summary: 'Cambiar un calendario', params: IdParams, body: CalendarPatch, response: { 200: Calendar, ...errorResponses } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    await change(request, 'sla.calendar_updated', (trx) => updateCalendar(trx, id, request.body as CalendarInput, ctx.now()),
      () => ({ id, details: { fields: Object.keys(request.body as object) } }))
    return presentCalendar(await load(id), years(request))
  })

  app.delete('/api/v1/sla/calendars/:id', {
    config: { access: 'sla.manage' },
    schema: { tags: ['sla'], summary: 'Eliminar un calendario sin uso', params: IdParams, response: { 200: Ok, ...errorResponses } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    await change(request, 'sla.calendar_deleted', (trx) => deleteCalendar(trx, id), (row) => ({ id, details: { name: row.name } }))
    return { ok: true }
  })

  app.post('/api/v1/sla/calendars/:id/holidays', {
    config: { access: 'sla.manage' },
    schema: { tags: ['sla'], summary: 'Agregar un día festivo', params: IdParams, body: HolidayBody, response: { 200: Calendar, ...errorResponses } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    const body = request.body as { date: string; name?: string | null }
    await change(request, 'sla.holiday_added', (trx) => addHoliday(trx, id, body, ctx.now()), () => ({ id, details: { date: body.date } }))
    return presentCalendar(await load(id), [Number(body.date.slice(0, 4))])
  })

  app.delete('/api/v1/sla/calendars/:id/holidays/:date', {
    config: { access: 'sla.manage' },
    schema: { tags: ['sla'], summary: 'Quitar un día festivo (también uno de ley)', params: HolidayParams, response: { 200: Calendar, ...errorResponses } },
  }, async (request) => {
    const { id, date } = request.params as { id: string; date: string }
    await change(request, 'sla.holiday_removed', (trx) => removeHoliday(trx, id, date, ctx.now()), () => ({ id, details: { date } }))
    return presentCalendar(await load(id), [Number(date.slice(0, 4))])
  })
}
