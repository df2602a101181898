import type { ExportTable } from '../results/types';
import type { CultureReport } from './cultureReportTypes';
import { CULTURE_METRICS, type CultureMetric } from './scoreCulture';

const r6 = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 1e6) / 1e6);

export const METRIC_LABEL: Record<CultureMetric, string> = { jsd: '1 − JSD', wasserstein: '1 − W1', accuracy: 'accuracy' };

/**
 * The culture report as flat tables (scores in 0..1): `summary` (condition × metric means, CIs and random
 * baselines), `questions` (per condition and question: both distributions and the three scores) and `deltas`
 * (the model comparison per culture). The CSV/JSON exports, the HTML report and the CLI read these.
 */
export function cultureReportTables(report: CultureReport): ExportTable[] {
  const cond = new Map(report.conditions.map((c) => [c.id, c]));
  const summary: ExportTable = {
    name: 'summary',
    columns: ['condition', 'culture', 'model', 'template', ...CULTURE_METRICS.flatMap((m) => [m, `${m}_lo`, `${m}_hi`, `random_${m}`]), 'questions', 'samples', 'unparsed', 'skipped'],
    rows: report.scores.map((s) => {
      const c = cond.get(s.condition)!;
      return [s.condition, s.cultureId, c.model, c.template, ...CULTURE_METRICS.flatMap((m) => [r6(s.summary[m].mean), r6(s.summary[m].low), r6(s.summary[m].high), r6(s.random[m].mean)]),
        s.questions.length, s.samples, s.unparsed, s.skipped.length];
    }),
  };
  const questions: ExportTable = {
    name: 'questions',
    columns: ['condition', 'culture', 'model', 'question', 'culture_majority', 'model_majority', ...CULTURE_METRICS, ...CULTURE_METRICS.map((m) => `random_${m}`), 'valid', 'unparsed', 'model_distribution', 'culture_distribution'],
    rows: report.scores.flatMap((s) => s.questions.map((q) => [s.condition, s.cultureId, cond.get(s.condition)!.model, q.questionId, q.cultureMajority, q.modelMajority,
      ...CULTURE_METRICS.map((m) => r6(q.scores[m])), ...CULTURE_METRICS.map((m) => r6(q.random[m])), q.valid, q.unparsed,
      q.model.map((p) => r6(p)).join(' '), q.culture.map((p) => r6(p)).join(' ')])),
  };
  const tables = [summary, questions];
  if (report.comparison) {
    const { a, b, deltas } = report.comparison;
    tables.push({
      name: 'deltas',
      columns: ['culture', 'metric', 'a', 'b', 'delta', 'delta_lo', 'delta_hi', 'questions'],
      rows: deltas.map((d) => [d.cultureId, d.metric, a.model, b.model, r6(d.delta.mean), r6(d.delta.low), r6(d.delta.high), d.questions]),
    });
  }
  return tables;
}

const pct = (x: number): string => (Number.isFinite(x) ? (x * 100).toFixed(1) : '—');
const signed = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}` : '—');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

/** The human-readable report of a culture run (scores × 100). */
export function formatCultureReport(report: CultureReport): string {
  const s = report.settings;
  const level = `${(s.level * 100).toFixed(0)}% CI`;
  const out: string[] = [];
  out.push(`${report.experimentName} · run ${report.runId}${report.recorded ? ' (recorded answers)' : ''}`);
  out.push(`${report.cultures.length} cultures × ${report.models.length} model(s) × ${report.templates.length} template(s), ${report.samples} samples per question; scores × 100, ${level} over questions (bootstrap ${s.resamples}, seed ${s.seed})`);
  out.push('');
  const cond = new Map(report.conditions.map((c) => [c.id, c]));
  out.push(table([
    ['culture', 'model', ...CULTURE_METRICS.map((m) => METRIC_LABEL[m]), 'random acc', 'questions', 'unparsed'],
    ...report.scores.map((x) => [x.cultureId, cond.get(x.condition)!.model + (report.templates.length > 1 ? ` (${cond.get(x.condition)!.template})` : ''),
      ...CULTURE_METRICS.map((m) => `${pct(x.summary[m].mean)} [${pct(x.summary[m].low)}, ${pct(x.summary[m].high)}]`),
      pct(x.random.accuracy.mean), String(x.questions.length), `${x.unparsed}/${x.samples}`]),
  ]));
  if (report.comparison) {
    const { a, b, deltas } = report.comparison;
    out.push('');
    out.push(`${b.model} − ${a.model}, paired over questions (${level}):`);
    const byCulture = new Map<string, Map<CultureMetric, (typeof deltas)[number]>>();
    for (const d of deltas) (byCulture.get(d.cultureId) ?? byCulture.set(d.cultureId, new Map()).get(d.cultureId)!).set(d.metric, d);
    out.push(table([
      ['culture', 'questions', ...CULTURE_METRICS.map((m) => `Δ ${METRIC_LABEL[m]}`)],
      ...[...byCulture].map(([c, m]) => [c, String(m.get('jsd')?.questions ?? 0), ...CULTURE_METRICS.map((k) => {
        const d = m.get(k)!.delta;
        return `${signed(d.mean)} [${signed(d.low)}, ${signed(d.high)}]`;
      })]),
    ]));
  }
  const skipped = report.scores.filter((x) => x.skipped.length);
  if (skipped.length) {
    out.push('');
    for (const x of skipped) {
      const notAsked = x.skipped.filter((k) => k.reason === 'no-culture-answers').map((k) => k.questionId);
      const noReply = x.skipped.filter((k) => k.reason === 'no-valid-samples').map((k) => k.questionId);
      out.push(`${x.condition}: skipped ${[notAsked.length ? `not asked in the culture: ${notAsked.join(', ')}` : '', noReply.length ? `no parsable reply: ${noReply.join(', ')}` : ''].filter(Boolean).join('; ')}`);
    }
  }
  if (report.heldOut) out.push(`held-out questions only (${report.heldOut.length}): the tuned model did not see them in fine-tuning`);
  if (report.failed) out.push(`warning: ${report.failed} request(s) failed and are not scored (run again to retry them)`);
  if (report.read.quarantined) out.push(`warning: ${report.read.quarantined} unreadable line(s) of responses.jsonl were left out`);
  return `${out.join('\n')}\n`;
}
