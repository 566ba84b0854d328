import { useQuery } from '@tanstack/react-query'
import { configApi } from '../api/config.api'

const long = { staleTime: 5 * 60_000, retry: false } as const

/**
 * Types, categories, statuses, custom fields — loaded once, shared by every screen. `enabled: false`
 * holds the requests back (the inbox waits for its first page; cached data is still returned).
 */
export function useTicketConfig(enabled = true) {
  const types = useQuery({ queryKey: ['config', 'types'], queryFn: configApi.types, ...long, enabled })
  const categories = useQuery({ queryKey: ['config', 'categories'], queryFn: configApi.categories, ...long, enabled })
  const statuses = useQuery({ queryKey: ['config', 'statuses'], queryFn: configApi.statuses, ...long, enabled })
  const customFields = useQuery({ queryKey: ['config', 'customFields'], queryFn: configApi.customFields, ...long, enabled })
  return {
    types: types.data ?? [],
    categories: categories.data ?? [],
    statuses: statuses.data ?? [],
    customFields: customFields.data ?? [],
  }
}

/** Agents and teams (staff only). */
export function useStaffDirectory(enabled = true) {
  const agents = useQuery({ queryKey: ['config', 'agents'], queryFn: configApi.agents, ...long, enabled })
  const teams = useQuery({ queryKey: ['config', 'teams'], queryFn: configApi.teams, ...long, enabled })
  return { agents: agents.data ?? [], teams: teams.data ?? [] }
}
