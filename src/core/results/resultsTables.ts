import type { Estimate, ExportTable, ResultsView, RunComparison } from './types';

const r6 = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 1e6) / 1e6);
const est = (e: Estimate | null | undefined): Array<number | null> => [r6(e?.mean), r6(e?.lo), r6(e?.hi)];

/**
 * Every table of the results panel as flat rows (scores in 0..1): `overview`, `headline`, `groups`
 * (long format: one row per group × condition, plus the delta), `personas`, and `comparison` when given.
 * The CSV/JSON exports, the CLI and the HTML report all use these, so they show the same numbers.
 */
export function resultsTables(view: ResultsView, comparison?: RunComparison | null): ExportTable[] {
  const conds = view.conditions.map((c) => c.id);
  const tables: ExportTable[] = [];
  tables.push({
    name: 'overview',
    columns: ['condition', 'label', 'lang', 'model', 'template', 'soft', 'soft_lo', 'soft_hi', 'hard', 'hard_lo', 'hard_hi', 'random_soft', 'random_hard',
      'soft_norm', 'hard_norm', 'personas', 'items', 'scored', 'unparsed', 'no_survey_answer', 'same_answer', 'no_response'],
    rows: view.overview.map((o) => [o.condition.id, o.condition.label, o.condition.lang, o.condition.model, o.condition.template, ...est(o.soft), ...est(o.hard),
      r6(o.rSoft), r6(o.rHard), r6(o.softNorm), r6(o.hardNorm), o.soft.n, o.coverage.items, o.coverage.scored, o.coverage.unparsed,
      o.coverage.noSurveyAnswer, o.coverage.sameAnswer, o.coverage.noResponse]),
  });
  if (view.headline) {
    const h = view.headline;
    tables.push({
      name: 'headline',
      columns: ['a', 'b', 'delta_soft', 'delta_soft_lo', 'delta_soft_hi', 'delta_hard', 'delta_hard_lo', 'delta_hard_hi', 'p', 'personas', 'paired_items', 'gained', 'lost', 'unchanged'],
      rows: [[h.a, h.b, ...est(h.soft), ...est(h.hard), r6(h.p), h.soft.n, h.soft.items, h.gained, h.lost, h.unchanged]],
    });
  }
  const delta = view.pair ? `delta:${view.pair[1]}-${view.pair[0]}` : 'delta';
  tables.push({
    name: 'groups',
    // p, p_holm, q_bh: the delta's sign-flip p-value and its Holm / Benjamini–Hochberg adjustment within the field.
    columns: ['field', 'value', 'personas', 'measure', 'mean', 'lo', 'hi', 'items', 'p', 'p_holm', 'q_bh'],
    rows: view.breakdowns.flatMap((b) => b.groups.flatMap((g) => [
      ...conds.map((c) => [b.field, g.value, g.personas, c, ...est(g.perCondition[c]), g.perCondition[c]?.items ?? 0, null, null, null]),
      ...(g.delta ? [[b.field, g.value, g.personas, delta, ...est(g.delta), g.delta.items, r6(g.test?.p), r6(g.test?.pHolm), r6(g.test?.qBH)]] : []),
    ])),
  });
  tables.push({
    name: 'personas',
    columns: ['persona', ...view.fields.map((f) => f.key), 'age_years', ...conds.map((c) => `soft:${c}`), delta, 'paired_items'],
    rows: view.personas.map((p) => [p.id, ...view.fields.map((f) => p.fields[f.key] ?? null), p.age ?? null, ...conds.map((c) => r6(p.soft[c])), r6(p.delta), p.pairedItems]),
  });
  if (comparison) {
    tables.push({
      name: 'comparison',
      columns: ['condition', 'before_run', 'after_run', 'before_soft', 'after_soft', 'delta_soft', 'delta_soft_lo', 'delta_soft_hi', 'p', 'personas', 'gained', 'lost'],
      rows: comparison.conditions.map((c) => [c.condition, comparison.before.runId, comparison.after.runId, r6(c.before.mean), r6(c.after.mean),
        ...est(c.delta.soft), r6(c.delta.p), c.delta.soft.n, c.delta.gained, c.delta.lost]),
    });
  }
  return tables;
}

/**
 * RFC 4180 CSV of a table. Text cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first)
 * get a leading apostrophe: persona values come from user files.
 */
export function tableToCsv(table: ExportTable): string {
  const cell = (v: string | number | null): string => {
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return String(v);
    const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [table.columns, ...table.rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** JSON of a table as an array of objects keyed by column. */
export function tableToJson(table: ExportTable): string {
  return JSON.stringify(table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i] ?? null]))), null, 2);
}
