import type { LinkKind } from './links.tables'

/**
 * How a link reads from one ticket: `parent` (the other ticket is my parent), `child`, `related`,
 * `duplicate_of` (I duplicate the other), `duplicated_by` (the other duplicates me). Stored once
 * per pair as source → target with a kind, so both tickets see the same row.
 */
export const LINK_TYPES = ['parent', 'child', 'related', 'duplicate_of', 'duplicated_by'] as const
export type LinkType = (typeof LINK_TYPES)[number]

export interface StoredLink { kind: LinkKind; sourceId: string; targetId: string }

/** The row to store for "`selfId` is <type> of … `otherId`". */
export function toStoredLink(type: LinkType, selfId: string, otherId: string): StoredLink {
  switch (type) {
    case 'parent': return { kind: 'parent_of', sourceId: otherId, targetId: selfId }
    case 'child': return { kind: 'parent_of', sourceId: selfId, targetId: otherId }
    case 'duplicate_of': return { kind: 'duplicate_of', sourceId: selfId, targetId: otherId }
    case 'duplicated_by': return { kind: 'duplicate_of', sourceId: otherId, targetId: selfId }
    case 'related': return { kind: 'related', sourceId: selfId, targetId: otherId }
  }
}

/** How a stored row reads from `selfId`'s side, and which ticket is the other one. */
export function linkFromSide(row: { kind: LinkKind; source_id: string; target_id: string }, selfId: string): { type: LinkType; otherId: string } {
  const outgoing = row.source_id === selfId
  const otherId = outgoing ? row.target_id : row.source_id
  switch (row.kind) {
    case 'parent_of': return { type: outgoing ? 'child' : 'parent', otherId }
    case 'duplicate_of': return { type: outgoing ? 'duplicate_of' : 'duplicated_by', otherId }
    case 'related': return { type: 'related', otherId }
  }
}
