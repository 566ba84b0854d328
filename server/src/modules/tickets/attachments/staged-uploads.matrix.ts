import { Readable } from 'node:stream'
import { sql } from 'kysely'
import type { MatrixFixtures, ObjectCase } from '../../../../test/route-matrix.fixtures'
import { storageFor } from '../../../platform/storage/storage'
import { STAGED_TTL_MS } from './commands/stage-attachments'

/**
 * Object-level expectations of files staged for a new ticket (POST /api/v1/attachments): only
 * their uploader may file a ticket with them; for anyone else the id does not exist (404).
 */
async function stagedByCustomer(f: MatrixFixtures): Promise<string> {
  const blob = await storageFor(f.env.ctx).put(Readable.from([Buffer.from('captura de la matriz')]))
  const now = f.env.ctx.now()
  return (await sql<{ id: string }>`insert into staged_attachments (sha256, size, filename, content_type, uploaded_by, created_at, expires_at)
    values (${blob.sha256}, ${blob.size}, 'captura.txt', 'text/plain; charset=utf-8', ${f.users.customer.id}, ${now}, ${new Date(now.getTime() + STAGED_TTL_MS)})
    returning id`.execute(f.env.ctx.db)).rows[0].id
}

export const objectCases: ObjectCase[] = [
  {
    route: 'POST /api/v1/tickets', name: 'a file the customer staged',
    setup: async (f) => ({ params: {}, body: { subject: 'Con evidencia (matriz)', attachmentIds: [await stagedByCustomer(f)] } }),
    visibleTo: ['customer'],
    okStatus: 201,
  },
]
