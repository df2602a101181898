import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildResultsView } from '../../../../src/core/results/buildResultsView';
import { resultsTables, tableToCsv, tableToJson } from '../../../../src/core/results/resultsTables';
import { renderHtmlReport } from '../../../../src/core/results/renderHtmlReport';
import { tinyInput } from './fixtures';

const view = buildResultsView(tinyInput(), { resamples: 200 });

test('every panel table is exported with stable columns', () => {
  const tables = resultsTables(view);
  assert.deepEqual(tables.map((t) => t.name), ['overview', 'headline', 'groups', 'personas']);
  const personas = tables.find((t) => t.name === 'personas')!;
  assert.deepEqual(personas.columns, ['persona', 'region', 'sex', 'age', 'marital_status', 'education', 'social_class', 'age_years', 'soft:en', 'soft:ar', 'delta:ar-en', 'paired_items']);
  assert.deepEqual(personas.rows[3], ['p4', 'EG-C: Cairo', 'Male', '30–44', 'Married', 'Middle', 'Working class', 40, 1, 0.5, -0.5, 2]);
  const groups = tables.find((t) => t.name === 'groups')!;
  const femaleDelta = groups.rows.find((r) => r[0] === 'sex' && r[1] === 'Female' && r[3] === 'delta:ar-en')!;
  assert.equal(femaleDelta[4], 0.25);
  for (const t of tables) for (const r of t.rows) assert.equal(r.length, t.columns.length, `${t.name} row width`);
});

test('CSV quotes commas/quotes/newlines and defuses spreadsheet formulas; JSON is keyed by column', () => {
  const csv = tableToCsv({ name: 't', columns: ['a', 'b'], rows: [['x,y', 'say "hi"'], ['=HYPERLINK("x")', -1], [null, 'ل\nم']] });
  assert.equal(csv, 'a,b\r\n"x,y","say ""hi"""\r\n"\'=HYPERLINK(""x"")",-1\r\n,"ل\nم"\r\n');
  assert.deepEqual(JSON.parse(tableToJson({ name: 't', columns: ['a', 'b'], rows: [[1, null]] })), [{ a: 1, b: null }]);
});

test('HTML report is self-contained: inline data, CSS and script, no network, no raw closing tags', () => {
  const evil = { ...view, experimentName: '</script><img src=x onerror=alert(1)>' };
  const html = renderHtmlReport({ view: evil, script: 'console.log("</script>")', css: ['body{color:red}</style>'] });
  assert.match(html, /default-src 'none'/);
  assert.doesNotMatch(html, /<script[^>]+src=/);
  assert.doesNotMatch(html, /<link /);
  assert.doesNotMatch(html, /https?:\/\//);
  assert.equal((html.match(/<\/script>/g) ?? []).length, 3, 'only our own three script elements close');
  assert.equal((html.match(/<\/style>/g) ?? []).length, 2);
  assert.match(html, /&#60;\/script&#62;&#60;img/);
  const data = html.match(/<script type="application\/json" id="report-data">([^]*?)<\/script>/)![1];
  assert.equal(JSON.parse(data).view.experimentName, evil.experimentName);
  assert.match(html, /<noscript>[^]*overview[^]*<\/noscript>/);
});
