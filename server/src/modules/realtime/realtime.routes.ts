import type { FastifyPluginAsync } from 'fastify'
import { Type } from 'typebox'
import { requireActor } from '../../platform/auth/access'
import { notify } from '../../platform/db/database'
import { errorResponses, Ok, StrictObject, Uuid } from '../../platform/http/schemas'

const HEARTBEAT_MS = 25_000

/**
 * Server-Sent Events: every change the signed-in user may see, as `data: {id,type,ticketId,at,data}`.
 * Filtering is the policy's (see registerEventFilter); clients re-read changed objects through the API.
 */
export const realtimeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/v1/events/stream', {
    config: { access: 'events.subscribe' },
    schema: { tags: ['realtime'], summary: 'Flujo de cambios en tiempo real (text/event-stream)', produces: ['text/event-stream'], response: { ...errorResponses } },
  }, async (request, reply) => {
    const actor = requireActor(request)
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    res.write(`retry: 3000\n: hola\n\n`)
    const unsubscribe = app.ctx.realtime.subscribe(actor, (e) => { res.write(`id: ${e.id}\nevent: change\ndata: ${JSON.stringify(e)}\n\n`) })
    const unsubscribePresence = actor.role === 'customer' ? () => {} : app.ctx.realtime.onPresence((payload) => { res.write(`event: presence\ndata: ${payload}\n\n`) })
    const beat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS)
    request.raw.on('close', () => {
      clearInterval(beat)
      unsubscribe()
      unsubscribePresence()
    })
  })

  // Collision notice: an agent says they are viewing or replying to a ticket; other agents' streams get it.
  app.post('/api/v1/presence', {
    config: { access: 'tickets.presence' },
    schema: {
      tags: ['realtime'], summary: 'Avisar que estoy viendo o respondiendo un ticket',
      body: StrictObject({ ticketId: Uuid, activity: Type.Union([Type.Literal('viewing'), Type.Literal('replying'), Type.Literal('left')]) }),
      response: { 200: Ok, ...errorResponses },
    },
  }, async (request) => {
    const actor = requireActor(request)
    const body = request.body as { ticketId: string; activity: string }
    await notify(app.ctx.db, 'atiende_presence', JSON.stringify({ ticketId: body.ticketId, userId: actor.id, name: actor.name, activity: body.activity, at: app.ctx.now().toISOString() }))
    return { ok: true }
  })
}
