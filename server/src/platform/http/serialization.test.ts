import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Type } from 'typebox'
import { serializerCompiler, serializerSchema } from './serialization'

const Instant = Type.Union([Type.String({ description: 'ISO-8601' }), Type.Null()])
const Target = Type.Object({
  state: Type.Union(['running', 'met'].map((s) => Type.Literal(s))),
  dueAt: Instant,
  minutes: Type.Integer(),
})
const Item = Type.Object({
  id: Type.String(),
  priority: Type.Enum(['urgent', 'low']),
  target: Type.Optional(Type.Union([Target, Type.Null()])),
  either: Type.Union([Type.String(), Type.Integer()]),
})

describe('response serialization', () => {
  it('writes "X or null" as nullable X and a union of string constants as a string enum', () => {
    assert.deepEqual(serializerSchema(Instant), { type: 'string', description: 'ISO-8601', nullable: true })
    const item = serializerSchema(Item) as { properties: Record<string, Record<string, unknown>> }
    assert.deepEqual(item.properties.priority, { enum: ['urgent', 'low'], type: 'string' })
    const target = item.properties.target as { type: string; nullable: boolean; properties: Record<string, unknown> }
    assert.equal(target.type, 'object')
    assert.equal(target.nullable, true)
    assert.deepEqual(target.properties.state, { type: 'string', enum: ['running', 'met'] })
    assert.deepEqual(item.properties.either, { anyOf: [{ type: 'string' }, { type: 'integer' }] }, 'other unions stay unions')
  })

  it('serializes what JSON.stringify would, nulls included', () => {
    const serialize = serializerCompiler({ schema: Type.Array(Item), method: 'GET', url: '/x', httpStatus: '200' }) as (data: unknown) => string
    const data = [
      { id: 'a', priority: 'urgent', target: { state: 'running', dueAt: '2026-12-07T09:30:00-06:00', minutes: 90 }, either: 'x' },
      { id: 'b', priority: 'low', target: { state: 'met', dueAt: null, minutes: 0 }, either: 3 },
      { id: 'c', priority: 'low', target: null, either: 'y' },
      { id: 'd', priority: 'low', either: 4 },
    ]
    assert.deepEqual(JSON.parse(serialize(data)), data)
  })
})
