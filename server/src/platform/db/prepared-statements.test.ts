import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import pg from 'pg'
import { createPostgresDatabase } from '../../../test/database'
import { usePreparedStatements } from './prepared-statements'

const prepared = async (c: pg.Client) =>
  (await c.query<{ statement: string }>('select statement from pg_prepared_statements order by statement')).rows.map((r) => r.statement)

describe('prepared statements on PostgreSQL connections', { skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL' }, () => {
  let drop: () => Promise<void> = async () => {}
  let url = ''
  const clients: pg.Client[] = []
  const connect = async (max?: number) => {
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    usePreparedStatements(c, max)
    clients.push(c)
    return c
  }
  before(async () => {
    ({ url, drop } = await createPostgresDatabase(process.env.TEST_DATABASE_URL!))
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    await c.query('create table notes (id int primary key, body text)')
    await c.query(`insert into notes values (1, 'uno'), (2, 'dos')`)
    await c.end()
  })
  after(async () => {
    for (const c of clients) await c.end().catch(() => {})
    await drop()
  })

  it('prepares data statements with parameters once per connection, and nothing else (nor full-text searches, nor reads whose limit is a parameter)', async () => {
    const c = await connect()
    for (let i = 0; i < 3; i++) assert.deepEqual((await c.query('select body from notes where id = $1', [1])).rows, [{ body: 'uno' }])
    await c.query('select count(*) from notes', [])
    await c.query('begin; update notes set body = body; commit')
    // A full-text search is planned for its words each time, a top-N read for its limit.
    await c.query(`select id from notes where to_tsvector('simple', body) @@ plainto_tsquery('simple', $1)`, ['uno'])
    await c.query('select id from notes where id > $1 order by id limit $2', [0, 1])
    await c.query('select id from notes order by id limit 1 offset $1', [1])
    assert.deepEqual(await prepared(c), ['select body from notes where id = $1'])
    // pg's own form (a config object) passes through untouched.
    assert.equal((await c.query({ text: 'select body from notes where id = $1', values: [2] })).rows[0].body, 'dos')
    assert.equal((await prepared(c)).length, 1)
  })

  it('names at most `max` statements on a connection; the others run unnamed', async () => {
    const c = await connect(2)
    for (const id of [1, 2]) await c.query(`select body from notes where id = $1 and ${id} = ${id}`, [id])
    assert.equal((await c.query('select body from notes where id = $1 and 3 = 3', [1])).rows[0].body, 'uno')
    assert.equal((await prepared(c)).length, 2)
  })

  it('runs a statement unnamed once a migration changed its result: again at once outside a transaction, after the failed one inside', async () => {
    const c = await connect()
    const read = 'select * from notes where id = $1'
    assert.deepEqual((await c.query(read, [1])).rows, [{ id: 1, body: 'uno' }])
    const other = new pg.Client({ connectionString: url })
    await other.connect()
    await other.query('alter table notes add column lang text')
    await other.end()
    // Outside a transaction: the caller gets its rows.
    assert.deepEqual((await c.query(read, [1])).rows, [{ id: 1, body: 'uno', lang: null }])

    const inside = 'select * from notes where id = $1 and true'
    await c.query(inside, [2])
    const again = new pg.Client({ connectionString: url })
    await again.connect()
    await again.query('alter table notes add column kind text')
    await again.end()
    await c.query('begin')
    await assert.rejects(c.query(inside, [2]), (err: { code?: string }) => err.code === '0A000')
    await c.query('rollback')
    await c.query('begin')
    assert.deepEqual((await c.query(inside, [2])).rows, [{ id: 2, body: 'dos', lang: null, kind: null }])
    await c.query('commit')
  })
})
