import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql, type Kysely } from 'kysely'
import { createTestEnv, createUser, loginAs, type TestEnv } from '../../../../test/harness'
import { up as migrate0310 } from '../../../../migrations/0310_email_credentials'
import {
  CredentialUnreadableError, imapPasswordContext, keyFromEnv, loadCredentialKeys, needsReseal, openCredential, sealCredential,
} from './credential-box'

const ENV_KEY = { ATIENDE_SECRET_KEY: 'k'.repeat(20) + 'una-clave-larga-de-prueba' }

describe('credential box (IMAP passwords at rest)', () => {
  let env: TestEnv

  before(async () => {
    env = await createTestEnv()
  })
  after(async () => {
    await env?.close()
  })

  it('seals with AES-256-GCM bound to the row, and opens only with the same key and row', async () => {
    const keys = await loadCredentialKeys(env.ctx.db, {})
    const sealed = sealCredential(keys, 'contraseña-ñ', imapPasswordContext('a'))
    assert.match(sealed, /^enc:v1:[0-9a-f]{12}:/)
    assert.ok(!sealed.includes('contraseña'))
    assert.notEqual(sealCredential(keys, 'contraseña-ñ', imapPasswordContext('a')), sealed, 'a fresh IV each time')
    assert.equal(openCredential(keys, sealed, imapPasswordContext('a')), 'contraseña-ñ')
    assert.throws(() => openCredential(keys, sealed, imapPasswordContext('b')), CredentialUnreadableError, 'copied to another row')
    const tampered = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.slice(-1)
    assert.throws(() => openCredential(keys, tampered, imapPasswordContext('a')), CredentialUnreadableError)
    assert.equal(openCredential(keys, 'texto-plano', imapPasswordContext('a')), 'texto-plano', 'values from before encryption')
  })

  it('generates the database key once; ATIENDE_SECRET_KEY seals new values and older ones still open', async () => {
    const first = await loadCredentialKeys(env.ctx.db, {})
    const again = await loadCredentialKeys(env.ctx.db, {})
    assert.equal(again.sealing.fingerprint, first.sealing.fingerprint)
    const old = sealCredential(first, 'vieja', imapPasswordContext('m'))
    const withEnv = await loadCredentialKeys(env.ctx.db, ENV_KEY)
    assert.notEqual(withEnv.sealing.fingerprint, first.sealing.fingerprint)
    assert.equal(openCredential(withEnv, old, imapPasswordContext('m')), 'vieja')
    assert.equal(needsReseal(withEnv, old), true)
    assert.equal(needsReseal(withEnv, sealCredential(withEnv, 'nueva', 'x')), false)
    // A changed ATIENDE_SECRET_KEY: the values sealed with the previous one are reported, not guessed.
    const other = await loadCredentialKeys(env.ctx.db, { ATIENDE_SECRET_KEY: 'otra-clave-distinta-de-al-menos-32-caracteres' })
    assert.throws(() => openCredential(other, sealCredential(withEnv, 'nueva', 'x'), 'x'), /unknown key/)
    assert.throws(() => keyFromEnv({ ATIENDE_SECRET_KEY: 'corta' }), /at least 32 characters/)
  })

  it('the API stores the password sealed and only says whether one is set', async () => {
    const admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    const res = await admin.post('/api/v1/mailboxes', {
      address: 'imap@ayuda.test', name: 'IMAP', inbound: 'imap', imapHost: 'imap.ayuda.test', imapUser: 'imap', imapPassword: 'secreto-de-buzon-42',
    })
    assert.equal(res.statusCode, 201, res.body)
    assert.equal(res.json().imapPasswordSet, true)
    assert.ok(!res.body.includes('secreto-de-buzon-42') && !res.body.includes('enc:v1'))
    const changed = await admin.patch(`/api/v1/mailboxes/${res.json().id}`, { imapPassword: 'otro-secreto-99' })
    assert.equal(changed.statusCode, 200)
    assert.ok(!changed.body.includes('otro-secreto-99') && !changed.body.includes('enc:v1'))
    const row = (await sql<{ id: string; imap_password: string }>`select id, imap_password from mailboxes where address = 'imap@ayuda.test'`.execute(env.ctx.db)).rows[0]
    assert.ok(!row.imap_password.includes('otro-secreto-99'))
    const keys = await loadCredentialKeys(env.ctx.db, {})
    assert.equal(openCredential(keys, row.imap_password, imapPasswordContext(row.id)), 'otro-secreto-99')
    const renamed = await admin.patch(`/api/v1/mailboxes/${row.id}`, { name: 'IMAP 2' })
    assert.equal(renamed.json().imapPasswordSet, true)
    const after = (await sql<{ imap_password: string }>`select imap_password from mailboxes where id = ${row.id}`.execute(env.ctx.db)).rows[0]
    assert.equal(after.imap_password, row.imap_password, 'a change of other fields keeps the sealed value')
  })

  it('migration 0310 seals the plain-text passwords stored before it', async () => {
    await sql`drop table email_credential_keys`.execute(env.ctx.db)
    await sql`insert into mailboxes (address, name, inbound, imap_host, imap_user, imap_password)
      values ('viejo@ayuda.test', 'Viejo', 'imap', 'imap.ayuda.test', 'viejo', 'clave-en-claro-7')`.execute(env.ctx.db)
    await migrate0310(env.ctx.db as unknown as Kysely<unknown>)
    const rows = (await sql<{ id: string; imap_password: string }>`select id, imap_password from mailboxes where imap_password is not null`.execute(env.ctx.db)).rows
    assert.ok(rows.length >= 2)
    for (const r of rows) assert.match(r.imap_password, /^enc:v1:/)
    const keys = await loadCredentialKeys(env.ctx.db, {})
    const viejo = (await sql<{ id: string; imap_password: string }>`select id, imap_password from mailboxes where address = 'viejo@ayuda.test'`.execute(env.ctx.db)).rows[0]
    assert.equal(openCredential(keys, viejo.imap_password, imapPasswordContext(viejo.id)), 'clave-en-claro-7')
  })
})
