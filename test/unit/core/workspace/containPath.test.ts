import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../../../src/core/errors';
import { checkContained, containedPath, isWithin, realPathOf } from '../../../../src/core/workspace/containPath';
import { createTemplateRenderer } from '../../../../src/core/run/createTemplateRenderer';
import { openExperiment } from '../../../../src/core/run/openExperiment';
import { tempDir } from '../run/helpers';
import { makeRunWorkspace } from '../run/runWorkspace';

test('containedPath: inside the workspace (also not yet existing files) is fine; ../, absolute paths and links out are located errors', () => {
  const root = tempDir('as-root-');
  const outside = tempDir('as-out-');
  fs.mkdirSync(path.join(root, 'prompts'));
  fs.writeFileSync(path.join(root, 'prompts/a.hbs'), 'x');
  fs.writeFileSync(path.join(outside, 'secret'), 'x');
  const src = { file: path.join(root, 'e.experiment.json'), field: 'template', line: 7, column: 19 };
  assert.equal(containedPath(root, root, 'prompts/a.hbs', src), path.join(root, 'prompts/a.hbs'));
  assert.equal(containedPath(root, path.join(root, 'prompts'), '../new/file.hbs', src), path.join(root, 'new/file.hbs'));
  fs.symlinkSync(path.join(root, 'prompts/a.hbs'), path.join(root, 'inner-link.hbs'));
  assert.equal(containedPath(root, root, 'inner-link.hbs', src), path.join(root, 'inner-link.hbs'), 'a link that stays inside is fine');
  fs.symlinkSync(outside, path.join(root, 'out-dir'));
  fs.symlinkSync(path.join(outside, 'nothing-yet'), path.join(root, 'dangling'));
  for (const bad of [path.relative(root, path.join(outside, 'secret')), path.join(outside, 'secret'), 'out-dir/secret', 'out-dir/not-yet', 'dangling', '/etc/passwd', '../../../../../../etc/passwd']) {
    assert.throws(() => containedPath(root, root, bad, src), (e: unknown) => e instanceof InputError && e.field === 'template' && e.location.line === 7 && e.location.column === 19 && /outside the workspace/.test(e.message), bad);
  }
  assert.throws(() => checkContained(path.join(root, 'prompts'), root, src), InputError, 'the parent of the root is outside it');
});

test('realPathOf and isWithin', () => {
  const root = tempDir('as-root-');
  assert.equal(realPathOf(path.join(root, 'a/b/c')), path.join(fs.realpathSync(root), 'a/b/c'));
  assert.ok(isWithin('/w', '/w') && isWithin('/w', '/w/x') && !isWithin('/w', '/wx') && !isWithin('/w', '/') && !isWithin('/w/x', '/w'));
});

test('openExperiment with a workspace root: the experiment file itself and what it names must be inside it', async () => {
  const ws = await makeRunWorkspace(['Q19'], 1);
  const opened = await openExperiment(ws.experimentFile, createTemplateRenderer, [], { root: ws.dir });
  assert.equal(opened.root, ws.dir);
  const elsewhere = tempDir('as-else-');
  fs.copyFileSync(ws.experimentFile, path.join(elsewhere, 'x.experiment.json'));
  fs.symlinkSync(path.join(elsewhere, 'x.experiment.json'), path.join(ws.dir, 'linked.experiment.json'));
  await assert.rejects(openExperiment(path.join(ws.dir, 'linked.experiment.json'), createTemplateRenderer, [], { root: ws.dir }), (e: unknown) => e instanceof InputError && e.field === 'experiment');
  // A replay model's folder is checked before the run starts (e.g. by --dry-run).
  const file = ws.write({ models: [{ id: 'gpt35-recorded', kind: 'replay', completions: elsewhere }] }, 'far.experiment.json');
  await assert.rejects(openExperiment(file, createTemplateRenderer), (e: unknown) => e instanceof InputError && e.field === 'completions' && e.location.line > 1);
});
