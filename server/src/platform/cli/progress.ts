import cliProgress from 'cli-progress'

/** A progress bar on stderr for long work in commands (seeding, imports, benchmarks). */
export interface Progress { start(label: string, total: number): void; tick(n?: number): void; stop(): void }

export function progressBar(): Progress {
  let bar: cliProgress.SingleBar | null = null
  return {
    start(label, total) {
      bar = new cliProgress.SingleBar({ format: `  ${label.padEnd(28)} [{bar}] {percentage}% {value}/{total} {eta_formatted}`, stream: process.stderr, hideCursor: false }, cliProgress.Presets.shades_classic)
      bar.start(total, 0)
    },
    tick(n = 1) { bar?.increment(n) },
    stop() { bar?.stop(); bar = null },
  }
}
