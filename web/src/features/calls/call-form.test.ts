import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import type { Category, CustomField } from '../tickets/api/config.api'
import { callFieldValues } from './call-form'
import { usableCategories } from '../tickets/categories'

const field = (key: string, over: Partial<CustomField> = {}): CustomField => ({ id: key, key, kind: 'long_text', labelEs: key, labelEn: key, ...over })

describe('call screen form values', () => {
  it('puts the "steps tried" box in the type\'s own steps field, so a required one counts as given', () => {
    const typeFields = [field('pasos_realizados', { required: true }), field('modelo', { kind: 'text' })]
    assert.deepEqual(callFieldValues(typeFields, { modelo: 'X1' }, '  Reinició el módem  '), { modelo: 'X1', pasos_realizados: 'Reinició el módem' })
    assert.deepEqual(callFieldValues(typeFields, {}, '   '), {}, 'an empty box gives nothing')
  })

  it('sends no steps field, nor values of another type\'s fields, when the chosen type does not have them', () => {
    const typeFields = [field('modelo', { kind: 'text' })]
    assert.deepEqual(callFieldValues(typeFields, { modelo: 'X1', numero_portar: '5512345678' }, 'Reinició el módem'), { modelo: 'X1' })
  })

  it('offers only categories under active parents', () => {
    const cat = (id: string, parentId: string | null, active = true): Category => ({ id, parentId, name: id, active })
    const all = [cat('servicios', null, false), cat('internet', 'servicios'), cat('fibra', 'internet'), cat('ventas', null), cat('planes', 'ventas')]
    assert.deepEqual(usableCategories(all).map((c) => c.id), ['ventas', 'planes'])
  })
})
