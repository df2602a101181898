// `alignment-studio score`: rescore a run directory or the paper's recorded completions (never re-queries).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors';
import { EXIT_BAD_INPUT, EXIT_CODES_HELP, EXIT_FAILED, EXIT_OK, isBadInput, UsageError } from './exitCodes';
import { loadRecordedCompletions } from '../core/recorded/loadRecordedCompletions';
import { loadPaperScoringData } from '../core/score/loadPaperScoringData';
import { describeReadReport, readRun } from '../core/run/readRun';
import { recordedScoringInput } from '../core/score/recordedScoringInput';
import { runScoringInput } from '../core/score/runScoringInput';
import { scoreResponses, type ScoreInput } from '../core/score/scoreResponses';
import { scoringSettings } from '../core/score/scoringSettings';
import { describeAnswerColumns } from '../core/survey/answerColumns';
import type { ScoreReport, ScoringProfile, ScoringSettings, TieBreak } from '../core/score/types';

const USAGE = `usage: alignment-studio score <run-dir> [options]
       alignment-studio score --completions <dir> --survey <csv> [--twin-survey <csv>] [options]

  <run-dir>                .alignment/runs/<id> (manifest.json + responses.jsonl)
  --completions <dir>      recorded completions in the paper's format (preds_q=…_lang=…json, searched recursively)
  --survey <csv>           WVS respondents of the persona country (e.g. eg_wvs_wave7_v7_n303.csv)
  --twin-survey <csv>      respondents of the other country, for the same-answer filter
  --questions <dir>        folder of wvs_questions_dump.{en,ar}.json, wvs_options.json, … (default: the survey's folder)
  --model <name>           model label of recorded completions (default: the folder name)
  --profile paper|strict   scoring profile (default: the run's, else paper)
  --tie-break expected|first|random
  --seed <n>               seed of random tie-breaks, bootstrap and permutation test (default 1)
  --no-same-answer-filter  keep items where the respondent and the twin agree
  --match-region           match recorded personas to respondents on region too
  --compare <a>,<b>        report b − a (default: the run's scoring.compare, else the first two conditions)
  --bootstrap <n>          bootstrap resamples and sign flips (default 1000)
  --json                   print the report as JSON (default: a readable table)
  --items                  include per-item rows in the JSON report
  --out <file>             write the JSON report to a file (the table still prints)
  --strict                 a line of responses.jsonl that cannot be read is an error (default: quarantined,
                           reported with its file:line, and left out of the scores)
  -h, --help               this help
${EXIT_CODES_HELP} (1: nothing to score)`;

interface Args {
  positional: string[];
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['completions', 'survey', 'twin-survey', 'questions', 'model', 'profile', 'tie-break', 'seed', 'compare', 'bootstrap', 'out']);
const BOOL_FLAGS = new Set(['no-same-answer-filter', 'match-region', 'json', 'items', 'help', 'strict']);

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h') { flags.set('help', true); continue; }
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (BOOL_FLAGS.has(name)) flags.set(name, true);
    else if (VALUE_FLAGS.has(name)) {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      flags.set(name, v);
    } else throw new UsageError(`unknown option --${name}`);
  }
  return { positional, flags };
}

const str = (a: Args, k: string): string | undefined => (typeof a.flags.get(k) === 'string' ? (a.flags.get(k) as string) : undefined);
function int(a: Args, k: string): number | undefined {
  const v = str(a, k);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new UsageError(`--${k} must be a whole number, got "${v}"`);
  return Number(v);
}

