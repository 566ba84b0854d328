import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { inTransaction } from '../../../platform/db/database'
import { IdParams, Page, StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import { PageQuery } from '../../../platform/http/cursor'
import { Email, Locale, Nullable, PersonName, Phone } from '../accounts.schemas'
import { Contact, findContact, listContacts, type ContactFilters } from './contacts.presenter'
import { createContact, updateContact, type ContactInput } from './save-contact'

const ContactFields = {
  email: Type.Optional(Nullable(Email)),
  phone: Type.Optional(Nullable(Phone)),
  organizationId: Type.Optional(Nullable(Uuid)),
  siteId: Type.Optional(Nullable(Uuid)),
  locale: Type.Optional(Locale),
}
const CreateContactBody = StrictObject({ name: PersonName, ...ContactFields }, { description: 'An email, a phone, or both.' })
const UpdateContactBody = StrictObject({ name: Type.Optional(PersonName), ...ContactFields })
const ListContactsQuery = StrictObject({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  organization: Type.Optional(Uuid),
  site: Type.Optional(Uuid),
  active: Type.Optional(Type.Boolean()),
  ...PageQuery,
})

/** Contacts (requesters): agents look them up while on a call, create and correct them. */
export const contactsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx

  app.get('/api/v1/contacts', {
    config: { access: 'users.read' },
    schema: { tags: ['contacts'], summary: 'Buscar contactos (nombre, correo o teléfono; organización, sitio)', querystring: ListContactsQuery, response: { 200: Page(Contact), ...errorResponses } },
  }, async (request) => listContacts(ctx.db, request.query as ContactFilters))

  app.get('/api/v1/contacts/:id', {
    config: { access: 'users.read' },
    schema: { tags: ['contacts'], summary: 'Ver un contacto', params: IdParams, response: { 200: Contact, ...errorResponses } },
  }, async (request) => findContact(ctx.db, (request.params as { id: string }).id))

  app.post('/api/v1/contacts', {
    config: { access: 'contacts.manage' },
    schema: { tags: ['contacts'], summary: 'Crear un contacto', body: CreateContactBody, response: { 201: Contact, ...errorResponses } },
  }, async (request, reply) => {
    const id = await inTransaction(ctx.db, (trx) => createContact(trx, request.body as ContactInput & { name: string }))
    return reply.status(201).send(await findContact(ctx.db, id))
  })

  app.patch('/api/v1/contacts/:id', {
    config: { access: 'contacts.manage' },
    schema: { tags: ['contacts'], summary: 'Corregir un contacto', params: IdParams, body: UpdateContactBody, response: { 200: Contact, ...errorResponses } },
  }, async (request) => {
    const { id } = request.params as { id: string }
    await inTransaction(ctx.db, (trx) => updateContact(trx, id, request.body as ContactInput, ctx.now()))
    return findContact(ctx.db, id)
  })
}
