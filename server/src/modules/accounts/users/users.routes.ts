import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { hashPassword } from '../../../platform/auth/secrets'
import { inTransaction } from '../../../platform/db/database'
import { ValidationError } from '../../../platform/http/errors'
import { IdParams, Ok, Page, errorResponses } from '../../../platform/http/schemas'
import { isTimeZone } from '../accounts.schemas'
import { createUser, checkPasswordOrInvite, type CreateUserInput } from './commands/create-user'
import { updateUser, type UpdateUserInput } from './commands/update-user'
import { inviteUser } from './commands/invite-user'
import { listUsers, type UserFilters } from './queries/list-users'
import { User, findUser, presentUser } from './users.presenter'
import { CreateUserBody, ListUsersQuery, UpdateUserBody } from './users.schemas'

const checkTimeZone = (tz: string | undefined) => {
  if (tz !== undefined && !isTimeZone(tz)) throw new ValidationError('accounts.timezone_unknown', { timezone: tz }, [{ field: 'timezone', rule: 'timezone' }])
}

/** Administration of users: create (password or invitation), list, read, change, re-invite. */
export const usersRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx

  app.post('/api/v1/users', {
    config: { access: 'users.manage' },
    schema: { tags: ['users'], summary: 'Crear un usuario (con contraseña inicial o invitación)', body: CreateUserBody, response: { 201: User, ...errorResponses } },
  }, async (request, reply) => {
    const actor = requireActor(request)
    const body = request.body as Omit<CreateUserInput, 'passwordHash'> & { password?: string; invite?: boolean }
    checkPasswordOrInvite(body.password, body.invite)
    checkTimeZone(body.timezone)
    const passwordHash = body.password === undefined ? null : await hashPassword(body.password)
    const { password: _password, ...rest } = body
    const id = await inTransaction(ctx.db, (trx) => createUser(trx, actor, { ...rest, invite: body.invite === true, passwordHash },
      { ip: request.ip, publicUrl: ctx.config.publicUrl, now: ctx.now() }))
    return reply.status(201).send(presentUser(await findUser(ctx.db, id)))
  })

  app.get('/api/v1/users', {
    config: { access: 'users.read' },
    schema: { tags: ['users'], summary: 'Listar usuarios (filtros: role, q, active, team, organization)', querystring: ListUsersQuery, response: { 200: Page(User), ...errorResponses } },
  }, async (request) => {
    const page = await listUsers(ctx.db, request.query as UserFilters)
    return { items: page.items.map(presentUser), nextCursor: page.nextCursor }
  })

  app.get('/api/v1/users/:id', {
    config: { access: 'users.read' },
    schema: { tags: ['users'], summary: 'Ver un usuario', params: IdParams, response: { 200: User, ...errorResponses } },
  }, async (request) => presentUser(await findUser(ctx.db, (request.params as { id: string }).id)))

  app.patch('/api/v1/users/:id', {
    config: { access: 'users.manage' },
    schema: { tags: ['users'], summary: 'Cambiar un usuario: datos, rol, equipos, desactivar', params: IdParams, body: UpdateUserBody, response: { 200: User, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    const body = request.body as UpdateUserInput
    checkTimeZone(body.timezone)
    await inTransaction(ctx.db, (trx) => updateUser(trx, actor, id, body, { ip: request.ip, now: ctx.now() }))
    return presentUser(await findUser(ctx.db, id))
  })

  app.post('/api/v1/users/:id/invite', {
    config: { access: 'users.manage' },
    schema: { tags: ['users'], summary: 'Reenviar la invitación (enlace para definir contraseña)', params: IdParams, response: { 202: Ok, ...errorResponses } },
  }, async (request, reply) => {
    const actor = requireActor(request)
    const { id } = request.params as { id: string }
    await inTransaction(ctx.db, (trx) => inviteUser(trx, actor, id, { ip: request.ip, publicUrl: ctx.config.publicUrl, now: ctx.now() }))
    return reply.status(202).send({ ok: true })
  })
}
