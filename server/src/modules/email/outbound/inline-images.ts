import { sql } from 'kysely'
import type { Readable } from 'node:stream'
import type { AppContext } from '../../../platform/context'
import { storageFor } from '../../../platform/storage/storage'
import { DEFAULT_MAX_ATTACHMENT_BYTES } from '../email.settings'

/** Images the web composer put inside a message point at our attachment route. */
const INLINE_IMG = /(<img\b[^>]*?\ssrc=")\/api\/v1\/attachments\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(")/gi

export interface InlineImageFile { filename: string; content: Buffer; contentType: string; cid: string }

/** The attachment ids of the `<img src="/api/v1/attachments/<id>">` of an HTML body, in order, once each. */
export function inlineImageIds(html: string): string[] {
  return [...new Set([...html.matchAll(INLINE_IMG)].map((m) => m[2].toLowerCase()))]
}

/** Points those images at `cid:` parts of the mail (the ones in `cids`); other images are left as they are. */
export function rewriteInlineImages(html: string, cids: Map<string, string>): string {
  return html.replace(INLINE_IMG, (whole, pre: string, id: string, post: string) => {
    const cid = cids.get(id.toLowerCase())
    return cid ? `${pre}cid:${cid}${post}` : whole
  })
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as Uint8Array))
  return Buffer.concat(chunks)
}

/**
 * A mail client cannot load our attachment URLs (they need a session), so the images shown inside
 * a message are sent inside the mail as `cid:` parts. Only public images of the same ticket are
 * embedded (an internal note's image never leaves this way), in order while they fit `cap` bytes
 * (email.maxAttachmentBytes: the reply's other files get what is left, see planReplyFiles); the
 * rest keep their link.
 */
export async function embedInlineImages(ctx: AppContext, ticketId: string | null, html: string, cap = DEFAULT_MAX_ATTACHMENT_BYTES): Promise<{ html: string; attachments: InlineImageFile[] }> {
  const ids = inlineImageIds(html)
  if (!ticketId || ids.length === 0) return { html, attachments: [] }
  const rows = (await sql<{ id: string; sha256: string; filename: string; content_type: string; size: number | string }>`
    select id, sha256, filename, content_type, size from attachments
    where id = any(${ids}::uuid[]) and ticket_id = ${ticketId} and internal = false and content_type like 'image/%'`.execute(ctx.db)).rows
  const cids = new Map<string, string>()
  const attachments: InlineImageFile[] = []
  let total = 0
  for (const id of ids) {
    const row = rows.find((r) => r.id === id)
    if (!row || total + Number(row.size) > cap) continue
    total += Number(row.size)
    const cid = `${row.id}@atiende`
    attachments.push({ filename: row.filename, content: await readAll(await storageFor(ctx).get(row.sha256)), contentType: row.content_type, cid })
    cids.set(id, cid)
  }
  return { html: rewriteInlineImages(html, cids), attachments }
}
