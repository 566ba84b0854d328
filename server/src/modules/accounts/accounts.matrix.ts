import { sql } from 'kysely'
import type { MatrixFixtures, ObjectCase, UserKey } from '../../../test/route-matrix.fixtures'
import { randomSecret, sha256 } from '../../platform/auth/secrets'

/**
 * Object-level expectations of the accounts routes for the route × role matrix
 * (server/test/route-matrix.test.ts): who sees which object; everyone else let in gets 404.
 */

const STAFF_AND_TOKEN = ['agent', 'otherAgent', 'supervisor', 'admin', 'token'] as const

async function contact(f: MatrixFixtures) {
  return (await sql<{ id: string }>`insert into users (email, name, role, organization_id, site_id)
    values (${`matriz.${randomSecret(6)}@ejemplo.mx`.toLowerCase()}, 'Contacto Matriz', 'customer', ${f.orgA}, ${f.siteA}) returning id`.execute(f.env.ctx.db)).rows[0].id
}

async function apiTokenOf(f: MatrixFixtures, owner: UserKey) {
  const token = `atd_${randomSecret(32)}`
  return (await sql<{ id: string }>`insert into api_tokens (user_id, name, token_hash, prefix, scopes)
    values (${f.users[owner].id}, 'caso matriz', ${sha256(token)}, ${token.slice(0, 12)}, '{profile}') returning id`.execute(f.env.ctx.db)).rows[0].id
}

async function importBy(f: MatrixFixtures, creator: UserKey) {
  return (await sql<{ id: string }>`insert into imports (kind, created_by, rows, total, status)
    values ('contacts', ${f.users[creator].id}, '[]'::jsonb, 0, 'done') returning id`.execute(f.env.ctx.db)).rows[0].id
}

export const objectCases: ObjectCase[] = [
  {
    route: 'GET /api/v1/contacts/{id}', name: 'a contact of organization A',
    setup: async (f) => ({ params: { id: await contact(f) } }),
    visibleTo: [...STAFF_AND_TOKEN],
  },
  {
    route: 'GET /api/v1/contacts/{id}', name: 'a staff user is not a contact',
    setup: async (f) => ({ params: { id: f.users.supervisor.id } }),
    visibleTo: [],
  },
  {
    route: 'PATCH /api/v1/contacts/{id}', name: 'a contact of organization A',
    setup: async (f) => ({ params: { id: await contact(f) }, body: { name: 'Contacto Corregido' } }),
    visibleTo: ['agent', 'otherAgent', 'supervisor', 'admin'],
  },
  {
    route: 'PATCH /api/v1/contacts/{id}', name: 'an agent is not a contact',
    setup: async (f) => ({ params: { id: f.users.otherAgent.id }, body: { name: 'No' } }),
    visibleTo: [],
  },
  {
    route: 'GET /api/v1/users/{id}', name: 'a customer',
    setup: async (f) => ({ params: { id: f.users.customer.id } }),
    visibleTo: [...STAFF_AND_TOKEN],
  },
  {
    route: 'GET /api/v1/teams/{id}', name: 'team A',
    setup: async (f) => ({ params: { id: f.teamA } }),
    visibleTo: ['agent', 'otherAgent', 'supervisor', 'admin', 'token'],
  },
  {
    route: 'GET /api/v1/organizations/{id}', name: 'organization B',
    setup: async (f) => ({ params: { id: f.orgB } }),
    visibleTo: [...STAFF_AND_TOKEN],
  },
  {
    route: 'GET /api/v1/organizations/{id}/sites/{siteId}', name: "organization B's site addressed under organization A",
    setup: async (f) => ({ params: { id: f.orgA, siteId: f.siteB } }),
    visibleTo: [],
  },
  {
    route: 'GET /api/v1/organizations/{id}/sites/{siteId}', name: "organization A's site",
    setup: async (f) => ({ params: { id: f.orgA, siteId: f.siteA } }),
    visibleTo: [...STAFF_AND_TOKEN],
  },
  {
    route: 'PATCH /api/v1/organizations/{id}/sites/{siteId}', name: "organization B's site addressed under organization A",
    setup: async (f) => ({ params: { id: f.orgA, siteId: f.siteB }, body: { name: 'No' } }),
    visibleTo: [],
  },
  {
    route: 'DELETE /api/v1/api-tokens/{id}', name: "the agent's own token",
    setup: async (f) => ({ params: { id: await apiTokenOf(f, 'agent') } }),
    visibleTo: ['agent', 'admin'],
    okStatus: 204,
  },
  {
    route: 'GET /api/v1/imports/{id}', name: 'an import by the supervisor',
    setup: async (f) => ({ params: { id: await importBy(f, 'supervisor') } }),
    visibleTo: ['supervisor', 'admin'],
  },
  {
    route: 'GET /api/v1/imports/{id}', name: 'an import by the admin',
    setup: async (f) => ({ params: { id: await importBy(f, 'admin') } }),
    visibleTo: ['admin'],
  },
]
