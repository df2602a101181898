import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePreviewFromWebview } from '../../../../src/shared/protocol';

test('parsePreviewFromWebview accepts the preview messages and normalises them', () => {
  assert.deepEqual(parsePreviewFromWebview({ type: 'preview/select', selection: { personaId: 'egypt-0007', variant: 2, extra: 'dropped' } }),
    { type: 'preview/select', selection: { personaId: 'egypt-0007', questionId: undefined, variant: 2, modelId: undefined } });
  assert.deepEqual(parsePreviewFromWebview({ type: 'preview/openSource', file: 'prompts/persona.ar.hbs', line: 6, column: 3 }),
    { type: 'preview/openSource', file: 'prompts/persona.ar.hbs', line: 6, column: 3 });
  assert.deepEqual(parsePreviewFromWebview({ type: 'preview/painted', version: 4, at: 1700000000000 }), { type: 'preview/painted', version: 4, at: 1700000000000 });
  assert.deepEqual(parsePreviewFromWebview({ type: 'preview/runForPersona', junk: 1 }), { type: 'preview/runForPersona' });
});

test('parsePreviewFromWebview rejects malformed or unknown messages', () => {
  for (const bad of [
    null, 'preview/select', [], { type: 'preview/unknown' },
    { type: 'preview/select' }, { type: 'preview/select', selection: { personaId: 7 } }, { type: 'preview/select', selection: { variant: -1 } },
    { type: 'preview/select', selection: { variant: 1.5 } }, { type: 'preview/select', selection: { questionId: 'x'.repeat(600) } },
    { type: 'preview/openSource', file: 'a.hbs', line: 0, column: 1 }, { type: 'preview/openSource', file: 3, line: 1, column: 1 },
    { type: 'preview/painted', version: '4', at: 1 },
  ]) assert.equal(parsePreviewFromWebview(bad), undefined, JSON.stringify(bad));
});
