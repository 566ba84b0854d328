import crypto from 'node:crypto'
import { sql, type QueryExecutorProvider } from 'kysely'
import type { AppContext } from '../../../platform/context'

/**
 * Encryption at rest of stored credentials (IMAP passwords): AES-256-GCM with a random 96-bit
 * IV per value and the row it belongs to as additional data, so a sealed value copied into
 * another row does not open. The key is ATIENDE_SECRET_KEY when set (any string of 32+
 * characters, hashed to 256 bits), else one generated on first use and kept in the database
 * (email_credential_keys). Each sealed value names its key by fingerprint, so values sealed with
 * the generated key still open after ATIENDE_SECRET_KEY is set (and are re-sealed with it).
 */
export interface CredentialKeys {
  /** The key new values are sealed with. */
  sealing: CredentialKey
  /** Every key we can open with, by fingerprint. */
  byFingerprint: Map<string, CredentialKey>
}

export interface CredentialKey {
  fingerprint: string
  key: Buffer
}

const PREFIX = 'enc:v1:'

/** A stored value that cannot be opened: its key is gone (ATIENDE_SECRET_KEY changed) or it was altered. */
export class CredentialUnreadableError extends Error {
  constructor(reason: string) {
    super(`stored credential cannot be decrypted: ${reason}`)
    this.name = 'CredentialUnreadableError'
  }
}

function keyOf(material: Buffer): CredentialKey {
  const key = crypto.createHash('sha256').update(material).digest()
  return { key, fingerprint: crypto.createHash('sha256').update(key).digest('hex').slice(0, 12) }
}

/** ATIENDE_SECRET_KEY as a key, null when unset; too short a value is refused, not silently weakened. */
export function keyFromEnv(env: NodeJS.ProcessEnv = process.env): CredentialKey | null {
  const value = env.ATIENDE_SECRET_KEY?.trim()
  if (!value) return null
  if (value.length < 32) throw new Error('ATIENDE_SECRET_KEY must be at least 32 characters (e.g. `openssl rand -base64 32`)')
  return keyOf(Buffer.from(value, 'utf8'))
}

/**
 * Loads the keys (without caching). Without ATIENDE_SECRET_KEY the database key is created on
 * first use; `insert … on conflict do nothing` on a one-row table makes concurrent starts agree.
 */
export async function loadCredentialKeys(db: QueryExecutorProvider, env: NodeJS.ProcessEnv = process.env): Promise<CredentialKeys> {
  const fromEnv = keyFromEnv(env)
  const read = async () => (await sql<{ key: string }>`select key from email_credential_keys where id = 1`.execute(db)).rows[0]?.key ?? null
  let stored = await read()
  if (!stored && !fromEnv) {
    await sql`insert into email_credential_keys (id, key) values (1, ${crypto.randomBytes(32).toString('base64')}) on conflict (id) do nothing`.execute(db)
    stored = await read()
  }
  const fromDb = stored ? keyOf(Buffer.from(stored, 'base64')) : null
  const byFingerprint = new Map<string, CredentialKey>()
  for (const k of [fromDb, fromEnv]) if (k) byFingerprint.set(k.fingerprint, k)
  return { sealing: (fromEnv ?? fromDb)!, byFingerprint }
}

const cache = new WeakMap<AppContext, Promise<CredentialKeys>>()

/** The keys for this process, loaded once (through ctx.db: call it outside transactions). */
export function credentialKeys(ctx: AppContext): Promise<CredentialKeys> {
  let hit = cache.get(ctx)
  if (!hit) {
    hit = loadCredentialKeys(ctx.db)
    hit.catch(() => cache.delete(ctx))
    cache.set(ctx, hit)
  }
  return hit
}

/** Encrypts a credential for one row (`context`, e.g. `mailboxes.imap_password:<id>`). */
export function sealCredential(keys: CredentialKeys, plaintext: string, context: string): string {
  const iv = crypto.randomBytes(12)
  const cipher = crypto.createCipheriv('aes-256-gcm', keys.sealing.key, iv)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'))
  return `${PREFIX}${keys.sealing.fingerprint}:${parts.join(':')}`
}

/** Whether a stored value is sealed (a value from before encryption is plain text). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX)
}

/** Whether a sealed value should be sealed again with the current key (or is still plain text). */
export function needsReseal(keys: CredentialKeys, stored: string): boolean {
  return !isSealed(stored) || !stored.startsWith(`${PREFIX}${keys.sealing.fingerprint}:`)
}

/** Decrypts a stored credential; a plain-text value (written before encryption) is returned as is. */
export function openCredential(keys: CredentialKeys, stored: string, context: string): string {
  if (!isSealed(stored)) return stored
  const [fingerprint, iv, tag, body] = stored.slice(PREFIX.length).split(':')
  const key = keys.byFingerprint.get(fingerprint)
  if (!key) throw new CredentialUnreadableError('unknown key (was ATIENDE_SECRET_KEY changed?)')
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(context, 'utf8'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
  } catch {
    throw new CredentialUnreadableError('authentication failed')
  }
}

/** The additional data binding a mailbox's IMAP password to its row. */
export const imapPasswordContext = (mailboxId: string) => `mailboxes.imap_password:${mailboxId}`
