import type { BenchSuite } from '../harness'
import { sessionHeaders } from '../harness'

export const BENCH_ADMIN = { email: 'bench-admin@example.test', password: 'bench-contraseña-1' }

/** Platform basics: health, login (argon2id per request) and the session lookup of /me. */
export const platformSuite: BenchSuite = {
  name: 'platform',
  async loads(base) {
    const session = await sessionHeaders(base, BENCH_ADMIN.email, BENCH_ADMIN.password)
    return [
      { name: 'GET /healthz', path: '/healthz', connections: 32 },
      { name: 'POST /api/v1/auth/login', method: 'POST', path: '/api/v1/auth/login', body: JSON.stringify(BENCH_ADMIN), connections: 8 },
      { name: 'GET /api/v1/me', path: '/api/v1/me', headers: { cookie: session.cookie }, connections: 32 },
    ]
  },
}
