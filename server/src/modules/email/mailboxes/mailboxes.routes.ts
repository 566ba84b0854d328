import crypto from 'node:crypto'
import { sql } from 'kysely'
import { Type } from 'typebox'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { requireActor } from '../../../platform/auth/access'
import { inTransaction, type Executor, type Trx } from '../../../platform/db/database'
import { ConflictError, NotFoundError, ValidationError } from '../../../platform/http/errors'
import { IdParams, StrictObject, Uuid, errorResponses } from '../../../platform/http/schemas'
import { recordAudit } from '../../../platform/audit/audit'
import { Nullable } from '../../accounts/accounts.schemas'
import { invalidateMailboxCache } from './mailbox-directory'
// Refuses deleting a ticket type or category a mailbox files its tickets with.
import './mailbox-ticket-hooks'
import { credentialKeys, imapPasswordContext, sealCredential, type CredentialKeys } from './credential-box'
import type { Lang } from '../../../platform/i18n/locale'
import { IMAP_ERROR_CODES, isImapHost, presentImapError } from '../imap/imap-errors'

const Priority = Type.Union([Type.Literal('urgent'), Type.Literal('high'), Type.Literal('normal'), Type.Literal('low')])
const Address = Type.String({ format: 'email', maxLength: 254 })
const Folder = Type.String({ minLength: 1, maxLength: 200 })
const Name = Type.String({ minLength: 1, maxLength: 100 })
const Inbound = Type.Union([Type.Literal('smtp'), Type.Literal('imap')])

/** Everything but address, name and inbound, all optional (create and patch). */
const optionalFields = {
  imapHost: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 253, description: 'Nombre de host o dirección IP. / Host name or IP address.' }))),
  imapPort: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 65535 }))),
  imapSecure: Type.Optional(Type.Boolean()),
  imapUser: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 320 }))),
  imapPassword: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 500, description: 'Se guarda y nunca se devuelve. / Stored, never returned.' }))),
  imapFolder: Type.Optional(Folder),
  processedAction: Type.Optional(Type.Union([Type.Literal('move'), Type.Literal('flag')], { description: 'IMAP: mover a processedFolder o marcar como procesado.' })),
  processedFolder: Type.Optional(Folder),
  teamId: Type.Optional(Nullable(Uuid)),
  categoryId: Type.Optional(Nullable(Uuid)),
  typeId: Type.Optional(Nullable(Uuid)),
  priority: Type.Optional(Nullable(Priority)),
  plusAddressing: Type.Optional(Type.Boolean({ description: 'Reply-To soporte+{token}@dominio (el servidor debe aceptar direcciones con +).' })),
  active: Type.Optional(Type.Boolean()),
}
const CreateBody = StrictObject({ address: Address, name: Name, inbound: Inbound, ...optionalFields })
const PatchBody = StrictObject({ address: Type.Optional(Address), name: Type.Optional(Name), inbound: Type.Optional(Inbound), ...optionalFields })

