import type { FastifyPluginAsync } from 'fastify'
import { Type } from 'typebox'
import { requireActor } from '../../platform/auth/access'
import { errorResponses, Ok, StrictObject, Uuid } from '../../platform/http/schemas'
import { announcePresence, type PresenceActivity } from './presence'

const HEARTBEAT_MS = 25_000

/**
 * Server-Sent Events: every change the signed-in user may see, as `data: {id,type,ticketId,at,data}`,
 * and staff's presence on tickets they may see. Filtering is the policy's (see registerEventFilter);
 * clients re-read changed objects through the API. The stream follows its session or token: it is
 * closed once they end and filters with the user's current role, teams and scope (Realtime.revalidate).
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
    const write = (chunk: string) => { if (!res.writableEnded) res.write(chunk) }
    const beat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS)
    const unsubscribe = app.ctx.realtime.subscribe(actor, (e) => write(`id: ${e.id}\nevent: change\ndata: ${JSON.stringify(e)}\n\n`), {
      presence: (p) => write(`event: presence\ndata: ${JSON.stringify(p)}\n\n`),
      // The session or token ended: close the stream (the browser's reconnection then gets 401).
      end: () => { if (!res.writableEnded) res.end() },
    })
    res.on('close', () => {
      clearInterval(beat)
      unsubscribe()
    })
  })

  // Collision notice: staff say they are viewing or replying to a ticket they may see; the streams of other staff who may see it get it.
  app.post('/api/v1/presence', {
    config: { access: 'tickets.presence' },
    schema: {
      tags: ['realtime'], summary: 'Avisar que estoy viendo o respondiendo un ticket',
      body: StrictObject({ ticketId: Uuid, activity: Type.Union([Type.Literal('viewing'), Type.Literal('replying'), Type.Literal('left')]) }),
      response: { 200: Ok, ...errorResponses },
    },
  }, async (request) => {
    const body = request.body as { ticketId: string; activity: PresenceActivity }
    await announcePresence(app.ctx.db, requireActor(request), body, app.ctx.now())
    return { ok: true }
  })
}
