import fs from 'node:fs'
import path from 'node:path'

/** Waits for a development .eml (data dir mail-outbox) sent to `to` and returns the first link matching `pathPart`. */
export async function waitForMailLink(dataDir: string, to: string, pathPart: string, timeoutMs = 15_000): Promise<string> {
  const dir = path.join(dataDir, 'mail-outbox')
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (fs.existsSync(dir)) {
      for (const name of fs.readdirSync(dir).sort().reverse()) {
        const raw = fs.readFileSync(path.join(dir, name), 'utf8')
        if (!raw.toLowerCase().includes(to.toLowerCase())) continue
        // Undo quoted-printable soft breaks and =3D before looking for the link.
        const text = raw.replace(/=\r?\n/g, '').replace(/=3D/gi, '=')
        const m = new RegExp(`https?://[^\\s"'<>]*${pathPart.replace(/[/?]/g, '\\$&')}[^\\s"'<>]*`).exec(text)
        if (m) return m[0]
      }
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`no mail to ${to} with ${pathPart}`)
}