const MailboxOut = Type.Object({
  id: Uuid,
  address: Type.String(),
  name: Type.String(),
  inbound: Type.String(),
  imapHost: Type.Union([Type.String(), Type.Null()]),
  imapPort: Type.Union([Type.Integer(), Type.Null()]),
  imapSecure: Type.Boolean(),
  imapUser: Type.Union([Type.String(), Type.Null()]),
  imapPasswordSet: Type.Boolean(),
  imapFolder: Type.String(),
  processedAction: Type.String(),
  processedFolder: Type.String(),
  teamId: Type.Union([Uuid, Type.Null()]),
  categoryId: Type.Union([Uuid, Type.Null()]),
  typeId: Type.Union([Uuid, Type.Null()]),
  priority: Type.Union([Type.String(), Type.Null()]),
  plusAddressing: Type.Boolean(),
  active: Type.Boolean(),
  lastCheckedAt: Type.Union([Type.String(), Type.Null()]),
  lastError: Type.Union([Type.String({ description: 'Por qué no se pudo leer el buzón, en el idioma de quien pregunta. / Why the mailbox could not be read, in the caller\'s language.' }), Type.Null()]),
  lastErrorCode: Type.Union([Type.Union(IMAP_ERROR_CODES.map((c) => Type.Literal(c))), Type.Null()]),
  lastErrorDetail: Type.Union([Type.String({ description: 'El error técnico tal como llegó (inglés). / The technical error as received.' }), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
})

interface MailboxInput {
  address?: string; name?: string; inbound?: 'smtp' | 'imap'; imapHost?: string | null; imapPort?: number | null; imapSecure?: boolean
  imapUser?: string | null; imapPassword?: string | null; imapFolder?: string; processedAction?: 'move' | 'flag'; processedFolder?: string
  teamId?: string | null; categoryId?: string | null; typeId?: string | null; priority?: string | null; plusAddressing?: boolean; active?: boolean
}

const COLUMNS: Array<[keyof MailboxInput, string]> = [
  ['address', 'address'], ['name', 'name'], ['inbound', 'inbound'], ['imapHost', 'imap_host'], ['imapPort', 'imap_port'], ['imapSecure', 'imap_secure'],
  ['imapUser', 'imap_user'], ['imapPassword', 'imap_password'], ['imapFolder', 'imap_folder'], ['processedAction', 'processed_action'],
  ['processedFolder', 'processed_folder'], ['teamId', 'team_id'], ['categoryId', 'category_id'], ['typeId', 'type_id'], ['priority', 'priority'],
  ['plusAddressing', 'plus_addressing'], ['active', 'active'],
]

type Row = Record<string, unknown> & { id: string; imap_password: string | null; created_at: Date; updated_at: Date; last_checked_at: Date | null }

/** Row → API shape. The IMAP password is never returned: only whether one is set. The last error in the caller's language. */
function present(r: Row, lang: Lang) {
  const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null)
  const lastError = presentImapError(r.last_error as string | null, lang)
  return {
    id: r.id, address: r.address, name: r.name, inbound: r.inbound, imapHost: r.imap_host, imapPort: r.imap_port, imapSecure: r.imap_secure,
    imapUser: r.imap_user, imapPasswordSet: !!r.imap_password, imapFolder: r.imap_folder, processedAction: r.processed_action,
    processedFolder: r.processed_folder, teamId: r.team_id, categoryId: r.category_id, typeId: r.type_id, priority: r.priority,
    plusAddressing: r.plus_addressing, active: r.active, lastCheckedAt: iso(r.last_checked_at),
    lastError: lastError?.message ?? null, lastErrorCode: lastError?.code ?? null, lastErrorDetail: lastError?.detail ?? null,
    createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)!,
  }
}

async function findMailbox(db: Executor, id: string): Promise<Row> {
  const row = (await sql<Row>`select * from mailboxes where id = ${id}`.execute(db)).rows[0]
  if (!row) throw new NotFoundError('email.mailbox_not_found')
  return row
}

/** References must exist; an IMAP mailbox must be able to log in. */
async function check(trx: Trx, merged: Row) {
  for (const [field, table, column] of [['teamId', 'teams', 'team_id'], ['categoryId', 'categories', 'category_id'], ['typeId', 'ticket_types', 'type_id']] as const) {
    const id = merged[column]
    if (id && (await sql`select 1 from ${sql.table(table)} where id = ${id}`.execute(trx)).rows.length === 0) {
      throw new ValidationError('email.unknown_reference', { field }, [{ field, rule: 'exists' }])
    }
  }
  if (merged.inbound === 'imap' && (!merged.imap_host || !merged.imap_user || !merged.imap_password)) {
    throw new ValidationError('email.mailbox_imap_required', {}, [{ field: 'imapHost', rule: 'required' }])
  }
}

