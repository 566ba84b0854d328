import { Type } from 'typebox'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction } from '../../../platform/db/database'
import { IdParams, StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import { Nullable } from '../accounts.schemas'
import { Team, findTeam, listTeams } from './teams.presenter'
import { createTeam, deleteTeam, setTeamMembers, updateTeam, type TeamInput } from './teams.commands'

const TeamName = Type.String({ minLength: 1, maxLength: 100 })
const Level = Type.Integer({ minimum: 1, maximum: 9, description: 'Support level: 1 (N1), 2 (N2) …' })
const CreateTeamBody = StrictObject({ name: TeamName, level: Type.Optional(Level), leadUserId: Type.Optional(Nullable(Uuid)) })
const UpdateTeamBody = StrictObject({ name: Type.Optional(TeamName), level: Type.Optional(Level), leadUserId: Type.Optional(Nullable(Uuid)) })
const MembersBody = StrictObject({ userIds: Type.Array(Uuid, { maxItems: 500, uniqueItems: true }) })

/** Teams and their support level, lead and members. */
export const teamsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  const who = (request: FastifyRequest) => ({ actor: requireActor(request), ip: request.ip })
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id

  app.get('/api/v1/teams', {
    config: { access: 'teams.read' },
    schema: { tags: ['teams'], summary: 'Listar equipos con sus miembros', response: { 200: Type.Object({ items: Type.Array(Team) }), ...errorResponses } },
  }, async () => ({ items: await listTeams(ctx.db) }))

  app.get('/api/v1/teams/:id', {
    config: { access: 'teams.read' },
    schema: { tags: ['teams'], summary: 'Ver un equipo', params: IdParams, response: { 200: Team, ...errorResponses } },
  }, async (request) => findTeam(ctx.db, idOf(request)))

  app.post('/api/v1/teams', {
    config: { access: 'teams.manage' },
    schema: { tags: ['teams'], summary: 'Crear un equipo', body: CreateTeamBody, response: { 201: Team, ...errorResponses } },
  }, async (request, reply) => {
    const id = await inTransaction(ctx.db, (trx) => createTeam(trx, who(request), request.body as TeamInput & { name: string }))
    return reply.status(201).send(await findTeam(ctx.db, id))
  })

  app.patch('/api/v1/teams/:id', {
    config: { access: 'teams.manage' },
    schema: { tags: ['teams'], summary: 'Cambiar nombre, nivel o líder de un equipo', params: IdParams, body: UpdateTeamBody, response: { 200: Team, ...errorResponses } },
  }, async (request) => {
    await inTransaction(ctx.db, (trx) => updateTeam(trx, who(request), idOf(request), request.body as TeamInput))
    return findTeam(ctx.db, idOf(request))
  })

  app.delete('/api/v1/teams/:id', {
    config: { access: 'teams.manage' },
    schema: { tags: ['teams'], summary: 'Eliminar un equipo sin tickets', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await inTransaction(ctx.db, (trx) => deleteTeam(trx, who(request), idOf(request)))
    return reply.status(204).send()
  })

  app.put('/api/v1/teams/:id/members', {
    config: { access: 'teams.manage' },
    schema: { tags: ['teams'], summary: 'Reemplazar los miembros de un equipo', params: IdParams, body: MembersBody, response: { 200: Team, ...errorResponses } },
  }, async (request) => {
    await inTransaction(ctx.db, (trx) => setTeamMembers(trx, who(request), idOf(request), (request.body as { userIds: string[] }).userIds))
    return findTeam(ctx.db, idOf(request))
  })
}
