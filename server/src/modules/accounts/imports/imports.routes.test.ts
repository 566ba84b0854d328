import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { sql } from 'kysely'
import { createTestEnv, createUser, loginAs, type Client, type TestEnv } from '../../../../test/harness'
import { inTransaction } from '../../../platform/db/database'
import { assertGuarded, auditEntries } from '../accounts.test-helpers'
import { importJobLimits, runImportBatches } from './import-contacts.job'

const CSV = [
  'Organización;Dominios;VIP;Código sitio;Sitio;Dirección;Nombre;Correo;Teléfono',
  'Gasolineras del Norte;gdn.mx;sí;E-0412;Estación Cumbres;"Av. Lincoln 100; Monterrey";Jorge Salinas;jorge@gdn.mx;81 5555 0101',
  'Gasolineras del Norte;;;E-0413;Estación Mitras;;Rosa Ibarra;rosa@gdn.mx;',
  'Gasolineras del Norte;;;;;;;;',
  ';;;E-9999;Sin empresa;;;;',
  'Transportes Bajío;;no;;;;Mario Treviño;correo-malo;',
  'Transportes Bajío;;;;;;Sin Contacto;;',
  'Transportes Bajío;;;;;;Agente;agente.staff@ejemplo.mx;',
  ';;;;;;;;',
].join('\r\n')

