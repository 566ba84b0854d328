import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { prepareBody } from './message-body'

/** What the web composer (Tiptap) sends as bodyHtml, and what must never survive the allowlist. */
describe('prepareBody (comment HTML from the rich-text composer)', () => {
  it('keeps the formatting the composer produces', () => {
    const html = '<p><strong>Hola</strong> <em>Rosa</em> <s>no</s> <code>npm ci</code></p>'
      + '<ul><li><p>uno</p></li></ul><ol><li><p>dos</p></li></ol><blockquote><p>cita</p></blockquote>'
      + '<pre><code>ls -la</code></pre><p><a target="_blank" rel="noopener noreferrer nofollow" href="https://atiende.mx/ayuda">ayuda</a></p>'
      + '<p><span class="mention" data-mention-id="7f3c2a10-0000-4000-8000-000000000001">@Ana Agente</span></p>'
    const out = prepareBody({ html, text: 'Hola Rosa' })
    for (const kept of ['<strong>Hola</strong>', '<em>Rosa</em>', '<s>no</s>', '<code>npm ci</code>', '<ul><li><p>uno</p></li></ul>', '<ol>', '<blockquote><p>cita</p></blockquote>',
      '<pre><code>ls -la</code></pre>', 'href="https://atiende.mx/ayuda"', '<span class="mention" data-mention-id="7f3c2a10-0000-4000-8000-000000000001">@Ana Agente</span>']) {
      assert.ok(out.html.includes(kept), `${kept} in ${out.html}`)
    }
    assert.equal(out.text, 'Hola Rosa')
  })

  it('keeps inline images of our own attachments and drops remote, blob and script sources', () => {
    const out = prepareBody({
      html: '<p><img src="/api/v1/attachments/7f3c2a10-0000-4000-8000-000000000002" alt="captura.png">'
        + '<img src="https://tracker.example/x.gif"><img src="blob:http://localhost/abc"><img src="javascript:alert(1)"></p>',
    })
    assert.match(out.html, /<img src="\/api\/v1\/attachments\/7f3c2a10-0000-4000-8000-000000000002" alt="captura.png" \/>/)
    assert.doesNotMatch(out.html, /tracker|blob:|javascript/)
  })

  it('removes scripts, event handlers, styles, forms and dangerous links; derives text when none is given', () => {
    const out = prepareBody({
      html: '<p onclick="x()" style="color:red">Hola<script>alert(1)</script></p><form><input name="a"></form>'
        + '<a href="javascript:alert(1)">clic</a><span class="evil" data-x="1">y</span><iframe src="https://x"></iframe>',
    })
    assert.doesNotMatch(out.html, /script|onclick|style=|<form|<input|javascript:|evil|data-x|iframe/)
    assert.match(out.text, /Hola/)
  })

  it('keeps the lines of mail written as one <div> per line (Gmail), in the HTML and in the derived text', () => {
    const out = prepareBody({ html: '<div dir="ltr"><div>Nombre: Roberto Pérez</div><div>Línea: 33 9876 5432</div><div>NIP: 1234</div></div>' })
    assert.match(out.html, /<div>Nombre: Roberto Pérez<\/div><div>Línea: 33 9876 5432<\/div>/)
    assert.doesNotMatch(out.html, /dir=/)
    assert.equal(out.text, 'Nombre: Roberto Pérez\nLínea: 33 9876 5432\nNIP: 1234')
  })

  it('keeps the address of a remote image the email sanitiser blocked (data-src), only when it is http(s)', () => {
    const placeholder = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'
    const out = prepareBody({
      html: `<p><img src="${placeholder}" data-src="https://cdn.tienda.example/logo.png" alt="logo">`
        + `<img src="${placeholder}" data-src="javascript:alert(1)"><img src="${placeholder}" data-src="data:text/html,x"></p>`,
    })
    assert.match(out.html, /<img src="data:image\/gif;base64,[^"]+" alt="logo" data-src="https:\/\/cdn.tienda.example\/logo.png" \/>/)
    assert.doesNotMatch(out.html, /javascript|text\/html/)
    assert.equal((out.html.match(/data-src=/g) ?? []).length, 1)
  })
})
