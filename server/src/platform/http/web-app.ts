import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

export const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../web/dist')

/** Vite's content-hashed files: their name changes with their content, so browsers keep them a year. */
const ASSETS = '/assets/'

/**
 * index.html as of its last change: read again only when its modification time or size moved
 * (a rebuild under a running server), so each request costs one stat. While a build replaces the
 * file (briefly missing), the last good copy is served.
 */
export function indexHtmlReader(file: string) {
  let cached: { mtimeMs: number; size: number; html: string } | null = null
  return async (): Promise<string | null> => {
    try {
      const st = await fs.promises.stat(file)
      if (!cached || cached.mtimeMs !== st.mtimeMs || cached.size !== st.size) {
        cached = { mtimeMs: st.mtimeMs, size: st.size, html: await fs.promises.readFile(file, 'utf8') }
      }
    } catch {
      // Missing for a moment during a build: keep the last copy (null if there never was one).
    }
    return cached?.html ?? null
  }
}

/**
 * Serves the built React app. Hashed files under /assets/ are cached for a year (`immutable`), a
 * missing one is a 404 (never index.html); other files revalidate; index.html is `no-cache` and
 * answers unknown non-API paths (client-side routing).
 */
export async function installWebApp(app: FastifyInstance, opts: { root?: string } = {}) {
  const root = opts.root ?? webDist
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    app.log.warn({ webDist: root }, 'web app not built; run npm run build')
    return
  }
  await app.register(fastifyStatic, { root, serve: false })
  const indexHtml = indexHtmlReader(path.join(root, 'index.html'))
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const url = request.url.split('?')[0]
    if (url.startsWith('/api/')) return reply.callNotFound()
    const file = path.join(root, url)
    const isFile = file.startsWith(root + path.sep) && url !== '/index.html'
      && await fs.promises.stat(file).then((s) => s.isFile(), () => false)
    if (url.startsWith(ASSETS)) {
      if (!isFile) return reply.callNotFound()
      return reply.sendFile(url.slice(1), { maxAge: 31_536_000_000, immutable: true })
    }
    if (isFile) return reply.sendFile(url.slice(1), { maxAge: 0 })
    const html = await indexHtml()
    if (html === null) return reply.callNotFound()
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html)
  })
}
