import { useTranslation } from 'react-i18next'
import { Button } from '../../../ui/Button'
import { SelectField } from '../../../ui/Field'
import { useStaffDirectory } from '../../tickets/hooks/useTicketConfig'
import type { EscalationAction, EscalationRecipient, EscalationRule, EscalationTrigger, SlaTargetName } from '../api/sla.api'

export const ESCALATION_TARGETS: SlaTargetName[] = ['firstResponse', 'nextResponse', 'resolution']
const RECIPIENTS: EscalationRecipient[] = ['assignee', 'team_lead', 'supervisors']
const LEVELS = [1, 2, 3]

/** One escalation as the editor shows it: when, for which targets, and each kind of action at most once. */
export interface EscalationDraft {
  on: EscalationTrigger; targets: SlaTargetName[]; notify: EscalationRecipient[]; raisePriority: boolean; teamId: string; level: string
}

/** Stored rules → drafts (several notify actions merge; the first move is kept). */
export function toDrafts(rules: EscalationRule[] | undefined): EscalationDraft[] {
  return (rules ?? []).map((r) => {
    const move = r.actions.find((a): a is Extract<EscalationAction, { type: 'move' }> => a.type === 'move')
    return {
      on: r.on, targets: r.targets ?? [],
      notify: [...new Set(r.actions.flatMap((a) => (a.type === 'notify' ? a.recipients : [])))],
      raisePriority: r.actions.some((a) => a.type === 'raise_priority'),
      teamId: move?.teamId ?? '', level: move?.level ? String(move.level) : '',
    }
  })
}

/** Drafts → rules for the API; an empty target list means every target. */
export function toRules(drafts: EscalationDraft[]): EscalationRule[] {
  return drafts.map((d) => {
    const actions: EscalationAction[] = []
    if (d.notify.length) actions.push({ type: 'notify', recipients: d.notify })
    if (d.raisePriority) actions.push({ type: 'raise_priority' })
    if (d.teamId || d.level) actions.push({ type: 'move', ...(d.teamId ? { teamId: d.teamId } : {}), ...(d.level ? { level: Number(d.level) } : {}) })
    return { on: d.on, ...(d.targets.length ? { targets: d.targets } : {}), actions }
  })
}

function toggle<T>(list: T[], value: T, on: boolean): T[] {
  return on ? [...list, value] : list.filter((x) => x !== value)
}

/**
 * "Escalamientos" of a policy: at warning ("por vencer") or at breach, notify the assignee, the
 * team lead and/or the supervisors (by email), raise the priority one step, move to a team or level.
 */
export function SlaEscalationsEditor({ value, onChange }: { value: EscalationDraft[]; onChange: (v: EscalationDraft[]) => void }) {
  const { t } = useTranslation()
  const { teams } = useStaffDirectory()
  const set = (i: number, patch: Partial<EscalationDraft>) => onChange(value.map((d, j) => (j === i ? { ...d, ...patch } : d)))
  const add = (on: EscalationTrigger) => onChange([...value, { on, targets: [], notify: ['assignee'], raisePriority: false, teamId: '', level: '' }])
  return (
    <section className="stack" aria-labelledby="esc-h">
      <h3 id="esc-h">{t('sla.escalations.title')}</h3>
      <p className="muted small" style={{ margin: 0 }}>{t('sla.escalations.hint')}</p>
      {value.length === 0 ? <p className="muted small" style={{ margin: 0 }}>{t('sla.escalations.none')}</p> : null}
      {value.map((d, i) => {
        const name = t('sla.escalations.ruleName', { n: i + 1 })
        return (
          <fieldset key={i} className="stack card" data-escalation={i} style={{ margin: 0 }}>
            <legend style={{ fontWeight: 700 }}>{name}</legend>
            <div className="filters" style={{ padding: 0, margin: 0 }}>
              <SelectField label={t('sla.escalations.when')} value={d.on} onChange={(e) => set(i, { on: e.target.value as EscalationTrigger })}>
                <option value="warning">{t('sla.escalations.on.warning')}</option>
                <option value="breach">{t('sla.escalations.on.breach')}</option>
              </SelectField>
            </div>
            <fieldset className="field" style={{ border: 'none', padding: 0, margin: 0 }}>
              <legend style={{ fontWeight: 600, fontSize: '.9rem' }}>{t('sla.escalations.targets')}</legend>
              <div className="row">
                {ESCALATION_TARGETS.map((k) => (
                  <label key={k} className="inline-label"><input type="checkbox" checked={d.targets.includes(k)} onChange={(e) => set(i, { targets: toggle(d.targets, k, e.target.checked) })} />{t(`sla.target.${k}`)}</label>
                ))}
              </div>
              <span className="muted small">{t('sla.escalations.targetsHint')}</span>
            </fieldset>
            <fieldset className="field" style={{ border: 'none', padding: 0, margin: 0 }}>
              <legend style={{ fontWeight: 600, fontSize: '.9rem' }}>{t('sla.escalations.notify')}</legend>
              <div className="row">
                {RECIPIENTS.map((r) => (
                  <label key={r} className="inline-label"><input type="checkbox" checked={d.notify.includes(r)} onChange={(e) => set(i, { notify: toggle(d.notify, r, e.target.checked) })} />{t(`sla.escalations.recipients.${r}`)}</label>
                ))}
              </div>
            </fieldset>
            <label className="inline-label"><input type="checkbox" checked={d.raisePriority} onChange={(e) => set(i, { raisePriority: e.target.checked })} />{t('sla.escalations.raisePriority')}</label>
            <div className="filters" style={{ padding: 0, margin: 0 }}>
              <SelectField label={t('sla.escalations.moveTeam')} value={d.teamId} onChange={(e) => set(i, { teamId: e.target.value })}>
                <option value="">{t('sla.escalations.noMove')}</option>
                {teams.map((team) => <option key={team.id} value={team.id}>{team.name}</option>)}
              </SelectField>
              <SelectField label={t('sla.escalations.moveLevel')} value={d.level} onChange={(e) => set(i, { level: e.target.value })}>
                <option value="">{t('sla.escalations.noMove')}</option>
                {LEVELS.map((l) => <option key={l} value={String(l)}>{t('sla.escalations.level', { level: l })}</option>)}
              </SelectField>
            </div>
            <div><Button size="sm" variant="danger" aria-label={t('sla.escalations.removeNamed', { name })} onClick={() => onChange(value.filter((_, j) => j !== i))}>{t('common.delete')}</Button></div>
          </fieldset>
        )
      })}
      <div className="row">
        <Button size="sm" onClick={() => add('warning')}>{t('sla.escalations.addWarning')}</Button>
        <Button size="sm" onClick={() => add('breach')}>{t('sla.escalations.addBreach')}</Button>
      </div>
    </section>
  )
}
