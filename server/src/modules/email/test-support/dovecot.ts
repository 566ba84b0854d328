import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

const DOVECOT = '/usr/sbin/dovecot'

/** Why Dovecot cannot run here, or null when it can. */
export function dovecotUnavailable(): string | null {
  if (!fs.existsSync(DOVECOT)) return 'dovecot is not installed (apt-get install -y dovecot-imapd)'
  return null
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/**
 * A real Dovecot IMAP server for tests, rootless: its own config, runtime and mail folders under a
 * temporary directory owned by the user it runs as (the `dovecot` system user when the tests run
 * as root, else the current user), listening on a free loopback port with plain-text logins.
 */
export async function startDovecot(users: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atiende-dovecot-'))
  const asRoot = process.getuid?.() === 0
  const user = asRoot ? 'dovecot' : os.userInfo().username
  const group = asRoot ? 'dovecot' : execFileSync('id', ['-gn']).toString().trim()
  const port = await freePort()
  for (const d of ['run', 'state', 'mail']) fs.mkdirSync(path.join(dir, d))
  fs.writeFileSync(path.join(dir, 'passwd'), Object.entries(users).map(([u, p]) => `${u}:{PLAIN}${p}\n`).join(''))
  const conf = path.join(dir, 'dovecot.conf')
  const service = (name: string) => `service ${name} {\n  chroot =\n  user = ${user}\n}\n`
  fs.writeFileSync(conf, `protocols = imap
first_valid_uid = 0
first_valid_gid = 0
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
default_login_user = ${user}
default_internal_user = ${user}
default_internal_group = ${group}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${user} gid=${group} home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
  user = ${user}
}
${['anvil', 'auth', 'auth-worker', 'imap', 'stats'].map(service).join('')}`)
  if (asRoot) execFileSync('chown', ['-R', `${user}:${group}`, dir])
  // The daemon keeps inherited pipes open: its output goes to its log file, never to a pipe we wait on.
  const run = (args: string[]) => asRoot
    ? spawnSync('su', ['-s', '/bin/sh', user, '-c', [DOVECOT, ...args].map((a) => `'${a}'`).join(' ')], { stdio: 'ignore' })
    : spawnSync(DOVECOT, args, { stdio: 'ignore' })
  const start = () => {
    const res = run(['-c', conf])
    if (res.status !== 0) throw new Error(`dovecot did not start (exit ${res.status}): ${readLog()}`)
  }
  const readLog = () => (fs.existsSync(path.join(dir, 'dovecot.log')) ? fs.readFileSync(path.join(dir, 'dovecot.log'), 'utf8') : '')
  const waitListening = async () => {
    for (let i = 0; i < 100; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => { socket.end(); resolve(true) })
        socket.on('error', () => resolve(false))
      })
      if (ok) return
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`dovecot is not listening on ${port}: ${readLog()}`)
  }
  const stopServer = async () => {
    run(['-c', conf, 'stop'])
    for (let i = 0; i < 50 && fs.existsSync(path.join(dir, 'run', 'master.pid')); i++) await new Promise((r) => setTimeout(r, 100))
  }
  start()
  await waitListening()
  return {
    port,
    dir,
    log: readLog,
    /** Stops and starts the server again (clients are disconnected), keeping the mail. */
    async restart() {
      await stopServer()
      start()
      await waitListening()
    },
    async stop() {
      await stopServer()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
