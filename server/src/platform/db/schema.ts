import type { PlatformTables } from './platform.tables'
import type { AccountsTables } from '../../modules/accounts/accounts.tables'
import type { TicketsTables } from '../../modules/tickets/tickets.tables'
import type { AttachmentsTables } from '../../modules/tickets/attachments/attachments.tables'
import type { LinksTables } from '../../modules/tickets/links/links.tables'
import type { TicketImportTables } from '../../modules/tickets/import/import.tables'
import type { EmailTables } from '../../modules/email/email.tables'
import type { SlaTables } from '../../modules/sla/sla.tables'

/**
 * The whole database as Kysely sees it. Each module owns its tables in `<module>.tables.ts`
 * and adds its interface here.
 */
export interface Database extends PlatformTables, AccountsTables, TicketsTables,
  AttachmentsTables, LinksTables, TicketImportTables, EmailTables, SlaTables {}
