// A secret is never echoed back in the editor: hovers and inlay hints show the redacted form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeHover } from '../../server/src/service/features/hover';
import { computeInlayHints } from '../../server/src/service/features/inlayHints';
import { analysisOf, dedent, parseFixture } from './fixture';

const SECRET = 'Kp9#vQ2!wLm4zR7s';

test('hover and inlay hints redact a detected plaintext password', () => {
  const f = parseFixture(dedent(`
    #- /chart/values.yaml
    auth:
      password: ""
    #- /chart/values-prod.yaml
    auth:
      password$0: "${SECRET}"
  `));
  const a = analysisOf(f.files);
  assert.ok(a.findings().some((x) => x.code === 'secret.password' && x.file === '/chart/values-prod.yaml'));
  const cursor = f.cursor;
  assert.ok(cursor);
  const hover = computeHover(a, cursor.file, cursor.offset, {});
  assert.ok(hover);
  assert.ok(!hover.markdown.includes(SECRET), hover.markdown);
  assert.match(hover.markdown, /K…s \(16 chars\)/);
  const base = f.files.get('/chart/values.yaml') ?? '';
  const hints = computeInlayHints(a, '/chart/values.yaml', 0, base.length, {});
  assert.ok(hints.length > 0);
  for (const h of hints) {
    assert.ok(!h.label.includes(SECRET), h.label);
    assert.ok(!(h.tooltip ?? '').includes(SECRET), h.tooltip);
  }
});
