import type { BenchSuite } from '../harness'
import { slaSuite } from './sla.bench'
import { slaLiveSuite } from './sla-live.bench'
import { ticketsSuite } from './tickets.bench'
import { emailSuite } from './email.bench'

/** Module benchmark suites, run after the platform's. Add one line per module. */
export const suites: BenchSuite[] = [
  slaSuite,
  slaLiveSuite,
  ticketsSuite,
  emailSuite,
]
