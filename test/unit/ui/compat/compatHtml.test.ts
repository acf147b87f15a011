import * as assert from 'node:assert/strict';
import { buildCompatHtml, escapeHtml, type CompatHtmlParts } from '../../../../src/ui/compat/compatHtml';
import { createNonce } from '../../../../src/ui/compat/nonce';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const ROOT = 'https://file+.vscode-resource.vscode-cdn.net/ext/media/compat';

function parts(overrides: Partial<CompatHtmlParts> = {}): CompatHtmlParts {
  return {
    cspSource: CSP_SOURCE,
    nonce: createNonce(),
    scriptUri: `${ROOT}/dist/main.js`,
    styleUri: `${ROOT}/style.css`,
    lang: 'en',
    title: 'Restore Compatibility',
    loadingText: 'Looking for devices…',
    ...overrides,
  };
}

/** The Content-Security-Policy meta tag's policy, parsed into directive → sources. */
function cspOf(html: string): Map<string, string[]> {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'the page has a CSP meta tag');
  return new Map(
    match[1].split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
      const [name, ...sources] = d.split(/\s+/);
      return [name, sources] as const;
    }),
  );
}

/** The HTML with the webview's own resource origin removed: what is left must not point anywhere. */
const withoutWebviewOrigin = (html: string): string => html.split(CSP_SOURCE).join('');

describe('ui/compat: panel HTML', () => {
  it('sets a CSP that denies everything by default and lets only the nonce\'d script run', () => {
    const p = parts();
    const csp = cspOf(buildCompatHtml(p));
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('script-src'), [`'nonce-${p.nonce}'`]);
    assert.deepEqual(csp.get('style-src'), [CSP_SOURCE, `'nonce-${p.nonce}'`]);
    assert.deepEqual(csp.get('font-src'), [CSP_SOURCE]);
    assert.deepEqual(csp.get('img-src'), [CSP_SOURCE]);
    for (const sources of csp.values()) {
      assert.ok(!sources.includes("'unsafe-inline'") && !sources.includes("'unsafe-eval'") && !sources.includes('https:') && !sources.includes('*'));
    }
  });

  it('gives every script tag the nonce and has no inline script', () => {
    const p = parts();
    const html = buildCompatHtml(p);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    for (const tag of scripts) {
      assert.ok(tag.includes(`nonce="${p.nonce}"`), tag);
      assert.match(tag, /\ssrc="/, 'scripts are files, not inline code');
    }
    assert.doesNotMatch(html, /<script\b[^>]*>[^<]+<\/script>/);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  });

  it('loads nothing remote: no http(s) URL other than the webview\'s own resource origin', () => {
    const html = withoutWebviewOrigin(buildCompatHtml(parts()));
    assert.doesNotMatch(html, /https?:\/\//i);
    assert.doesNotMatch(html, /\/\/[a-z0-9.-]+\.[a-z]{2,}/i, 'no protocol-relative URLs');
  });

  it('loads the page script and the style sheet from the given webview URIs, and sets the language', () => {
    const html = buildCompatHtml(parts({ lang: 'ja' }));
    assert.ok(html.includes(`src="${ROOT}/dist/main.js"`));
    assert.ok(html.includes(`<link rel="stylesheet" href="${ROOT}/style.css"`));
    assert.match(html, /<html lang="ja">/);
    assert.match(html, /<main id="app" aria-busy="true">/);
    assert.match(html, /role="status" aria-live="polite"/);
  });

  it('escapes the texts it embeds', () => {
    const html = buildCompatHtml(parts({ title: '<img src=x onerror=alert(1)>', loadingText: '"&' }));
    assert.ok(html.includes('<title>&lt;img src=x onerror=alert(1)&gt;</title>'));
    assert.ok(html.includes('&quot;&amp;'));
    assert.equal(escapeHtml(`<a href='x'>&</a>`), '&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('uses a fresh 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, () => createNonce()));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) {
      assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
      assert.equal(Buffer.from(nonce, 'base64').length, 16);
    }
    const a = buildCompatHtml(parts());
    const b = buildCompatHtml(parts());
    assert.notEqual(cspOf(a).get('script-src')?.[0], cspOf(b).get('script-src')?.[0]);
  });
});
