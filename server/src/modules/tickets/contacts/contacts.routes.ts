import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import { requireActor } from '../../../platform/auth/access'
import { Nullable } from '../tickets.schemas'
import { presentContact, searchContacts } from './search-contacts'

const Ref = Type.Object({ id: Uuid, name: Type.String() })
const Contact = Type.Object({
  id: Uuid, name: Type.String(), email: Nullable(Type.String()), phone: Nullable(Type.String()), organization: Nullable(Ref),
  site: Nullable(Type.Object({ id: Uuid, code: Type.String(), name: Type.String() })), openTickets: Type.Integer(),
  lastTicket: Nullable(Type.Object({ id: Uuid, number: Type.Integer() })),
})

/** Contact search for agents filing tickets on a call (by phone, email, name or site code). */
export const contactSearchRoutes: FastifyPluginAsync = async (app) => {
  app.get('/api/v1/contacts/search', {
    config: { access: 'contacts.search' },
    schema: {
      tags: ['tickets'], summary: 'Buscar contactos por teléfono, correo, nombre o código de sitio',
      querystring: StrictObject({ q: Type.String({ minLength: 2, maxLength: 200 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })) }),
      response: { 200: Type.Object({ items: Type.Array(Contact) }), ...errorResponses },
    },
  }, async (request) => {
    const { q, limit } = request.query as { q: string; limit?: number }
    return { items: (await searchContacts(app.ctx.db, requireActor(request), q, limit ?? 10)).map(presentContact) }
  })
}
