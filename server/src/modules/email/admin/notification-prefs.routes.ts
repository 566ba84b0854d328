import { sql } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { StrictObject, errorResponses } from '../../../platform/http/schemas'
import { AGENT_EMAIL_PREFS } from '../outbound/notification-prefs'

const Prefs = Type.Object({
  assigned: Type.Boolean({ description: 'Correo cuando se me asigna un ticket / Email when a ticket is assigned to me' }),
  mentioned: Type.Boolean({ description: 'Correo cuando me mencionan / Email when I am mentioned' }),
  customerReply: Type.Boolean({ description: 'Correo cuando responde el cliente de mis tickets / Email when the customer of my tickets replies' }),
  slaWarning: Type.Boolean({ description: 'Correo cuando un ticket está por vencer (SLA) / Email when a ticket is due soon (SLA)' }),
  slaBreached: Type.Boolean({ description: 'Correo cuando un ticket venció (SLA) / Email when a ticket breached its SLA' }),
  cutoffReminder: Type.Boolean({ description: 'Recordatorio de cortes de mis tickets / Cut-off reminders for my tickets' }),
})

const KEYS = {
  assigned: AGENT_EMAIL_PREFS.agent_assigned, mentioned: AGENT_EMAIL_PREFS.agent_mentioned, customerReply: AGENT_EMAIL_PREFS.agent_customer_reply,
  slaWarning: AGENT_EMAIL_PREFS.sla_warning, slaBreached: AGENT_EMAIL_PREFS.sla_breached, cutoffReminder: AGENT_EMAIL_PREFS.sla_cutoff_reminder,
}
const PutBody = StrictObject(Object.fromEntries(Object.keys(KEYS).map((k) => [k, Type.Optional(Type.Boolean())])))

/** The signed-in agent's email notifications (users.notification_prefs), each on unless switched off. */
export const notificationPrefsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  const read = async (userId: string) => {
    const prefs = (await sql<{ p: Record<string, boolean> | null }>`select notification_prefs as p from users where id = ${userId}`.execute(ctx.db)).rows[0]?.p ?? {}
    return Object.fromEntries(Object.entries(KEYS).map(([k, key]) => [k, prefs[key] !== false])) as Record<keyof typeof KEYS, boolean>
  }

  app.get('/api/v1/me/email-notifications', {
    config: { access: 'email.notification_prefs' },
    schema: { tags: ['email'], summary: 'Mis avisos por correo (agentes)', response: { 200: Prefs, ...errorResponses } },
  }, async (request) => read(requireActor(request).id))

  app.put('/api/v1/me/email-notifications', {
    config: { access: 'email.notification_prefs' },
    schema: { tags: ['email'], summary: 'Activar o desactivar mis avisos por correo', body: PutBody, response: { 200: Prefs, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const body = request.body as Partial<Record<keyof typeof KEYS, boolean>>
    const change = Object.fromEntries(Object.entries(body).map(([k, v]) => [KEYS[k as keyof typeof KEYS], v]))
    await sql`update users set notification_prefs = notification_prefs || ${JSON.stringify(change)}::jsonb, updated_at = ${ctx.now()}
      where id = ${actor.id}`.execute(ctx.db)
    return read(actor.id)
  })
}
