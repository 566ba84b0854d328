import fs from 'node:fs'
import path from 'node:path'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import type { TestEnv, Client } from '../../../test/harness'
import { anonymous } from '../../../test/harness'
import { fileOutboxDir } from '../../platform/mail/mailer'

/** Test helpers for the accounts and admin API tests (setup and reading results, no behaviour). */

/** Anonymous → 401 (Spanish by default) and a signed-in user without the permission → 403. */
export async function assertGuarded(env: TestEnv, forbidden: Client, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) {
  const payload = body === undefined ? {} : { payload: body as object }
  const anon = await anonymous(env.app).request({ method, url, ...payload })
  assert.equal(anon.statusCode, 401, `${method} ${url} anonymous: ${anon.body}`)
  assert.equal(anon.json().error.message, 'Inicie sesión para continuar.')
  const denied = await forbidden.request({ method, url, ...payload })
  assert.equal(denied.statusCode, 403, `${method} ${url} forbidden: ${denied.body}`)
  assert.equal(denied.json().error.code, 'forbidden')
}

/** A 400 whose message is in Spanish by default and in English on request. */
export async function assertBadInput(client: Client, method: 'POST' | 'PATCH' | 'PUT' | 'GET', url: string, body: unknown, es: RegExp, en: RegExp) {
  const call = (lang?: string) => client.request({ method, url, ...(method === 'GET' ? {} : { payload: body as object }), headers: lang ? { 'accept-language': lang } : {} })
  const a = await call()
  assert.equal(a.statusCode, 400, a.body)
  assert.match(a.json().error.message, es)
  const b = await call('en-US')
  assert.equal(b.statusCode, 400, b.body)
  assert.match(b.json().error.message, en)
}

/** Audit entries, oldest first, optionally for one target. */
export async function auditEntries(env: TestEnv, targetId?: string) {
  return (await sql<{ action: string; actor_id: string | null; target_id: string | null; details: Record<string, unknown> }>`
    select action, actor_id, target_id, details from audit_log where ${targetId ?? null}::text is null or target_id = ${targetId ?? null}
    order by id`.execute(env.ctx.db)).rows
}

/** Raw messages the development mail transport wrote for this address. */
export function mailsTo(env: TestEnv, email: string): string[] {
  const dir = fileOutboxDir(env.ctx.config.dataDir)
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).filter((m) => m.includes(email))
}

/** The token of the set-password link in a message (quoted-printable unfolded). */
export function linkToken(mail: string): string {
  const unfolded = mail.replace(/=\r?\n/g, '').replace(/=3D/g, '=')
  return decodeURIComponent(/set-password\?token=([A-Za-z0-9_%-]+)/.exec(unfolded)![1])
}