describe('imports API', () => {
  let env: TestEnv
  let admin: Client
  let supervisor: Client
  let otherSupervisor: Client
  let agent: Client
  before(async () => {
    env = await createTestEnv()
    admin = await loginAs(env.app, await createUser(env.ctx, { role: 'admin' }))
    supervisor = await loginAs(env.app, await createUser(env.ctx, { role: 'supervisor' }))
    otherSupervisor = await loginAs(env.app, await createUser(env.ctx, { role: 'supervisor' }))
    agent = await loginAs(env.app, await createUser(env.ctx, { role: 'agent' }))
    await createUser(env.ctx, { role: 'agent', email: 'agente.staff@ejemplo.mx' })
  })
  after(async () => { await env.close() })

  const postCsv = (client: Client, body: string | Buffer, lang = 'es') =>
    client.request({ method: 'POST', url: '/api/v1/imports/contacts', payload: body, headers: { 'content-type': 'text/csv', 'accept-language': lang } })

  it('is for supervisors and admins', async () => {
    await assertGuarded(env, agent, 'POST', '/api/v1/imports/contacts', { rows: [] })
    await assertGuarded(env, agent, 'GET', '/api/v1/imports')
    await assertGuarded(env, agent, 'GET', '/api/v1/imports/00000000-0000-4000-8000-000000000000')
  })

  it('imports a Spanish CSV in the background and reports progress and row errors in the caller language', async () => {
    const res = await postCsv(supervisor, CSV)
    assert.equal(res.statusCode, 202, res.body)
    const queued = res.json()
    assert.equal(queued.status, 'queued')
    assert.equal(queued.total, 7, 'the line of bare separators is skipped')
    assert.equal(queued.processed, 0)
    await env.drainJobs()
    const done = (await supervisor.get(`/api/v1/imports/${queued.id}`)).json()
    assert.equal(done.status, 'done')
    assert.equal(done.processed, 7)
    assert.equal(done.created, 2)
    assert.deepEqual(done.errors.map((e: { row: number; code: string }) => [e.row, e.code]), [
      [5, 'imports.needs_organization'], [6, 'imports.bad_value'], [7, 'contacts.email_or_phone'], [8, 'imports.email_is_staff'],
    ])
    assert.equal(done.errors[1].message, 'Valor no válido en «email»: correo-malo.')
    const en = (await supervisor.get(`/api/v1/imports/${queued.id}`, { 'accept-language': 'en' })).json()
    assert.equal(en.errors[1].message, 'Invalid value in "email": correo-malo.')

    const org = (await sql<{ id: string; tier: string; domains: string[] }>`select id, tier, domains from organizations where name = 'Gasolineras del Norte'`.execute(env.ctx.db)).rows[0]
    assert.equal(org.tier, 'vip')
    assert.deepEqual(org.domains, ['gdn.mx'])
    const contacts = (await agent.get(`/api/v1/contacts?organization=${org.id}`)).json().items
    assert.deepEqual(contacts.map((c: { name: string; site: { code: string } }) => [c.name, c.site.code]), [['Jorge Salinas', 'E-0412'], ['Rosa Ibarra', 'E-0413']])
    const site = (await agent.get(`/api/v1/organizations/${org.id}/sites?q=E-0412`)).json().items[0]
    assert.equal(site.address, 'Av. Lincoln 100; Monterrey')
    const staff = (await sql<{ name: string; role: string }>`select name, role from users where email = 'agente.staff@ejemplo.mx'`.execute(env.ctx.db)).rows[0]
    assert.equal(staff.role, 'agent')
    const failedOrg = await sql`select 1 from organizations where name = 'Transportes Bajío'`.execute(env.ctx.db)
    assert.equal(failedOrg.rows.length, 0, 'a failed row leaves nothing behind')
    assert.ok((await auditEntries(env, queued.id)).some((e) => e.action === 'import.created'))
  })

  it('importing the same file again creates nothing twice', async () => {
    const before = (await sql<{ n: number }>`select count(*)::int as n from users`.execute(env.ctx.db)).rows[0].n
    const res = await postCsv(supervisor, CSV)
    await env.drainJobs()
    const done = (await supervisor.get(`/api/v1/imports/${res.json().id}`)).json()
    assert.equal(done.created, 0)
    assert.equal((await sql<{ n: number }>`select count(*)::int as n from users`.execute(env.ctx.db)).rows[0].n, before)
  })

  it('accepts JSON rows and Windows-1252 CSV', async () => {
    const json = await admin.post('/api/v1/imports/contacts', { rows: [{ organization: 'Farmacias Luz', name: 'Lucía Peña', phone: '5544332211' }] })
    assert.equal(json.statusCode, 202, json.body)
    const latin1 = Buffer.from('nombre,telefono,organizacion\nJosé Núñez,5599887766,Farmacias Luz\n', 'latin1')
    assert.equal((await postCsv(admin, latin1)).statusCode, 202)
    await env.drainJobs()
    const names = (await agent.get('/api/v1/contacts?q=5599887766')).json().items.map((c: { name: string }) => c.name)
    assert.deepEqual(names, ['José Núñez'])
  })

  it('rejects a malformed file, unknown columns and unknown JSON fields, in Spanish and English', async () => {
    const cols = await postCsv(supervisor, 'nombre,color\nAna,azul\n')
    assert.equal(cols.statusCode, 400)
    assert.match(cols.json().error.message, /Columnas desconocidas: color/)
    const colsEn = await postCsv(supervisor, 'nombre,color\nAna,azul\n', 'en')
    assert.match(colsEn.json().error.message, /Unknown columns: color/)
    const quote = await postCsv(supervisor, 'nombre,correo\n"Ana,ana@x.mx\n', 'en')
    assert.equal(quote.statusCode, 400)
    assert.match(quote.json().error.message, /line 2/)
    const empty = await postCsv(supervisor, 'nombre,correo\n')
    assert.equal(empty.json().error.message, 'El archivo no tiene filas para importar.')
    const unknown = await supervisor.post('/api/v1/imports/contacts', { rows: [{ nombre: 'Ana' }] })
    assert.equal(unknown.statusCode, 400)
    assert.match(unknown.json().error.message, /campo desconocido «rows\.0\.nombre»/)
    const xml = await supervisor.request({ method: 'POST', url: '/api/v1/imports/contacts', payload: '<a/>', headers: { 'content-type': 'application/xml' } })
    assert.equal(xml.statusCode, 415)
    const multipart = await supervisor.request({
      method: 'POST', url: '/api/v1/imports/contacts', headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      payload: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="contactos.csv"\r\n\r\nnombre\r\nAna\r\n--xyz--\r\n',
    })
    assert.equal(multipart.statusCode, 415, multipart.body)
    assert.equal(multipart.json().error.code, 'unsupported_media_type')
  })

  it('advances batch by batch: progress is visible and a new run resumes after the last committed batch', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => ({ organization: 'Lote Grande', name: `Contacto ${i}`, email: `lote${i}@lote.mx` }))
    const id = (await admin.post('/api/v1/imports/contacts', { rows })).json().id
    assert.equal(await inTransaction(env.ctx.db, (trx) => runImportBatches(trx, id, env.ctx.now())), 'more')
    const partial = (await admin.get(`/api/v1/imports/${id}`)).json()
    assert.equal(partial.status, 'running')
    assert.equal(partial.processed, 250)
    assert.ok(partial.startedAt)
    await env.drainJobs()
    const done = (await admin.get(`/api/v1/imports/${id}`)).json()
    assert.equal(done.status, 'done')
    assert.equal(done.processed, 600)
    assert.equal(done.created, 600)
    assert.equal(done.errorCount, 0)
  })

  it('a run that exceeds its time budget queues its continuation and the import still completes', async () => {
    importJobLimits.runBudgetMs = 0
    try {
      const rows = Array.from({ length: 600 }, (_, i) => ({ organization: 'Lote Pausado', name: `Pausado ${i}`, phone: `55 0000 ${String(i).padStart(4, '0')}` }))
      const id = (await admin.post('/api/v1/imports/contacts', { rows })).json().id
      await env.drainJobs()
      const done = (await admin.get(`/api/v1/imports/${id}`)).json()
      assert.deepEqual([done.status, done.processed, done.created], ['done', 600, 600])
      const runs = await sql<{ n: number }>`select count(*)::int as n from jobs where name = 'importContacts' and payload->>'importId' = ${id} and status = 'done'`.execute(env.ctx.db)
      assert.equal(runs.rows[0].n, 3, 'one run per batch of 250')
    } finally {
      importJobLimits.runBudgetMs = 5_000
    }
  })

  it('shows an import to its creator and admins only', async () => {
    const id = (await supervisor.post('/api/v1/imports/contacts', { rows: [{ organization: 'Privada' }] })).json().id
    assert.equal((await otherSupervisor.get(`/api/v1/imports/${id}`)).statusCode, 404)
    assert.ok(!(await otherSupervisor.get('/api/v1/imports')).json().items.some((i: { id: string }) => i.id === id))
    assert.equal((await admin.get(`/api/v1/imports/${id}`)).statusCode, 200)
    assert.ok((await supervisor.get('/api/v1/imports')).json().items.some((i: { id: string }) => i.id === id))
  })
})
