import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { repoRoot } from './support/server'

type Tree = { [k: string]: string | Tree }
const load = (f: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'web/src/i18n', f), 'utf8')) as Tree
function flatten(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(t)) {
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [k2, v2] of flatten(v, key)) out.set(k2, v2)
  }
  return out
}
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? sources(p) : /\.(tsx?|ts)$/.test(e.name) ? [p] : []
  })
}
/** i18next plural forms: key_one / key_other answer for key. */
const has = (keys: Map<string, string>, k: string) => keys.has(k) || keys.has(`${k}_one`) || keys.has(`${k}_other`)

describe('web translations', () => {
  const es = flatten(load('es-MX.json'))
  const en = flatten(load('en.json'))
  it('has the same keys in es-MX and English', () => {
    assert.deepEqual([...es.keys()].filter((k) => !en.has(k)), [], 'missing in en.json')
    assert.deepEqual([...en.keys()].filter((k) => !es.has(k)), [], 'missing in es-MX.json')
  })
  it('defines every literal key the code passes to t()', () => {
    const used = new Set<string>()
    for (const file of sources(path.join(repoRoot, 'web/src'))) {
      const text = fs.readFileSync(file, 'utf8')
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1])
      for (const m of text.matchAll(/labelKey: '([a-zA-Z0-9_.]+)'/g)) used.add(m[1])
    }
    assert.deepEqual([...used].filter((k) => !has(es, k)).sort(), [], 'used but not in es-MX.json')
  })
  it('has every status, priority and channel label', () => {
    for (const s of ['new', 'open', 'pending', 'on_hold', 'resolved', 'closed', 'cancelled']) assert.ok(es.has(`status.${s}`) && en.has(`status.${s}`), s)
    for (const p of ['urgent', 'high', 'normal', 'low']) assert.ok(es.has(`priority.${p}`), p)
    for (const c of ['web', 'email', 'phone', 'chat', 'sms', 'whatsapp', 'social', 'api']) assert.ok(es.has(`channel.${c}`), c)
  })
})
