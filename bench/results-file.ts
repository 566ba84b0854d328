import fs from 'node:fs'
import path from 'node:path'

export interface ComputeResult { name: string; figures: Record<string, number | string>; target?: string; measuredAt?: string }
export interface LoadFigures { name: string; connections: number; measuredAt?: string }
export interface EngineResults { loads: LoadFigures[]; compute: ComputeResult[] }
export type Results = Record<string, EngineResults>

/**
 * A day's results with a new run folded in: each scenario (a load by name and connections, a
 * computation by name) keeps its latest figures with the time they were measured, so running one
 * suite (`--only email`) does not erase what other suites measured that day.
 */
export function mergeResults(previous: Results, run: Results, measuredAt: string): Results {
  const out: Results = structuredClone(previous)
  for (const [engine, fresh] of Object.entries(run)) {
    const into = (out[engine] ??= { loads: [], compute: [] })
    for (const load of fresh.loads) {
      const key = (l: LoadFigures) => `${l.name}@${l.connections}`
      into.loads = [...into.loads.filter((l) => key(l) !== key(load)), { ...load, measuredAt }]
    }
    for (const c of fresh.compute) {
      into.compute = [...into.compute.filter((x) => x.name !== c.name), { ...c, measuredAt }]
    }
  }
  return out
}

/** Writes `bench/results/<date>.json`, merged with what that file already holds; returns its path. */
export function saveResults(dir: string, run: Results, extra: Record<string, unknown>): string {
  fs.mkdirSync(dir, { recursive: true })
  const now = new Date().toISOString()
  const file = path.join(dir, `${now.slice(0, 10)}.json`)
  let previous: Results = {}
  try {
    previous = (JSON.parse(fs.readFileSync(file, 'utf8')) as { results?: Results }).results ?? {}
  } catch { /* a new day, or a file we cannot read: start afresh */ }
  fs.writeFileSync(file, JSON.stringify({ date: now, ...extra, results: mergeResults(previous, run, now) }, null, 2))
  return file
}
