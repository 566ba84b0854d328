import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { buildTicket, historyOf } from '../test-support/ticket-factories'

describe('a staff member who leaves: their tickets in progress go back to the queue', () => {
  let env: TestEnv
  let admin: Client
  let adminId: string
  before(async () => {
    env = await createTestEnv()
    const a = await createUser(env.ctx, { role: 'admin' })
    adminId = a.id
    admin = await loginAs(env.app, a)
  })
  after(async () => { await env.close() })

  const assigneeOf = async (id: string) => (await admin.get(`/api/v1/tickets/${id}`)).json().assignee?.id ?? null

  it('deactivating an agent unassigns their open and resolved tickets; closed and cancelled ones keep them', async () => {
    const agent = await createUser(env.ctx, { role: 'agent' })
    const other = await createUser(env.ctx, { role: 'agent' })
    const open = await buildTicket(env.ctx, adminId, { assigneeId: agent.id })
    const resolved = await buildTicket(env.ctx, adminId, { assigneeId: agent.id, status: 'resolved' })
    const closed = await buildTicket(env.ctx, adminId, { assigneeId: agent.id, status: 'resolved' })
    assert.equal((await admin.patch(`/api/v1/tickets/${closed.id}`, { status: 'closed' })).statusCode, 200)
    const colleague = await buildTicket(env.ctx, adminId, { assigneeId: other.id })
    const res = await admin.patch(`/api/v1/users/${agent.id}`, { active: false })
    assert.equal(res.statusCode, 200, res.body)
    await env.drainJobs()
    assert.equal(await assigneeOf(open.id), null)
    assert.equal(await assigneeOf(resolved.id), null)
    assert.equal(await assigneeOf(closed.id), agent.id, 'who handled a closed ticket stays on record')
    assert.equal(await assigneeOf(colleague.id), other.id)
    const change = (await historyOf(env.ctx, open.id)).find((h) => h.field === 'assignee' && h.new_value === null)
    assert.ok(change, 'the unassignment is in the history')
    assert.equal(change.via, 'system')
    assert.equal(change.old_value, agent.id)
  })

  it('making an agent a customer does the same; one reactivated before the job runs keeps theirs', async () => {
    const demoted = await createUser(env.ctx, { role: 'agent' })
    const back = await createUser(env.ctx, { role: 'agent' })
    const a = await buildTicket(env.ctx, adminId, { assigneeId: demoted.id })
    const b = await buildTicket(env.ctx, adminId, { assigneeId: back.id })
    assert.equal((await admin.patch(`/api/v1/users/${demoted.id}`, { role: 'customer' })).statusCode, 200)
    assert.equal((await admin.patch(`/api/v1/users/${back.id}`, { active: false })).statusCode, 200)
    assert.equal((await admin.patch(`/api/v1/users/${back.id}`, { active: true })).statusCode, 200)
    await env.drainJobs()
    assert.equal(await assigneeOf(a.id), null)
    assert.equal(await assigneeOf(b.id), back.id)
  })
})