/** Runs `alignment-studio score`; returns the exit code (0 ok, 1 nothing to score, 2 bad input or usage). */
export async function scoreCommand(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
    if (args.flags.has('help')) {
      process.stdout.write(`${USAGE}\n`);
      return EXIT_OK;
    }
    const completions = str(args, 'completions');
    if (!completions && args.positional.length !== 1) throw new UsageError('give one run directory, or --completions <dir> --survey <csv>');
    if (completions && !str(args, 'survey')) throw new UsageError('--completions needs --survey <csv>');
    const profile = str(args, 'profile');
    if (profile && profile !== 'paper' && profile !== 'strict') throw new UsageError(`--profile must be paper or strict, got "${profile}"`);
    const tie = str(args, 'tie-break');
    if (tie && !['expected', 'first', 'random'].includes(tie)) throw new UsageError(`--tie-break must be expected, first or random, got "${tie}"`);
    const compare = str(args, 'compare');
    if (compare && compare.split(',').length !== 2) throw new UsageError('--compare takes two condition ids: a,b');
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`alignment-studio score: ${e.message}\n${USAGE}\n`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  }
  try {
    const { input, spec } = await buildInput(args);
    const overrides: Partial<ScoringSettings> = {};
    const tie = (str(args, 'tie-break') ?? spec.tieBreak) as TieBreak | undefined;
    if (tie) overrides.tieBreak = tie;
    const seed = int(args, 'seed') ?? spec.seed;
    if (seed !== undefined) overrides.seed = seed;
    if (args.flags.has('no-same-answer-filter')) overrides.sameAnswerFilter = false;
    else if (spec.sameAnswerFilter !== undefined) overrides.sameAnswerFilter = spec.sameAnswerFilter;
    if (args.flags.has('match-region')) overrides.matchRegion = true;
    const boot = int(args, 'bootstrap');
    if (boot !== undefined) {
      overrides.bootstrapResamples = boot;
      overrides.permutationResamples = boot;
    }
    const settings = scoringSettings((str(args, 'profile') ?? spec.profile ?? 'paper') as ScoringProfile, overrides);
    const compare = str(args, 'compare');
    if (compare) input.compare = [compare.split(',').map((s) => s.trim()) as [string, string]];
    const wantJson = args.flags.has('json') || !!str(args, 'out');
    input.include = { items: args.flags.has('items'), personaDeltas: wantJson, distributions: wantJson };
    const report = scoreResponses(input, settings);
    for (const c of input.compare ?? []) {
      for (const id of c) if (!report.conditions.some((x) => x.condition === id)) throw new UsageError(`--compare: no condition "${id}" (have ${report.conditions.map((x) => x.condition).join(', ')})`);
    }
    const out = str(args, 'out');
    if (out) writeFileSync(out, `${JSON.stringify(report, null, 1)}\n`);
    // Wait for the write to flush: the entry point exits right after, which would cut a large report short on a pipe.
    await writeOut(args.flags.has('json') ? `${JSON.stringify(report, null, 1)}\n` : formatReport(report));
    return report.conditions.length === 0 ? EXIT_FAILED : EXIT_OK;
  } catch (e) {
    if (isBadInput(e) || e instanceof RangeError) {
      process.stderr.write(`alignment-studio score: ${(e as Error).message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  }
}

function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (e) => (e ? reject(e) : resolve())));
}

async function buildInput(args: Args): Promise<{ input: ScoreInput; spec: { profile?: ScoringProfile; tieBreak?: TieBreak; seed?: number; sameAnswerFilter?: boolean } }> {
  const completions = str(args, 'completions');
  if (!completions) {
    const run = readRun(path.resolve(args.positional[0]!), { strict: args.flags.has('strict') });
    const { input } = await runScoringInput(run);
    for (const line of describeReadReport(run)) process.stderr.write(`alignment-studio score: ${line}\n`);
    input.read = { file: run.file, duplicates: run.duplicates, tornLastLine: run.tornLastLine, quarantined: run.quarantined };
    return { input, spec: run.manifest.experiment.scoring ?? {} };
  }
  const surveyCsv = str(args, 'survey')!;
  const twinCsv = str(args, 'twin-survey');
  const data = await loadPaperScoringData({ surveyCsv, ...(twinCsv ? { twinCsv } : {}), ...(str(args, 'questions') ? { questionsDir: str(args, 'questions') } : {}) });
  // Which survey column each question reads (the authors' rule picks Egypt's EG_Q78A for Q78): said, not hidden.
  for (const { file, columns } of data.columns) for (const line of describeAnswerColumns(columns, path.basename(file))) process.stderr.write(`alignment-studio score: ${line}\n`);
  const recorded = await loadRecordedCompletions(completions);
  if (recorded.records.length === 0) throw new InputError('no recorded completions (preds_q=…_lang=…json) in this folder', { file: completions, line: 1, column: 1 });
  const model = str(args, 'model') ?? guessModel(completions);
  const rec = recordedScoringInput(recorded.records, data.respondents, { model, matchRegion: args.flags.has('match-region') });
  // English first so the default comparison reads "ar − en".
  const conditions = [...rec.conditions].sort((a, b) => (a.lang === 'en' ? -1 : b.lang === 'en' ? 1 : a.id.localeCompare(b.id)));
  const input: ScoreInput = {
    questions: data.survey.questions, conditions, items: rec.items, personas: data.respondents,
    ...(data.twins ? { twins: data.twins } : {}),
    source: { kind: 'completions', path: completions, ...(data.respondents[0] ? { country: data.respondents[0].country } : {}), ...(data.twins?.[0] ? { twinCountry: data.twins[0].country } : {}) },
  };
  return { input, spec: {} };
}

/** The model folder of the paper's layout `<model>/<country>/<lang>/`, else the folder name. */
function guessModel(dir: string): string {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  const i = parts.findIndex((p) => /^(egypt|us|united[ -]states)$/i.test(p));
  return i > 0 ? parts[i - 1]! : parts[parts.length - 1] ?? 'model';
}

const pct = (x: number): string => (Number.isFinite(x) ? (x * 100).toFixed(2) : '—');
const signed = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}` : '—');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

/** A readable summary of a report (scores × 100, as in the paper's tables). */
export function formatReport(r: ScoreReport): string {
  const s = r.settings;
  const out: string[] = [];
  out.push(`Scoring profile: ${s.profile} · tie-break ${s.tieBreak} (seed ${s.seed}) · same-answer filter ${s.sameAnswerFilter ? 'on' : 'off'} · common items ${s.commonItems ? 'on' : 'off'} · skipped ${s.skipQuestions.join(', ') || 'none'}`);
  out.push('');
  out.push(table([
    ['condition', 'soft', 'hard', 'soft rnd', 'hard rnd', 'soft norm', 'hard norm', 'items', 'personas', 'soft (1 vote/q)'],
    ...r.conditions.map((c) => [
      `${c.condition}${c.recorded ? ' (recorded)' : ''}`, pct(c.scores.soft), pct(c.scores.hard), pct(c.scores.randomSoft), pct(c.scores.randomHard),
      pct(c.scores.softNorm), pct(c.scores.hardNorm), String(c.scores.items), String(c.scores.personas), pct(c.acrossVariants.soft),
    ]),
  ]));
  out.push('');
  out.push(table([
    ['condition', 'samples', 'unparsed', 'no valid sample', 'no respondent', 'missing answer', 'same answer', 'not common', 'skipped q', 'kept', 'variant agree', 'sample agree'],
    ...r.conditions.map((c) => [
      c.condition, String(c.parse.samples), String(c.parse.unparsed), String(c.funnel.noValidSample), String(c.funnel.noRespondent),
      String(c.funnel.missingSurveyAnswer), String(c.funnel.sameAnswer), String(c.funnel.notCommon), String(c.funnel.skippedQuestion),
      String(c.funnel.kept), pct(c.consistency.acrossVariants), pct(c.consistency.acrossSamples),
    ]),
  ]));
  for (const d of r.deltas) {
    const ci = `${(s.confidence * 100).toFixed(0)}% CI`;
    out.push('');
    out.push(`${d.metric} alignment: ${d.b} − ${d.a} = ${signed(d.overall.delta)} points (${ci} ${signed(d.overall.ciLow)} … ${signed(d.overall.ciHigh)}, sign-flip p = ${d.overall.pValue.toPrecision(2)}, ${d.overall.n} personas)`);
    if (d.metric === 'soft') {
      const rows = d.groups.filter((g) => ['sex', 'age_bucket', 'education', 'social_class', 'marital_status', 'theme'].includes(g.field));
      out.push(table([['group', 'delta', 'CI low', 'CI high', 'p', 'p Holm', 'q BH', 'personas'], ...rows.map((g) => [`${g.field}=${g.value}`, signed(g.delta), signed(g.ciLow), signed(g.ciHigh), g.pValue.toPrecision(2), g.pHolm.toPrecision(2), g.qBH.toPrecision(2), String(g.n)])]));
      const questions = d.groups.filter((g) => g.field === 'question');
      if (questions.length) {
        out.push('');
        out.push(`per question (${questions.length} tests; adjusted within the table):`);
        out.push(table([['question', 'delta', 'CI low', 'CI high', 'p', 'p Holm', 'q BH'], ...questions.map((g) => [g.value, signed(g.delta), signed(g.ciLow), signed(g.ciHigh), g.pValue.toPrecision(2), g.pHolm.toPrecision(2), g.qBH.toPrecision(2)])]));
      }
      out.push(`p Holm: ${d.multiplicity.holm}; q BH: ${d.multiplicity.bh} (${d.multiplicity.families}).`);
    }
  }
  if (r.unparsed.length) {
    const byText = new Map<string, number>();
    for (const u of r.unparsed) byText.set(`${u.condition}: ${JSON.stringify(u.text)}`, (byText.get(`${u.condition}: ${JSON.stringify(u.text)}`) ?? 0) + 1);
    out.push('');
    out.push(`Unparsed replies: ${r.unparsed.length} (most frequent first; --json lists every one)`);
    for (const [t, n] of [...byText].sort((a, b) => b[1] - a[1]).slice(0, 10)) out.push(`  ${String(n).padStart(5)} × ${t}`);
  }
  for (const w of r.warnings) out.push(`warning: ${w}`);
  return `${out.join('\n')}\n`;
}
