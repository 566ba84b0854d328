import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

export const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../web/dist')

/** Serves the built React app; unknown non-API paths get index.html (client-side routing). */
export async function installWebApp(app: FastifyInstance) {
  if (!fs.existsSync(path.join(webDist, 'index.html'))) {
    app.log.warn({ webDist }, 'web app not built; run npm run build')
    return
  }
  await app.register(fastifyStatic, { root: webDist, serve: false })
  const html = fs.readFileSync(path.join(webDist, 'index.html'), 'utf8')
  app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const url = request.url.split('?')[0]
    if (url.startsWith('/api/')) return reply.callNotFound()
    const file = path.join(webDist, url)
    if (file.startsWith(webDist) && url !== '/' && fs.existsSync(file) && fs.statSync(file).isFile()) {
      return reply.sendFile(url.slice(1))
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html)
  })
}
