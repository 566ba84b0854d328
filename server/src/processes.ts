import cluster from 'node:cluster'
import os from 'node:os'

/**
 * How many server processes to run on this machine: HELPDESK_PROCESSES, a number or `auto` (one
 * per core); 1 when unset or not understood.
 */
export function processCount(value: string | undefined): number {
  if (!value) return 1
  if (value.trim().toLowerCase() === 'auto') return Math.max(1, os.availableParallelism())
  const n = Number(value)
  return Number.isInteger(n) && n >= 1 && n <= 64 ? n : 1
}

/**
 * Node flags every server process runs with; `npm start` passes the same (package.json, checked by
 * server/test/process.test.ts), as do the bench and the tests that start the server. Semi-spaces
 * of 64 MB instead of V8's 16 MB: a mailed-in ticket or a batch of creates allocates hundreds of
 * kilobytes that die within the request, and a small young generation is scavenged while much of
 * it is still in use, copying it. GC's share of the server's thread 8.6 → 5–6 % in process; over
 * HTTP and SMTP about +10 % creates and +5 % mail per second, less than single runs' spread
 * (docs/BENCHMARKS.md). Costs up to ≈ 100 MB more memory per process.
 */
const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64']

/** The server's arguments after `node`, from the repository root, with `extraFlags` after ours (the last of a repeated flag wins). */
export function serverNodeArgs(extraFlags: readonly string[] = []): string[] {
  return [...SERVER_NODE_FLAGS, ...extraFlags, '--import', 'tsx', 'server/src/main.ts']
}

/** Exit code of a process that cannot open its database (main.ts): starting it again would not help. */
export const EXIT_NO_DATABASE = 2

const STOP_GRACE_MS = 30_000

/**
 * The primary of several server processes on one machine (PostgreSQL only). `prepare` runs once
 * first (migrations, first administrator), then `count` copies of the server start and share the
 * HTTP and SMTP ports (node:cluster hands out connections round-robin). Each copy is a full
 * instance, the same as instances on separate machines: the database makes jobs run exactly once
 * and fans real-time events out through LISTEN/NOTIFY. A copy that dies is started again after a
 * second (unless it could not open the database: then all stop with its code); SIGTERM / SIGINT
 * stop every copy gracefully (killed after 30 s), then the primary.
 */
export async function superviseProcesses(count: number, prepare: () => Promise<void>): Promise<void> {
  await prepare()
  let stopping = false
  let exitCode = 0
  const running = () => Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead())
  const stopAll = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    for (const w of running()) w!.process.kill(signal)
    if (running().length === 0) process.exit(exitCode)
    // A copy that does not finish its graceful stop in time is killed.
    setTimeout(() => {
      for (const w of running()) w!.process.kill('SIGKILL')
      process.exit(exitCode)
    }, STOP_GRACE_MS).unref()
  }
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (running().length === 0) process.exit(exitCode)
      return
    }
    if (code === EXIT_NO_DATABASE) {
      exitCode = code
      stopAll('SIGTERM')
      return
    }
    console.error(`Atiende: el proceso ${worker.process.pid} terminó (${signal ?? code}); se inicia otro / process ended, starting another`)
    setTimeout(() => { if (!stopping) cluster.fork() }, 1000)
  })
  process.on('SIGINT', () => stopAll('SIGINT'))
  process.on('SIGTERM', () => stopAll('SIGTERM'))
  for (let i = 0; i < count; i++) cluster.fork()
}
