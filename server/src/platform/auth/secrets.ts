import crypto from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'

/** A random URL-safe secret (sessions, tokens, links). */
export function randomSecret(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url')
}

/** Secrets are stored only as their SHA-256. */
export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex')
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: 2 /* argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 })
}

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    // Spend the same time as a real check so unknown accounts cannot be told apart by timing.
    await verify(DUMMY_HASH, password).catch(() => false)
    return false
  }
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0cyHo8YbK7Qo6Jk0E0dBqSgn3J7vBc8uNcNfG9rVN0Y'

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && crypto.timingSafeEqual(x, y)
}
