// The README ships in the extension package: `vsce package` refuses relative links when package.json names no
// repository (it could not rewrite them), so the README links only to web pages and to its own headings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

test('README links are web addresses or anchors (vsce packages it)', () => {
  const text = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const anchors = new Set(
    [...text.matchAll(/^#+ (.+)$/gm)].map((m) => (m[1] ?? '').toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')),
  );
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '');
  assert.ok(links.length > 0, 'the README has links');
  for (const link of links) {
    if (/^https?:\/\//.test(link)) continue;
    assert.ok(link.startsWith('#'), `${link}: a relative link breaks \`vsce package\`; write the path as code or link a web page`);
    assert.ok(anchors.has(link.slice(1)), `${link}: no such heading in the README`);
  }
});
