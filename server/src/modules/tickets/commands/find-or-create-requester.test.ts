import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createOrganization, createTestEnv, createUser, type TestEnv } from '../../../../test/harness'
import { inTransaction } from '../../../platform/db/database'
import type { CommandContext } from '../history/append-history'
import { actorForUser } from '../../../platform/auth/load-actor'
import { createContacts, findOrCreateRequester } from './find-or-create-requester'

describe('contacts created on the fly', () => {
  let env: TestEnv
  let ctx: CommandContext
  let orgId: string
  before(async () => {
    env = await createTestEnv()
    const agent = await createUser(env.ctx, { role: 'agent' })
    ctx = { actor: (await actorForUser(env.ctx.db, agent.id))!, now: new Date() }
    orgId = await createOrganization(env.ctx, 'Telcel Partners', { domains: ['socio.mx'] })
  })
  after(async () => { await env.close() })

  const usersWith = async (email: string) =>
    (await sql<{ id: string }>`select id from users where lower(email) = ${email.toLowerCase()}`.execute(env.ctx.db)).rows

  it('creates each new contact once, in the organization of its domain, audited, in the order asked', async () => {
    const made = await inTransaction(env.ctx.db, (trx) => createContacts(trx, ctx, [
      { name: 'Ana Ruiz', email: 'ana@socio.mx', phone: null, organizationId: null },
      { name: 'Luis Paz', email: null, phone: '55 1234 5678', organizationId: null },
      { name: 'Eva Sol', email: 'eva@otro.mx', phone: null, organizationId: null },
    ]))
    assert.equal(made.length, 3)
    assert.equal(made[0].organization_id, orgId)
    assert.equal(made[1].organization_id, null)
    assert.deepEqual((await usersWith('ana@socio.mx')).map((u) => u.id), [made[0].id])
    assert.deepEqual((await usersWith('eva@otro.mx')).map((u) => u.id), [made[2].id])
    const audited = (await sql<{ target_id: string }>`select target_id from audit_log where action = 'contacts.created_from_ticket'`.execute(env.ctx.db)).rows
    assert.deepEqual(audited.map((a) => a.target_id).sort(), made.map((m) => m.id).sort())
  })

  it('answers the user an address already belongs to instead of failing on it, and audits only what it made', async () => {
    const existing = await createUser(env.ctx, { role: 'customer', email: 'Rosa@Socio.mx' })
    const auditsBefore = Number((await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(env.ctx.db)).rows[0].n)
    const made = await inTransaction(env.ctx.db, (trx) => createContacts(trx, ctx, [
      { name: 'Rosa', email: 'rosa@socio.mx', phone: null, organizationId: null },
      { name: 'Nuevo', email: 'nuevo@socio.mx', phone: null, organizationId: null },
    ]))
    assert.equal(made[0].id, existing.id)
    assert.deepEqual(made.map((m) => m.created), [false, true])
    assert.notEqual(made[1].id, existing.id)
    assert.equal((await usersWith('rosa@socio.mx')).length, 1)
    const auditsAfter = Number((await sql<{ n: number }>`select count(*)::int as n from audit_log`.execute(env.ctx.db)).rows[0].n)
    assert.equal(auditsAfter - auditsBefore, 1)
  })

  it('gives two transactions that create the same new contact at once one user (the second waits for the first)',
    { skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL (two sessions at once)' }, async () => {
      let releaseFirst!: () => void
      const firstMayCommit = new Promise<void>((resolve) => { releaseFirst = resolve })
      let firstCreated!: () => void
      const firstHasCreated = new Promise<void>((resolve) => { firstCreated = resolve })
      const contact = { name: 'Pedro', email: 'pedro@socio.mx', phone: null }
      const first = inTransaction(env.ctx.db, async (trx) => {
        const r = await findOrCreateRequester(trx, ctx, contact)
        firstCreated()
        await firstMayCommit
        return r
      })
      await firstHasCreated
      // The second looks the address up before the first commits, finds no one, and creates: its
      // insert waits on the first's row lock (seen in pg_stat_activity) until the first commits.
      const second = inTransaction(env.ctx.db, (trx) => findOrCreateRequester(trx, ctx, contact))
      const waiting = async () => Number((await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock' and query like '%insert into users%'`.execute(env.ctx.db)).rows[0].n)
      for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20))
      assert.equal(await waiting(), 1, 'the second insert waits for the first transaction')
      releaseFirst()
      const [a, b] = await Promise.all([first, second])
      assert.equal(a.created, true)
      assert.equal(b.id, a.id)
      assert.equal(b.created, false)
      assert.deepEqual((await usersWith('pedro@socio.mx')).map((u) => u.id), [a.id])
    })
})