/** Creates (id null) or changes a mailbox; a new IMAP password is stored sealed (credential-box.ts). */
async function save(trx: Trx, id: string | null, input: MailboxInput, now: Date, keys: CredentialKeys): Promise<string> {
  const current: Row = id ? await findMailbox(trx, id) : ({ id: crypto.randomUUID(), imap_folder: 'INBOX', processed_action: 'move', processed_folder: 'Procesados', imap_secure: true, plus_addressing: false, active: true } as unknown as Row)
  if (typeof input.imapHost === 'string' && !isImapHost(input.imapHost)) {
    throw new ValidationError('email.mailbox_imap_host_invalid', { field: 'imapHost' }, [{ field: 'imapHost', rule: 'hostname' }])
  }
  const merged = { ...current } as Row
  for (const [key, column] of COLUMNS) {
    const value = input[key]
    if (value !== undefined) merged[column] = typeof value === 'string' && key === 'address' ? value.trim().toLowerCase() : value
  }
  await check(trx, merged)
  if (typeof input.imapPassword === 'string') merged.imap_password = sealCredential(keys, input.imapPassword, imapPasswordContext(merged.id))
  const values = (id ? [] : ['id']).concat(COLUMNS.map(([, column]) => column).filter((c) => merged[c] !== undefined))
  const taken = (await sql`select 1 from mailboxes where address = ${merged.address as string} and id <> ${id ?? '00000000-0000-0000-0000-000000000000'}`.execute(trx)).rows.length
  if (taken) throw new ConflictError('mailbox_address_taken', 'email.mailbox_address_taken', { address: merged.address })
  if (!id) {
    return (await sql<{ id: string }>`insert into mailboxes (${sql.join(values.map((c) => sql.ref(c)))}, created_at, updated_at)
      values (${sql.join(values.map((c) => sql`${merged[c]}`))}, ${now}, ${now}) returning id`.execute(trx)).rows[0].id
  }
  // A changed IMAP account or folder starts over from its first message (idempotency keeps old ones out).
  const resetImap = ['imap_host', 'imap_user', 'imap_folder'].some((c) => merged[c] !== current[c])
  await sql`update mailboxes set ${sql.join(values.map((c) => sql`${sql.ref(c)} = ${merged[c]}`))}, updated_at = ${now}
    ${resetImap ? sql`, imap_uid_validity = null, imap_last_uid = null, last_error = null` : sql``} where id = ${id}`.execute(trx)
  return id
}

/** Admin API for mailboxes (issue 6 §1): create, list, read and change. Audited, secrets masked. */
export const mailboxesRoutes: FastifyPluginAsync = async (app) => {
  const ctx = app.ctx
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id
  const langOf = (request: FastifyRequest): Lang => request.lang ?? 'es'
  const audit = (trx: Trx, request: FastifyRequest, action: string, id: string, input: MailboxInput) =>
    recordAudit(trx, { actorId: requireActor(request).id, action, targetType: 'mailbox', targetId: id, ip: request.ip, details: { fields: Object.keys(input).sort() } })

  app.get('/api/v1/mailboxes', {
    config: { access: 'email.manage' },
    schema: { tags: ['email'], summary: 'Listar buzones de correo', response: { 200: Type.Object({ items: Type.Array(MailboxOut) }), ...errorResponses } },
  }, async (request) => ({ items: (await sql<Row>`select * from mailboxes order by created_at, address`.execute(ctx.db)).rows.map((r) => present(r, langOf(request))) }))

  app.get('/api/v1/mailboxes/:id', {
    config: { access: 'email.manage' },
    schema: { tags: ['email'], summary: 'Ver un buzón', params: IdParams, response: { 200: MailboxOut, ...errorResponses } },
  }, async (request) => present(await findMailbox(ctx.db, idOf(request)), langOf(request)))

  app.post('/api/v1/mailboxes', {
    config: { access: 'email.manage' },
    schema: {
      tags: ['email'], summary: 'Crear un buzón (SMTP integrado o cuenta IMAP); sus tickets nuevos toman equipo, categoría, tipo y prioridad',
      body: CreateBody, response: { 201: MailboxOut, ...errorResponses },
    },
  }, async (request, reply) => {
    const input = request.body as MailboxInput
    const keys = await credentialKeys(ctx)
    const id = await inTransaction(ctx.db, async (trx) => {
      const created = await save(trx, null, input, ctx.now(), keys)
      await audit(trx, request, 'mailbox.created', created, input)
      return created
    })
    invalidateMailboxCache(ctx)
    return reply.status(201).send(present(await findMailbox(ctx.db, id), langOf(request)))
  })

  app.patch('/api/v1/mailboxes/:id', {
    config: { access: 'email.manage' },
    schema: { tags: ['email'], summary: 'Cambiar un buzón (imapPassword: null la borra)', params: IdParams, body: PatchBody, response: { 200: MailboxOut, ...errorResponses } },
  }, async (request) => {
    const input = request.body as MailboxInput
    const keys = await credentialKeys(ctx)
    await inTransaction(ctx.db, async (trx) => {
      await save(trx, idOf(request), input, ctx.now(), keys)
      await audit(trx, request, 'mailbox.updated', idOf(request), input)
    })
    invalidateMailboxCache(ctx)
    return present(await findMailbox(ctx.db, idOf(request)), langOf(request))
  })
}
