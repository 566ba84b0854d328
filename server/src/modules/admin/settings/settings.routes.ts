import { sql } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction, type Executor } from '../../../platform/db/database'
import { ValidationError } from '../../../platform/http/errors'
import { StrictObject, errorResponses } from '../../../platform/http/schemas'
import { recordAudit } from '../../../platform/audit/audit'
import type { Lang } from '../../../platform/i18n/locale'
import { settingDefinition, settingDefinitions } from './settings.registry'

const MASK = '********'
const SettingItem = Type.Object({
  key: Type.String(),
  value: Type.Unknown(),
  default: Type.Unknown(),
  isDefault: Type.Boolean(),
  description: Type.String(),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
})
const SettingsList = Type.Object({ items: Type.Array(SettingItem) })

async function listSettings(db: Executor, lang: Lang) {
  const rows = (await sql<{ key: string; value: unknown; updated_at: Date }>`select key, value, updated_at from settings`.execute(db)).rows
  return settingDefinitions().map((d) => {
    const row = rows.find((r) => r.key === d.key)
    const value = row ? row.value : d.default
    return {
      key: d.key, value: d.secret && value ? MASK : value, default: d.default, isDefault: !row, description: d.description[lang],
      updatedAt: row ? new Date(row.updated_at).toISOString() : null,
    }
  })
}

/** Helpdesk settings: only the known keys, each validated by its own schema; changes are audited. */
export const settingsRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  // Built at registration, after every module has defined its settings (at import time).
  const PatchBody = StrictObject(Object.fromEntries(settingDefinitions().map((d) => [d.key, Type.Optional(Type.Union([d.schema, Type.Null()]))])),
    { description: 'Keys to change; null restores the default.' })

  app.get('/api/v1/settings', {
    config: { access: 'settings.manage' },
    schema: { tags: ['admin'], summary: 'Ver la configuración', response: { 200: SettingsList, ...errorResponses } },
  }, async (request) => ({ items: await listSettings(ctx.db, request.lang) }))

  app.patch('/api/v1/settings', {
    config: { access: 'settings.manage' },
    schema: { tags: ['admin'], summary: 'Cambiar la configuración (null restaura el valor predeterminado)', body: PatchBody, response: { 200: SettingsList, ...errorResponses } },
  }, async (request) => {
    const actor = requireActor(request)
    const changes = Object.entries(request.body as Record<string, unknown>)
    for (const [key, value] of changes) {
      const problem = value === null ? null : settingDefinition(key)!.check?.(value)
      if (problem) throw new ValidationError(problem, { timezone: value, value }, [{ field: key, rule: 'check' }])
    }
    await inTransaction(ctx.db, async (trx) => {
      for (const [key, value] of changes) {
        const def = settingDefinition(key)!
        const before = (await sql<{ value: unknown }>`select value from settings where key = ${key} for update`.execute(trx)).rows[0]
        if (value === null) await sql`delete from settings where key = ${key}`.execute(trx)
        else {
          await sql`insert into settings (key, value, updated_at) values (${key}, ${JSON.stringify(value)}::jsonb, ${ctx.now()})
            on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`.execute(trx)
        }
        const shown = (v: unknown) => (def.secret && v != null ? MASK : v)
        await recordAudit(trx, {
          actorId: actor.id, action: 'settings.changed', targetType: 'setting', targetId: key, ip: request.ip,
          details: { from: shown(before ? before.value : def.default), to: shown(value ?? def.default) },
        })
      }
    })
    return { items: await listSettings(ctx.db, request.lang) }
  })
}
