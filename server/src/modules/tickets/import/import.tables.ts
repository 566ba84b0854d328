import type { ColumnType } from 'kysely'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>

/** A ticket brought in from another help desk, by its id there. */
export interface TicketImportRefsTable {
  source: string
  external_id: string
  ticket_id: string
  imported_by: string | null
  imported_at: CreatedAt
}

/** Ticket import records (migration 0150). */
export interface TicketImportTables {
  ticket_import_refs: TicketImportRefsTable
}
