import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BLOCKED_IMAGE_PLACEHOLDER, sanitizeEmailHtml } from './sanitize'

const clean = sanitizeEmailHtml

describe('sanitizeEmailHtml with hostile HTML', () => {
  it('drops scripts with their content, and event handlers', () => {
    const out = clean('<p onclick="steal()" onmouseover=x>Hola</p><script>alert(1)</script><SCRIPT SRC=//x.js></SCRIPT><body onload=alert(1)>')
    assert.equal(out, '<p>Hola</p>')
  })

  it('drops forms, inputs, iframes, objects, embeds, base, meta and link tags', () => {
    const out = clean(
      '<form action="https://evil.example"><input name="pwd"><button>Enviar</button></form>' +
        '<iframe src="https://evil.example"></iframe><object data="x.swf"></object><embed src="x.swf">' +
        '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example"><link rel="stylesheet" href="https://evil.example/a.css">',
    )
    assert.doesNotMatch(out, /<(form|input|button|iframe|object|embed|base|meta|link)\b/i)
    assert.doesNotMatch(out, /evil\.example/)
  })

  it('removes javascript:, vbscript: and data: links, also obfuscated ones', () => {
    for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java&#x09;script:alert(1)', 'vbscript:x', 'data:text/html;base64,PHNjcmlwdD4=']) {
      const out = clean(`<a href="${href}">x</a>`)
      assert.doesNotMatch(out, /href/, href)
    }
  })

  it('keeps http(s), mailto and tel links and opens them safely in a new tab', () => {
    assert.equal(
      clean('<a href="https://ejemplo.mx/a?b=1&amp;c=2">manual</a>'),
      '<a href="https://ejemplo.mx/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow">manual</a>',
    )
    assert.match(clean('<a href="mailto:a@b.mx">a</a><a href="tel:+525512345678">t</a>'), /mailto:a@b\.mx.*tel:\+525512345678/)
  })

  it('removes styles that load or compute anything and keeps harmless ones', () => {
    const out = clean(
      '<p style="color: red; background-image: url(https://t.example/x.png); width: expression(alert(1)); background: url(javascript:alert(1)); position: fixed; font-weight: bold">x</p>',
    )
    assert.equal(out, '<p style="color:red;font-weight:bold">x</p>')
    assert.equal(clean('<div style="color: u\\72l(x)">x</div>'), '<div>x</div>')
    assert.equal(clean('<div style="color: url/**/(x)">x</div>'), '<div>x</div>')
  })

  it('filters a style the same way every time it repeats, keeping the attributes in order', () => {
    const hostile = 'color: #1F497D; background: url(https://t.example/p.gif); COLOR: red; font-size: 11pt !important'
    const paragraph = `<p align="left" style="${hostile}" dir="ltr">línea</p>`
    const want = '<p align="left" style="color:#1F497D;font-size:11pt !important" dir="ltr">línea</p>'
    assert.equal(clean(paragraph.repeat(3)), want.repeat(3))
    // Only the first rule counts: a style cannot close its block and open another.
    assert.equal(clean('<p style="color: red} p {background: url(https://t.example/x)">x</p>'), '<p style="color:red">x</p>')
    assert.equal(clean('<p style="}{">x</p><p style="   ">y</p>'), '<p>x</p><p>y</p>')
  })

  it('drops <style> blocks and their rules', () => {
    assert.equal(clean('<style>body{background:url(https://t.example/bg)}</style><p>hola</p>'), '<p>hola</p>')
  })

  it('parks remote images in data-src behind a placeholder and drops srcset', () => {
    const out = clean('<img src="https://tracker.example/open.gif?u=1" srcset="https://t.example/a 2x" alt="logo" data-src="javascript:alert(1)">')
    assert.equal(out, `<img alt="logo" src="${BLOCKED_IMAGE_PLACEHOLDER}" data-src="https://tracker.example/open.gif?u=1" />`)
  })

  it('keeps cid: and inline raster data: images, drops protocol-relative and SVG data images', () => {
    assert.equal(clean('<img src="cid:image001.png@01DA">'), '<img src="cid:image001.png@01DA" />')
    const png = 'data:image/png;base64,iVBORw0KGgo='
    assert.equal(clean(`<img src="${png}">`), `<img src="${png}" />`)
    assert.equal(clean('<img src="//tracker.example/x.gif">'), '<img />')
    assert.equal(clean('<img src="data:image/svg+xml;base64,PHN2Zz4=">'), '<img />')
  })

  it('drops legacy attributes that fetch (background=) and classes/ids that could clash with the app', () => {
    assert.equal(clean('<table background="https://t.example/bg.png" class="x" id="y"><tr><td background="https://t.example/c.png">a</td></tr></table>'), '<table><tr><td>a</td></tr></table>')
  })

  it('drops svg and math elements (script vectors) but keeps tables and text formatting', () => {
    assert.equal(clean('<svg><script>alert(1)</script></svg><b>negrita</b>'), '<b>negrita</b>')
    assert.match(clean('<table border="1"><tr><th colspan="2">a</th></tr></table>'), /<th colspan="2">a<\/th>/)
  })
})
