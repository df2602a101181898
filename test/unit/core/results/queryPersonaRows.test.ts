import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildResultsView } from '../../../../src/core/results/buildResultsView';
import { queryPersonaRows } from '../../../../src/core/results/queryPersonaRows';
import { tinyInput } from './fixtures';

const rows = buildResultsView(tinyInput(), { resamples: 0 }).personas;
const ids = (ix: number[]) => ix.map((i) => rows[i].id);

test('sorts by delta both ways, nulls last', () => {
  assert.deepEqual(ids(queryPersonaRows(rows, { sortKey: 'delta', sortDir: 'desc' })), ['p1', 'p2', 'p3', 'p4']);
  assert.deepEqual(ids(queryPersonaRows(rows, { sortKey: 'delta', sortDir: 'asc' })), ['p4', 'p3', 'p1', 'p2']);
  assert.deepEqual(ids(queryPersonaRows(rows, { sortKey: 'soft:ar', sortDir: 'asc' })), ['p3', 'p4', 'p1', 'p2']);
  assert.deepEqual(ids(queryPersonaRows(rows, { sortKey: 'age', sortDir: 'desc' })), ['p2', 'p4', 'p1', 'p3']);
});

test('filters by field values, delta sign and a search string', () => {
  assert.deepEqual(ids(queryPersonaRows(rows, { filters: { sex: ['Male'] } })), ['p3', 'p4']);
  assert.deepEqual(ids(queryPersonaRows(rows, { deltaSign: 'gain' })), ['p1', 'p2']);
  assert.deepEqual(ids(queryPersonaRows(rows, { deltaSign: 'loss' })), ['p4']);
  assert.deepEqual(ids(queryPersonaRows(rows, { search: 'FEMALE' })), ['p1', 'p2']);
  assert.deepEqual(ids(queryPersonaRows(rows, { search: 'p3' })), ['p3']);
  assert.deepEqual(ids(queryPersonaRows(rows, { filters: { sex: [] }, search: '  ' })), ['p1', 'p2', 'p3', 'p4']);
});

test('10,000 rows: query returns indices without copying rows', () => {
  const many = Array.from({ length: 10000 }, (_, i) => ({ ...rows[i % 4], id: `x${i}`, delta: (i % 7) - 3 }));
  const out = queryPersonaRows(many, { sortKey: 'delta', sortDir: 'desc', deltaSign: 'gain' });
  assert.equal(out.length, many.filter((r) => r.delta > 0).length);
  assert.equal(out.length, 4284);
  assert.equal(many[out[0]].delta, 3);
});
