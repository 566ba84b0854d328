import { sql } from 'kysely'
import type { Executor } from '../../../platform/db/database'
import { formatBytes } from '../../tickets/attachments/attachment-limits'
import { escapeHtml, trustedHtml, type SafeHtml } from '../templates/template-language'
import { inlineImageIds } from './inline-images'

/** A public file of a reply, as the notifier sees it. */
export interface ReplyFile { id: string; filename: string; size: number; contentType: string }

/** Which of a reply's files go inside its mail and which are only listed with a link. */
export interface ReplyFilesPlan { attach: ReplyFile[]; linked: ReplyFile[] }

/**
 * Splits files in order: each goes inside the mail while the running total stays within
 * `budget` bytes; the rest (and every file when the budget is 0) become links. A large file
 * does not stop a smaller later one from fitting.
 */
export function fitFiles(files: readonly ReplyFile[], budget: number): ReplyFilesPlan {
  const attach: ReplyFile[] = []
  const linked: ReplyFile[] = []
  let left = budget
  for (const f of files) {
    if (f.size <= left) {
      attach.push(f)
      left -= f.size
    } else linked.push(f)
  }
  return { attach, linked }
}

/**
 * The files a public comment's email carries, within `cap` bytes per mail: the comment's
 * own public files (never an internal note's, never another comment's), less the images already
 * shown inside its body (those travel as cid: parts, see embedInlineImages, and use the cap
 * first; one past the cap is listed). Nothing when the comment is internal or not on this ticket.
 */
export async function planReplyFiles(db: Executor, ticketId: string, commentId: string, cap: number): Promise<ReplyFilesPlan> {
  const comment = (await sql<{ body_html: string | null }>`select body_html from comments
    where id = ${commentId} and ticket_id = ${ticketId} and internal = false`.execute(db)).rows[0]
  if (!comment) return { attach: [], linked: [] }
  const inline = new Set(inlineImageIds(comment.body_html ?? ''))
  const rows = (await sql<{ id: string; filename: string; size: number | string; content_type: string }>`
    select id, filename, size, content_type from attachments
    where ticket_id = ${ticketId} and (comment_id = ${commentId} or id = any(${[...inline]}::uuid[])) and internal = false
    order by created_at, id`.execute(db)).rows
  const files = rows.map((r) => ({ id: r.id, filename: r.filename, size: Number(r.size), contentType: r.content_type }))
  // Same rule as embedInlineImages: the body's images, in order, while they fit.
  const images = fitFiles([...inline].map((id) => files.find((f) => f.id === id && f.contentType.startsWith('image/'))).filter((f): f is ReplyFile => !!f), cap)
  const used = images.attach.reduce((n, f) => n + f.size, 0)
  const rest = fitFiles(files.filter((f) => !inline.has(f.id)), cap - used)
  // A pasted image past the cap shows as a broken image in the mail: list it with the others.
  return { attach: rest.attach, linked: [...images.linked, ...rest.linked] }
}

/**
 * A list of files for a template (`files.linked`, `files.received`): in HTML each name links to
 * the ticket page when `url` is given (mail clients cannot open our attachment URLs), in text
 * one "- name (size)" line each, with the URL after it.
 */
export function fileList(files: readonly ReplyFile[], url: string | null): SafeHtml | null {
  if (files.length === 0) return null
  const html = `<ul>${files.map((f) => {
    const name = escapeHtml(f.filename)
    return `<li>${url ? `<a href="${escapeHtml(url)}">${name}</a>` : name} (${escapeHtml(formatBytes(f.size))})</li>`
  }).join('')}</ul>`
  const text = files.map((f) => `- ${f.filename} (${formatBytes(f.size)})${url ? `: ${url}` : ''}`).join('\n')
  return trustedHtml(html, text)
}
