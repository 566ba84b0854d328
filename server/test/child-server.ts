import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { serverNodeArgs } from '../src/processes'

/** The repository root (where `server/src/main.ts` is run from). */
export const repoRoot = path.resolve(import.meta.dirname, '../..')

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port
      srv.close(() => resolve(port))
    })
  })
}

export interface ChildServer { child: ChildProcess; output: () => string; exited: Promise<number | null> }

/** Starts the real server (`server/src/main.ts`) as a child process, collecting its output. */
export function startChildServer(env: Record<string, string>): ChildServer {
  let out = ''
  const child = spawn(process.execPath, serverNodeArgs(), {
    cwd: repoRoot, env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d) => { out += d })
  child.stderr!.on('data', (d) => { out += d })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, output: () => out, exited }
}

/** Waits until /readyz answers 200 (and `extra()` is true, e.g. an SMTP port accepts). */
export async function waitReady(base: string, opts: { ms?: number; output?: () => string; extra?: () => Promise<boolean> } = {}) {
  const start = Date.now()
  while (Date.now() - start < (opts.ms ?? 120_000)) {
    try {
      const r = await fetch(`${base}/readyz`)
      if (r.status === 200 && (!opts.extra || (await opts.extra()))) return
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`server did not become ready${opts.output ? `:\n${opts.output()}` : ''}`)
}

/** True when something accepts TCP connections on the port. */
export function portOpen(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true) })
    s.on('error', () => resolve(false))
  })
}
