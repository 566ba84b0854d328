import type { FastifyPluginAsync } from 'fastify'
import './admin.messages'
import { auditLogRoutes } from './audit-log/audit-log.routes'
import { settingsRoutes } from './settings/settings.routes'
import { jobsRoutes } from './jobs/jobs.routes'

/** Administration: the audit log, settings and the job queue. */
export const adminRoutes: FastifyPluginAsync = async (app) => {
  await app.register(auditLogRoutes)
  await app.register(settingsRoutes)
  await app.register(jobsRoutes)
}
