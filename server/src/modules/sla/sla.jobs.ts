// The SLA module's job handlers and its hooks into the tickets module, imported once by server/src/jobs.ts.
import './live/sla-ticket-hooks'
import './escalation/escalate-sla.job'
import './cutoffs/run-cutoff.job'
import './jobs/recompute-sla.job'
import './jobs/sweep-due-sla.job'
