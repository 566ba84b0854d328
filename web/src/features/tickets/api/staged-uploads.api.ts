import { api } from '../../../app/api-client'

/** A file uploaded for a ticket not filed yet (POST /api/v1/attachments); single use, expires in a day. */
export interface StagedFile { id: string; filename: string; size: number; contentType: string; createdAt: string; expiresAt: string }

/**
 * Uploads the files not uploaded yet and returns every file's id, in order, for `attachmentIds`
 * of a new ticket. `cache` remembers each File's id, so a retry after a refused create (its
 * transaction rolled back: the files are still unclaimed) does not upload them again.
 */
export async function stageFiles(files: File[], cache: WeakMap<File, string>): Promise<string[]> {
  const pending = files.filter((f) => !cache.has(f))
  if (pending.length) {
    const fd = new FormData()
    for (const f of pending) fd.append('file', f, f.name)
    const res = await api.post<{ items: StagedFile[] }>('/api/v1/attachments', fd)
    res.items.forEach((s, i) => cache.set(pending[i], s.id))
  }
  return files.map((f) => cache.get(f)!)
}
