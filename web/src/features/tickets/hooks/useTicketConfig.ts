import { useQuery } from '@tanstack/react-query'
import { configApi } from '../api/config.api'

const long = { staleTime: 5 * 60_000, retry: false } as const

/** Types, categories, statuses, custom fields, agents and teams — loaded once, shared by every screen. */
export function useTicketConfig() {
  const types = useQuery({ queryKey: ['config', 'types'], queryFn: configApi.types, ...long })
  const categories = useQuery({ queryKey: ['config', 'categories'], queryFn: configApi.categories, ...long })
  const statuses = useQuery({ queryKey: ['config', 'statuses'], queryFn: configApi.statuses, ...long })
  const customFields = useQuery({ queryKey: ['config', 'customFields'], queryFn: configApi.customFields, ...long })
  return {
    types: types.data ?? [],
    categories: categories.data ?? [],
    statuses: statuses.data ?? [],
    customFields: customFields.data ?? [],
  }
}

/** Agents and teams (staff only). */
export function useStaffDirectory() {
  const agents = useQuery({ queryKey: ['config', 'agents'], queryFn: configApi.agents, ...long })
  const teams = useQuery({ queryKey: ['config', 'teams'], queryFn: configApi.teams, ...long })
  return { agents: agents.data ?? [], teams: teams.data ?? [] }
}
