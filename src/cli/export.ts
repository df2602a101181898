// `alignment-studio export <run-dir> --format csv|json|html --out <file>`: the results panel's exports, headless.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT_BAD_INPUT, EXIT_CODES_HELP, EXIT_FAILED, EXIT_OK, isBadInput, UsageError } from './exitCodes';
import { buildResultsView } from '../core/results/buildResultsView';
import { compareRuns } from '../core/results/compareRuns';
import { loadRunResults } from '../core/results/loadRunResults';
import { describeReadReport } from '../core/run/readRun';
import { renderHtmlReport } from '../core/results/renderHtmlReport';
import { resultsTables, tableToCsv, tableToJson } from '../core/results/resultsTables';

export const EXPORT_USAGE = `usage: alignment-studio export <run-dir> --format csv|json|html --out <file> [options]
  --table <name>         one table: overview, headline, groups, personas, comparison
                         (csv without --table writes <out>.<table>.csv for every table)
  --pair <a>,<b>         headline pair, delta = b − a (default: the experiment's scoring.compare)
  --compare <run-dir>    also compare with an earlier run (before) → the "comparison" table
  --resamples <n>        bootstrap resamples and sign flips (default 1000)
  --strict               a line of responses.jsonl that cannot be read is an error (default: quarantined,
                         reported with its file:line, and left out of the scores)
  -h, --help             this help
${EXIT_CODES_HELP}`;

interface ExportArgs { runDir: string; format: 'csv' | 'json' | 'html'; out: string; table?: string; pair?: [string, string]; compare?: string; resamples?: number; strict?: boolean }

/** Parses the arguments; a usage problem is returned as a message (exit code 2). */
export function parseExportArgs(argv: string[]): ExportArgs | string {
  const positional: string[] = [];
  const opts: Record<string, string> = {};
  let strict = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--strict') strict = true;
    else if (a.startsWith('--')) {
      const [k, inline] = a.slice(2).split('=', 2);
      const v = inline ?? argv[++i];
      if (v === undefined) return `missing value for --${k}`;
      opts[k] = v;
    } else positional.push(a);
  }
  const unknown = Object.keys(opts).filter((k) => !['format', 'out', 'table', 'pair', 'compare', 'resamples'].includes(k));
  if (unknown.length) return `unknown option --${unknown[0]}`;
  if (positional.length !== 1) return 'expected exactly one <run-dir>';
  const format = opts.format;
  if (format !== 'csv' && format !== 'json' && format !== 'html') return '--format must be csv, json or html';
  if (!opts.out) return '--out <file> is required';
  const pair = opts.pair?.split(',');
  if (pair && (pair.length !== 2 || !pair[0] || !pair[1])) return '--pair must be <a>,<b>';
  const resamples = opts.resamples !== undefined ? Number(opts.resamples) : undefined;
  if (resamples !== undefined && !(Number.isInteger(resamples) && resamples >= 0)) return '--resamples must be a whole number ≥ 0';
  return { runDir: positional[0], format, out: opts.out, table: opts.table, pair: pair as [string, string] | undefined, compare: opts.compare, resamples, ...(strict ? { strict } : {}) };
}

/** Runs the export; returns the process exit code (0 ok, 1 failed, 2 bad input or usage). */
export async function exportCommand(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out.write(`${EXPORT_USAGE}\n`);
    return EXIT_OK;
  }
  const args = parseExportArgs(argv);
  if (typeof args === 'string') {
    err.write(`alignment-studio export: ${args}\n${EXPORT_USAGE}\n`);
    return EXIT_BAD_INPUT;
  }
  try {
    const run = await loadRunResults(path.resolve(args.runDir), { pair: args.pair, resamples: args.resamples, strict: args.strict });
    for (const line of describeReadReport(run.read)) err.write(`alignment-studio export: ${line}\n`);
    const view = buildResultsView(run.inputFor(args.pair), { pair: args.pair });
    if (args.pair && (view.pair?.[0] !== args.pair[0] || view.pair?.[1] !== args.pair[1])) {
      throw new UsageError(`--pair: conditions are ${view.conditions.map((c) => c.id).join(', ')}`);
    }
    const comparison = args.compare ? compareRuns((await loadRunResults(path.resolve(args.compare), { strict: args.strict })).input, run.input, args.resamples) : null;
    const tables = resultsTables(view, comparison);
    const pick = args.table ? tables.find((t) => t.name === args.table) : undefined;
    if (args.table && !pick) throw new UsageError(`--table: no table "${args.table}" (have ${tables.map((t) => t.name).join(', ')})`);
    const written: string[] = [];
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      fs.writeFileSync(file, text);
      written.push(file);
    };
    if (args.format === 'html') {
      write(args.out, renderHtmlReport({ view, comparison, script: readAsset('webview', 'results.js'), css: [readAsset('media', 'webview.css')], generatedAt: new Date().toISOString() }));
    } else if (args.format === 'json') {
      write(args.out, pick ? tableToJson(pick) : JSON.stringify({ view, comparison, tables }, null, 2));
    } else if (pick) {
      write(args.out, tableToCsv(pick));
    } else {
      const stem = args.out.replace(/\.csv$/i, '');
      for (const t of tables) write(`${stem}.${t.name}.csv`, tableToCsv(t));
    }
    for (const f of written) out.write(`${f}\n`);
    const h = view.headline;
    if (h) err.write(`${view.runId}: soft ${h.b} − ${h.a} = ${((h.soft.mean ?? 0) * 100).toFixed(2)} pts [${((h.soft.lo ?? 0) * 100).toFixed(2)}, ${((h.soft.hi ?? 0) * 100).toFixed(2)}] over ${h.soft.n} personas\n`);
    return EXIT_OK;
  } catch (e) {
    err.write(`alignment-studio export: ${e instanceof Error ? e.message : String(e)}\n`);
    return isBadInput(e) ? EXIT_BAD_INPUT : EXIT_FAILED;
  }
}

/** A shipped asset: beside dist/cli.js in the package, or the repository's dist/ and media/ when run from out/src/cli/ (tests). */
function readAsset(kind: 'webview' | 'media', file: string): string {
  const candidates = kind === 'webview'
    ? [path.join(__dirname, 'webview', file), path.join(__dirname, '..', '..', '..', 'dist', 'webview', file)]
    : [path.join(__dirname, '..', 'media', file), path.join(__dirname, '..', '..', '..', 'media', file)];
  for (const c of candidates) if (fs.existsSync(c)) return fs.readFileSync(c, 'utf8');
  throw new Error(`missing ${kind}/${file} (build with "npm run build" first)`);
}
