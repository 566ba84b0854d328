import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { TemplateError, chunksToHtml, chunksToText, parseTemplate, renderChunks, templateVariables, trustedHtml } from './template-language'

const text = (source: string, context = {}) => chunksToText(renderChunks(parseTemplate(source), context))
const html = (source: string, context = {}) => chunksToHtml(renderChunks(parseTemplate(source), context))

describe('template language', () => {
  it('substitutes dotted paths and renders missing values as nothing', () => {
    assert.equal(text('Ticket #{{ ticket.number }} de {{recipient.name}}{{nada.aqui}}', { ticket: { number: 11768 }, recipient: { name: 'Ana' } }), 'Ticket #11768 de Ana')
  })

  it('escapes values in HTML by default, never in text', () => {
    const context = { ticket: { subject: '<script>alert("x")</script> & más' } }
    assert.equal(html('Asunto: {{ticket.subject}}', context), '<p>Asunto: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; más</p>')
    assert.equal(text('{{ticket.subject}}', context), '<script>alert("x")</script> & más')
  })

  it('lets only trustedHtml values through unescaped, with their text twin in the text version', () => {
    const context = { comment: { body: trustedHtml('<p><b>Listo</b></p>', 'Listo') } }
    assert.equal(html('Hola\n\n{{comment.body}}\n\nAdiós', context), '<p>Hola</p>\n<div><p><b>Listo</b></p></div>\n<p>Adiós</p>')
    assert.equal(text('{{comment.body}}', context), 'Listo')
  })

  it('makes paragraphs, line breaks and links in HTML', () => {
    assert.equal(html('a\nb\n\nVer https://x.mx/t/1?a=1&b=2.'), '<p>a<br>\nb</p>\n<p>Ver <a href="https://x.mx/t/1?a=1&amp;b=2">https://x.mx/t/1?a=1&amp;b=2</a>.</p>')
  })

  it('supports {{#if}} with {{else}}, nested, and treats empty values as false', () => {
    const source = '{{#if a}}A{{#if b}}B{{else}}noB{{/if}}{{else}}noA{{/if}}'
    assert.equal(text(source, { a: 'x', b: '' }), 'AnoB')
    assert.equal(text(source, { a: 'x', b: 1 }), 'AB')
    assert.equal(text(source, {}), 'noA')
    assert.equal(text('{{#if c}}C{{/if}}', { c: trustedHtml('', '') }), '')
  })

  it('words singular and plural with {{#one}}: exactly 1 takes the first section', () => {
    const source = 'se cerrará en {{n}} {{#one n}}día{{else}}días{{/one}}'
    assert.equal(text(source, { n: 1 }), 'se cerrará en 1 día')
    assert.equal(text(source, { n: '1' }), 'se cerrará en 1 día')
    for (const n of [0, 2, 7, 1.5, true, '', null]) assert.equal(text('{{#one n}}día{{else}}días{{/one}}', { n }), 'días', String(n))
    assert.equal(text('{{#if a}}{{#one n}}uno{{/one}}{{/if}}', { a: 'x', n: 1 }), 'uno')
  })

  it('does not reach into prototypes or objects', () => {
    assert.equal(text('{{constructor}}{{ticket.constructor.name}}{{ticket}}', { ticket: { number: 1 } }), '')
  })

  it('rejects anything that is not a value or an if', () => {
    for (const [source, code] of [
      ['{{ticket.number', 'unclosed_tag'],
      ['{{#if a}}x', 'unclosed_if'],
      ['{{/if}}', 'unexpected_tag'],
      ['{{else}}', 'unexpected_tag'],
      ['{{#if a}}{{else}}{{else}}{{/if}}', 'unexpected_tag'],
      ['{{#one a}}x{{/if}}', 'unexpected_tag'],
      ['{{#if a}}x{{/one}}', 'unexpected_tag'],
      ['{{ process.exit() }}', 'bad_expression'],
      ['{{#each items}}', 'bad_expression'],
      ['{{{raw}}}', 'bad_expression'],
    ] as const) {
      assert.throws(() => parseTemplate(source), (e: unknown) => e instanceof TemplateError && e.code === code, source)
    }
  })

  it('lists the variables a template uses', () => {
    assert.deepEqual(templateVariables(parseTemplate('{{a.b}} {{#if c}}{{d}}{{else}}{{e}}{{/if}}')), ['a.b', 'c', 'd', 'e'])
    assert.deepEqual(templateVariables(parseTemplate('{{#one n}}día{{else}}días{{/one}}')), ['n'])
  })
})
