import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { buildApp } from '../../app'
import { createContext } from '../bootstrap'
import { loadConfig } from '../config'
import { freshDatabase } from '../../../test/database'
import { createUser } from '../../../test/harness'
import { loggerOptions, redactUrl } from './logging'

describe('logs', () => {
  it('are JSON lines with a request id and never contain passwords, cookies or tokens', async () => {
    const lines: string[] = []
    const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb() } })
    const database = await freshDatabase()
    const ctx = createContext({ ...loadConfig({ NODE_ENV: 'test' }), logLevel: 'info' }, database)
    const app = await buildApp(ctx, { logger: loggerOptions('info', stream) })
    try {
      const user = await createUser(ctx, { password: 'secreto-muy-largo-9' })
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password: 'secreto-muy-largo-9' } })
      assert.equal(login.statusCode, 200)
      const cookie = login.cookies[0].value
      await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `atiende_sid=${cookie}`, 'x-request-id': 'req-abc-123' } })
      await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer atd_not-a-real-token-value' } })
      const all = lines.join('')
      assert.ok(lines.length > 0)
      for (const line of lines) JSON.parse(line)
      assert.ok(lines.some((l) => JSON.parse(l).reqId === 'req-abc-123'), 'request id on the lines')
      assert.ok(!all.includes('secreto-muy-largo-9'), 'no password')
      assert.ok(!all.includes(cookie), 'no session cookie')
      assert.ok(!all.includes('atd_not-a-real-token-value'), 'no bearer token')
    } finally {
      await app.close()
      await database.close()
    }
  })

  it('hide the values of secret query parameters in the request URL', async () => {
    const lines: string[] = []
    const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb() } })
    const database = await freshDatabase()
    const ctx = createContext({ ...loadConfig({ NODE_ENV: 'test' }), logLevel: 'info' }, database)
    const app = await buildApp(ctx, { logger: loggerOptions('info', stream) })
    try {
      const resetToken = 'o5Us6-reset-link-secret-value'
      const actionToken = 'eyJ0aWNrZXQi.action-link-secret-value'
      await app.inject({ method: 'GET', url: `/set-password?token=${resetToken}` })
      await app.inject({ method: 'GET', url: `/api/v1/email/actions/reopen?token=${actionToken}&lang=es` })
      const all = lines.join('')
      assert.ok(!all.includes(resetToken), 'no reset-link token')
      assert.ok(!all.includes(actionToken), 'no email-action token')
      const urls = lines.map((l) => JSON.parse(l) as { req?: { url?: string } }).flatMap((l) => (l.req?.url ? [l.req.url] : []))
      assert.ok(urls.includes('/set-password?token=[oculto]'), urls.join(' '))
      assert.ok(urls.includes('/api/v1/email/actions/reopen?token=[oculto]&lang=es'), urls.join(' '))
    } finally {
      await app.close()
      await database.close()
    }
  })

  it('keep ordinary query parameters and hide token, code, key, secret, password and signature ones', () => {
    assert.equal(redactUrl('/api/v1/tickets?q=impresora&status=open'), '/api/v1/tickets?q=impresora&status=open')
    assert.equal(redactUrl('/x'), '/x')
    assert.equal(
      redactUrl('/x?access_token=a1&apiKey=b2&client-secret=c3&code=d4&password=e5&sig=f6&signature=g7&keyword=h8&tok%65n=i9&token'),
      '/x?access_token=[oculto]&apiKey=[oculto]&client-secret=[oculto]&code=[oculto]&password=[oculto]&sig=[oculto]&signature=[oculto]&keyword=h8&tok%65n=[oculto]&token',
    )
  })
})
