/**
 * A CPU profile of the server's own work while 32 `POST /api/v1/tickets` run at once in process
 * (no HTTP client on the machine): writes /tmp/create.cpuprofile (open it in Chrome's DevTools).
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/profile-create-cpu.ts [n]
 */
import { profileEnv, withCpuProfile } from './profile-env'

const n = Number(process.argv[2] ?? 3000)
const { env, createConcurrently } = await profileEnv()
await createConcurrently(500) // warm up
const t0 = performance.now()
await withCpuProfile('/tmp/create.cpuprofile', () => createConcurrently(n))
const seconds = (performance.now() - t0) / 1000
const cpu = process.cpuUsage()
console.log(`${n} creates at 32 at once: ${(n / seconds).toFixed(0)} tickets/s; profile in /tmp/create.cpuprofile`)
console.log(`process CPU so far: user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s`)
await env.close()
