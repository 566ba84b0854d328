import type { ColumnType, Generated } from 'kysely'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>

/** Stored direction: parent_of (source is the parent of target), duplicate_of (source duplicates target), related. */
export type LinkKind = 'parent_of' | 'related' | 'duplicate_of'

export interface TicketLinksTable {
  id: Generated<string>
  kind: LinkKind
  source_id: string
  target_id: string
  created_by: string | null
  created_at: CreatedAt
}

/** Links between tickets (migration 0150). */
export interface LinksTables {
  ticket_links: TicketLinksTable
}
