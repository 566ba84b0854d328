import type { Category } from './api/config.api'

/** Categories a ticket may be filed in: active, under active parents only (a retired parent retires its subtree). */
export function usableCategories<C extends Category>(all: C[]): C[] {
  const byId = new Map(all.map((c) => [c.id, c]))
  const usable = (c: Category | undefined, depth = 0): boolean =>
    !!c && c.active !== false && (c.parentId === null || depth > 50 || usable(byId.get(c.parentId), depth + 1))
  return all.filter((c) => usable(c))
}
