import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

// A fixed piece of CPU work (plain arithmetic, no memory traffic), timed by the CPU time of the
// process that does it: waiting for the other core's work does not count, a slower core does.
const WORK = `const t0 = process.cpuUsage(); let x = 0; for (let i = 0; i < 1e8; i++) x += i % 7;
const d = process.cpuUsage(t0); console.log(x > 0 ? (d.user + d.system) / 1000 : 0)`

export interface MachineSpeed {
  /** CPU milliseconds the fixed work took, median of the samples (lower is faster). */
  ms: number
  /** Each sample, in the order taken. */
  samples: number[]
}

/**
 * How fast this machine's cores run right now. Shared virtual machines are not always equally
 * fast: on the bench machine the same work has taken from 165 to 600 ms within one hour, and every
 * figure of a run moves with it. The bench measures this before and after each engine's run and
 * saves it with the results, so figures from different runs can be compared fairly.
 */
export async function machineSpeed(samples = 5): Promise<MachineSpeed> {
  const out: number[] = []
  for (let i = 0; i < samples; i++) {
    const { stdout } = await run(process.execPath, ['-e', WORK])
    out.push(Math.round(Number(stdout.trim())))
  }
  return { ms: [...out].sort((a, b) => a - b)[Math.floor(out.length / 2)], samples: out }
}
