/** A fieldset of checkboxes, one per value, for picking several; `label` names each value. */
export function CheckboxGroup<T extends string>({ legend, hint, values, selected, label, onChange }: {
  legend: string; hint?: string; values: readonly T[]; selected: T[]; label: (v: T) => string; onChange: (v: T[]) => void
}) {
  return (
    <fieldset className="field" style={{ border: 'none', padding: 0, margin: 0 }}>
      <legend style={{ fontWeight: 600, fontSize: '.9rem' }}>{legend}</legend>
      {hint ? <p className="field-hint" style={{ margin: 0 }}>{hint}</p> : null}
      <div className="row">
        {values.map((v) => (
          <label key={v} className="inline-label"><input type="checkbox" checked={selected.includes(v)} onChange={(e) => onChange(e.target.checked ? [...selected, v] : selected.filter((x) => x !== v))} />{label(v)}</label>
        ))}
      </div>
    </fieldset>
  )
}
