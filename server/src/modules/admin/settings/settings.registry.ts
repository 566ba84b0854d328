import { sql } from 'kysely'
import { Type, type TSchema } from 'typebox'
import type { Executor } from '../../../platform/db/database'
import type { Lang } from '../../../platform/i18n/locale'
import { isTimeZone } from '../../accounts/accounts.schemas'

/**
 * The settings an administrator may change: each key has a schema, a default and a description.
 * Anything else is rejected. Modules add theirs at import time with defineSetting; code reads
 * them with readSetting (the stored value, or the default).
 */
export interface SettingDefinition<T = unknown> {
  key: string
  schema: TSchema
  default: T
  description: Record<Lang, string>
  /** Extra check beyond the schema; returns a message key when the value is not acceptable. */
  check?: (value: T) => string | null
  /** Shown and audited as "********" (e.g. a password). */
  secret?: boolean
}

const definitions = new Map<string, SettingDefinition>()

export function defineSetting<T>(def: SettingDefinition<T>) {
  if (definitions.has(def.key)) throw new Error(`setting ${def.key} defined twice`)
  definitions.set(def.key, def as SettingDefinition)
}

export function settingDefinitions(): SettingDefinition[] {
  return [...definitions.values()].sort((a, b) => a.key.localeCompare(b.key))
}

export function settingDefinition(key: string): SettingDefinition | undefined {
  return definitions.get(key)
}

/** The stored value of a known setting, or its default. */
export async function readSetting<T>(db: Executor, key: string): Promise<T> {
  const def = definitions.get(key)
  if (!def) throw new Error(`unknown setting ${key}`)
  const row = (await sql<{ value: T }>`select value from settings where key = ${key}`.execute(db)).rows[0]
  return row ? row.value : (def.default as T)
}

defineSetting<string | null>({
  key: 'mail.from',
  schema: Type.Union([Type.String({ minLength: 3, maxLength: 300, pattern: '@' }), Type.Null()]),
  default: null,
  description: {
    es: 'Remitente de los correos del sistema, p. ej. «Soporte <soporte@empresa.mx>». Vacío: no-reply del dominio público.',
    en: 'Sender of system mail, e.g. "Support <support@company.com>". Empty: no-reply at the public host.',
  },
})

defineSetting<string>({
  key: 'users.defaultLocale',
  schema: Type.Union([Type.Literal('es-MX'), Type.Literal('en')]),
  default: 'es-MX',
  description: { es: 'Idioma de los usuarios y contactos nuevos.', en: 'Language of new users and contacts.' },
})

defineSetting<string>({
  key: 'users.defaultTimezone',
  schema: Type.String({ minLength: 1, maxLength: 64 }),
  default: 'America/Mexico_City',
  description: { es: 'Zona horaria de los usuarios nuevos.', en: 'Time zone of new users.' },
  check: (tz) => (isTimeZone(tz) ? null : 'accounts.timezone_unknown'),
})
