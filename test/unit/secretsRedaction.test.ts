// A secret is never echoed back in the editor: hovers and inlay hints show the redacted form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeHover } from '../../server/src/service/features/hover';
import { computeInlayHints } from '../../server/src/service/features/inlayHints';
import { computeCodeActions } from '../../server/src/service/features/codeActions';
import { analysisAtCursor, analysisOf, dedent, parseFixture } from './fixture';

const SECRET = 'Kp9#vQ2!wLm4zR7s';

test('hover and inlay hints redact a detected plaintext password', () => {
  const { analysis: a, files, file, offset } = analysisAtCursor(dedent(`
    #- /chart/values.yaml
    auth:
      password: ""
    #- /chart/values-prod.yaml
    auth:
      password$0: "${SECRET}"
  `));
  assert.ok(a.findings().some((x) => x.code === 'secret.password' && x.file === '/chart/values-prod.yaml'));
  const hover = computeHover(a, file, offset, {});
  assert.ok(hover);
  assert.ok(!hover.markdown.includes(SECRET), hover.markdown);
  assert.match(hover.markdown, /K…s \(16 chars\)/);
  const base = files.get('/chart/values.yaml') ?? '';
  const hints = computeInlayHints(a, '/chart/values.yaml', 0, base.length, {});
  assert.ok(hints.length > 0);
  for (const h of hints) {
    assert.ok(!h.label.includes(SECRET), h.label);
    assert.ok(!(h.tooltip ?? '').includes(SECRET), h.tooltip);
  }
});

test('the existingSecret fix reuses the Secret the chart defaults already name', () => {
  const f = parseFixture(dedent(`
    #- /chart/values.yaml
    auth:
      existingSecret: webapp-redis
      password: ""
    #- /chart/values-prod.yaml
    auth:
      password: "${SECRET}"
  `));
  const a = analysisOf(f.files);
  const text = f.files.get('/chart/values-prod.yaml') ?? '';
  const fix = computeCodeActions(a, '/chart/values-prod.yaml', 0, text.length).find((x) => x.title.startsWith('Use auth.existingSecret'));
  assert.ok(fix, 'no existingSecret fix');
  assert.match(fix.title, /webapp-redis/);
  const edited = [...fix.edits].sort((x, y) => y.start - x.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
  assert.ok(!edited.includes(SECRET));
  assert.ok(!edited.includes('existingSecret'), edited);
});
