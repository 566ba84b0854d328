import assert from 'node:assert/strict'
import { sql } from 'kysely'
import type { Client, TestEnv } from '../../../../test/harness'

/** Test setup: creates a policy through the admin API (the behaviour under test is elsewhere). */
export async function createPolicyVia(admin: Client, body: Record<string, unknown>): Promise<string> {
  const res = await admin.post('/api/v1/sla/policies', { name: 'Política de prueba', ...body })
  assert.equal(res.statusCode, 201, res.body)
  return res.json().id as string
}

/** The `sla` of a ticket as staff see it in GET /api/v1/tickets/:id. */
export async function slaOf(client: Client, ticketId: string) {
  const res = await client.get(`/api/v1/tickets/${ticketId}`)
  assert.equal(res.statusCode, 200, res.body)
  return res.json().sla
}

/** Escalations recorded for a ticket, oldest first. */
export async function escalationsOf(env: TestEnv, ticketId: string) {
  return (await sql<{ target: string; cycle: number; kind: string; suppressed: boolean }>`
    select target, cycle, kind, suppressed from sla_escalations where ticket_id = ${ticketId} order by fired_at, kind`.execute(env.ctx.db)).rows
}

/** Queued SLA jobs of a ticket with their run times. */
export async function queuedSlaJobs(env: TestEnv, ticketId: string) {
  return (await sql<{ unique_key: string; run_at: Date }>`select unique_key, run_at from jobs
    where status = 'queued' and name = 'escalateSla' and payload->>'ticketId' = ${ticketId} order by run_at`.execute(env.ctx.db)).rows
}
