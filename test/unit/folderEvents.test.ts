// Which deleted paths the VS Code client passes on to the server as folders (client/src/folderEvents.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heldKnownPath } from '../../client/src/folderEvents';

const known = ['/ws/argocd/prod.yaml', '/ws/webapp/values.yaml', '/ws/made'];

test('a deleted folder that held a known file, or was a known folder, is passed on', () => {
  assert.equal(heldKnownPath('/ws/argocd', known), true);
  assert.equal(heldKnownPath('/ws', known), true);
  assert.equal(heldKnownPath('/ws/made', known), true);
  assert.equal(heldKnownPath('/ws/argocd/', known), true);
});

test('any other deleted path is not: a file the globs did not match, a folder of nothing known, a name that only starts alike', () => {
  assert.equal(heldKnownPath('/ws/README.md', known), false);
  assert.equal(heldKnownPath('/ws/docs', known), false);
  assert.equal(heldKnownPath('/ws/argo', known), false);
  assert.equal(heldKnownPath('/ws/argocd/prod', known), false);
  assert.equal(heldKnownPath('/ws/argocd', []), false);
});
