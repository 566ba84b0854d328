// Every module's job handlers and event subscriptions, imported once so workers know them.
import './platform/mail/send-mail.job'
import './platform/jobs/housekeeping.job'
import './modules/accounts/imports/import-contacts.job'
import './modules/tickets/jobs/close-resolved-tickets.job'
import './modules/tickets/jobs/release-assigned-tickets.job'
import './modules/tickets/attachments/jobs/collect-unused-blobs.job'
import './modules/email/email.jobs'
import './modules/sla/sla.jobs'
