import type { PlatformTables } from './platform.tables'
import type { AccountsTables } from '../../modules/accounts/accounts.tables'
import type { TicketsTables } from '../../modules/tickets/tickets.tables'

/**
 * The whole database as Kysely sees it. Each module owns its tables in `<module>.tables.ts`
 * and adds its interface here.
 */
export interface Database extends PlatformTables, AccountsTables, TicketsTables {}
