#!/usr/bin/env node
/* global process, console */
// Builds the web app (vite) when web/dist is missing or older than its sources, so `npm start`
// always serves a current UI. Skip with ATIENDE_SKIP_WEB_BUILD=1.
import fs from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const web = path.join(root, 'web')
const distIndex = path.join(web, 'dist', 'index.html')
const sources = [path.join(web, 'src'), path.join(web, 'index.html'), path.join(web, 'vite.config.ts'), path.join(web, 'public')]

/** Newest modification time under a file or folder (0 when it does not exist). */
function newest(p) {
  let stat
  try { stat = fs.statSync(p) } catch { return 0 }
  if (!stat.isDirectory()) return stat.mtimeMs
  let max = stat.mtimeMs
  for (const entry of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, entry)))
  return max
}

if (process.env.ATIENDE_SKIP_WEB_BUILD === '1') process.exit(0)
const builtAt = fs.existsSync(distIndex) ? fs.statSync(distIndex).mtimeMs : 0
const changedAt = Math.max(...sources.map(newest))
if (builtAt > 0 && builtAt >= changedAt) process.exit(0)

console.log(builtAt ? 'Atiende: la interfaz web cambió; compilando… / web app changed; building…' : 'Atiende: compilando la interfaz web… / building the web app…')
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js')
const result = spawnSync(process.execPath, [vite, 'build', '--config', path.join(web, 'vite.config.ts'), '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
if (result.status !== 0) {
  console.error('Atiende: no se pudo compilar la interfaz web / the web build failed')
  process.exit(result.status ?? 1)
}
