import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import { installWebApp } from './web-app'

describe('web app serving (web/dist)', () => {
  let dir: string
  let app: FastifyInstance

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-web-'))
    fs.mkdirSync(path.join(dir, 'assets'))
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>v1</title><script src="/assets/index-AAA111.js"></script>')
    fs.writeFileSync(path.join(dir, 'assets', 'index-AAA111.js'), 'console.log(1)')
    fs.writeFileSync(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    app = Fastify()
    await installWebApp(app, { root: dir })
    app.get('/api/v1/ping', async () => ({ ok: true }))
    await app.ready()
  })
  after(async () => {
    await app.close()
    fs.rmSync(dir, { recursive: true, force: true })
  })

  it('serves hashed assets for a year, immutable', async () => {
    const res = await app.inject({ url: '/assets/index-AAA111.js' })
    assert.equal(res.statusCode, 200)
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable')
    assert.match(String(res.headers['content-type']), /javascript/)
    assert.equal(res.body, 'console.log(1)')
  })

  it('answers 404 for a missing asset instead of the page (an old hash after a rebuild)', async () => {
    const res = await app.inject({ url: '/assets/index-OLD999.js' })
    assert.equal(res.statusCode, 404)
    assert.doesNotMatch(res.body, /<title>/)
  })

  it('serves index.html with no-cache for the app and unknown paths, other files revalidated', async () => {
    for (const url of ['/', '/agent', '/agent/views/all?x=1', '/index.html', '/portal/tickets/12']) {
      const res = await app.inject({ url })
      assert.equal(res.statusCode, 200, url)
      assert.equal(res.headers['cache-control'], 'no-cache', url)
      assert.match(String(res.headers['content-type']), /text\/html/)
      assert.match(res.body, /<title>v1<\/title>/)
    }
    const icon = await app.inject({ url: '/favicon.svg' })
    assert.equal(icon.statusCode, 200)
    assert.equal(icon.headers['cache-control'], 'public, max-age=0')
  })

  it('does not answer API paths nor paths outside the folder with the page', async () => {
    assert.equal((await app.inject({ url: '/api/v1/nothing' })).statusCode, 404)
    assert.equal((await app.inject({ url: '/api/v1/ping' })).json().ok, true)
    const res = await app.inject({ url: '/assets/../../etc/passwd' })
    assert.notEqual(res.headers['cache-control'], 'public, max-age=31536000, immutable')
    assert.doesNotMatch(res.body, /root:/)
  })

  it('reads index.html again after a rebuild, and keeps the last copy while the file is briefly missing', async () => {
    const file = path.join(dir, 'index.html')
    fs.writeFileSync(file, '<!doctype html><title>v2</title><script src="/assets/index-BBB222.js"></script>')
    // A rebuild within the same millisecond still changes the size; bump the time too.
    const later = new Date(Date.now() + 5_000)
    fs.utimesSync(file, later, later)
    assert.match((await app.inject({ url: '/agent' })).body, /<title>v2<\/title>/)
    fs.renameSync(file, `${file}.tmp`)
    const during = await app.inject({ url: '/agent' })
    assert.equal(during.statusCode, 200)
    assert.match(during.body, /<title>v2<\/title>/)
    fs.renameSync(`${file}.tmp`, file)
    assert.match((await app.inject({ url: '/' })).body, /<title>v2<\/title>/)
  })
})
