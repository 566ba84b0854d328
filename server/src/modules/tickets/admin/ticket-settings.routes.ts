import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction } from '../../../platform/db/database'
import { recordAudit } from '../../../platform/audit/audit'
import { StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import { Nullable, Priority } from '../tickets.schemas'
import { readTicketSettings, writeTicketSettings, type TicketSettings } from '../settings/ticket-settings'
import { resolveCategory, resolveType } from '../commands/lookups'

const Settings = Type.Object({
  reopenWindowDays: Type.Integer(), defaultTypeCode: Type.String(), defaultPriority: Priority, defaultCategoryId: Nullable(Uuid),
})
const Body = StrictObject({
  reopenWindowDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  defaultTypeCode: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  defaultPriority: Type.Optional(Priority),
  defaultCategoryId: Type.Optional(Nullable(Uuid)),
})

/** Ticket defaults (type, priority, category when a creator omits them) and the reopen window. */
export const ticketSettingsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  app.get('/api/v1/ticket-settings', {
    config: { access: 'tickets.config.read' },
    schema: { tags: ['tickets-admin'], summary: 'Valores por omisión de los tickets y plazo de reapertura', response: { 200: Settings, ...errorResponses } },
  }, async () => readTicketSettings(ctx.db))

  app.patch('/api/v1/ticket-settings', {
    config: { access: 'tickets.config.manage' },
    schema: { tags: ['tickets-admin'], summary: 'Cambiar valores por omisión y plazo de reapertura', body: Body, response: { 200: Settings, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const b = request.body as Partial<TicketSettings>
    return inTransaction(ctx.db, async (trx) => {
      if (b.defaultTypeCode) b.defaultTypeCode = (await resolveType(trx, b.defaultTypeCode)).code
      if (b.defaultCategoryId) await resolveCategory(trx, b.defaultCategoryId)
      const next = await writeTicketSettings(trx, b, ctx.now())
      await recordAudit(trx, { actorId: actor.id, action: 'tickets.settings_updated', targetType: 'settings', targetId: 'tickets', details: { ...b } })
      return next
    })
  })
}
