// `alignment-studio culture <experiment.culture.json>`: run a culture experiment on the engine, then score it.
import * as fs from 'node:fs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CULTURE_RUNS_DIR } from '../core/culture/cultureExperiment';
import { cultureReportTables, formatCultureReport } from '../core/culture/cultureReportTables';
import { openCultureExperiment, type OpenedCultureExperiment } from '../core/culture/openCultureExperiment';
import { executeCultureRun, prepareCultureRun } from '../core/culture/runCultureExperiment';
import { scoreCultureRun } from '../core/culture/scoreCultureRun';
import { InputError } from '../core/errors';
import { findUnreachableEndpoints, unreachableMessage } from '../core/run/checkEndpoints';
import { createTokenCounter } from '../core/run/createTokenCounter';
import { ResumeError } from '../core/run/prepareRun';
import { listIdleRuns } from '../core/run/RunStore';
import { envKeys } from './run';
import { KEYS_HELP, loadKeyMapping } from './keys';
import { intFlag, keyFlags, numberFlag, pairFlag, parseFlags, UsageError, writeOut, type Flags } from './parseFlags';

export const CULTURE_USAGE = `usage: alignment-studio culture <experiment.culture.json> [options]
  Runs the culture experiment (culture × model × template conditions, every seed question asked "as a member of"
  the culture, samples per question) on the run engine, then scores each culture against its WVS answers:
  1 − JSD, 1 − normalised Wasserstein and accuracy vs the culture's majority answer, with bootstrap CIs over
  questions, a uniform random baseline, and the paired model comparison (b − a) per culture.

  --resume <run-id>     continue this run (default: the latest unfinished run of the same experiment)
  --new                 always start a new run (answers of earlier runs are still reused from the cache)
  --runs-dir <dir>      where runs are written (default: <experiment folder>/${CULTURE_RUNS_DIR})
  --dry-run             print the estimate and exit
  --score-only [<id>]   do not run: score the latest run of this experiment (or run <id>)
  --compare <a>,<b>     model ids of the comparison, b − a (default: the experiment's scoring.compare, else the first two)
  --bootstrap <n>       bootstrap resamples (default 1000)   --seed <n>  bootstrap seed (default 1)
  --level <x>           CI level (default 0.95)
  --json                print the report as JSON            --out <file>  also write the JSON report to a file
  --csv <dir>           also write the report's tables as CSV (summary.csv, questions.csv, deltas.csv)
  --html <file>         also write the self-contained HTML report (the dashboard, offline, in any browser)
  --quiet               no progress
  --batch <step>        through the OpenAI Batch API or vLLM run_batch instead of live requests:
                          export   the requests the run lacks as Batch JSONL in <run>/batch/exports/<n>/ (--shards <N>)
                          submit   upload the latest export and create the batches (the model's baseURL)
                          status   refresh them, download finished output (--wait, --interval <s>)
                          import   import output files (default: every downloaded file) [files…], then score
                          cancel   cancel unfinished batches
                        --run <id> names the run (default: the latest of this experiment)
${KEYS_HELP}
exit codes: 0 ok, 1 some requests failed or the run failed, 2 bad input or usage, 130 interrupted`;

const VALUE = ['resume', 'runs-dir', 'compare', 'bootstrap', 'seed', 'level', 'out', 'csv', 'html', 'batch', 'run', 'shards', 'interval', 'key'];
const BOOL = ['new', 'dry-run', 'score-only', 'json', 'quiet', 'help', 'strict', 'wait'];

export async function cultureCommand(argv: string[], out: NodeJS.WriteStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Promise<number> {
  let flags;
  try {
    flags = parseFlags(argv, VALUE, BOOL);
    if (flags.bools.has('help')) {
      await writeOut(out, `${CULTURE_USAGE}\n`);
      return 0;
    }
    const batch = flags.values.get('batch');
    if (batch !== undefined && !['export', 'submit', 'status', 'import', 'cancel'].includes(batch)) throw new UsageError(`--batch must be export, submit, status, import or cancel, got "${batch}"`);
    const max = flags.bools.has('score-only') ? 2 : batch === 'import' ? Infinity : 1;
    if (flags.positional.length < 1 || flags.positional.length > max) throw new UsageError('give one experiment file (*.culture.json)');
    if (flags.values.has('resume') && flags.bools.has('new')) throw new UsageError('--resume and --new exclude each other');
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`alignment-studio culture: ${e.message}\n${CULTURE_USAGE}\n`);
      return 2;
    }
    throw e;
  }
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    err.write('\ninterrupted: stopping (answers so far are kept; run again to resume)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const scoring = { resamples: intFlag(flags, 'bootstrap', 0, 100_000), seed: intFlag(flags, 'seed', 0, 2 ** 32 - 1), level: numberFlag(flags, 'level', 0.5, 0.999), compare: pairFlag(flags, 'compare') };
    const exp = await openCultureExperiment(flags.positional[0]!);
    for (const w of exp.warnings) err.write(`${w.file}:${w.line}:${w.column}: warning: ${w.message}\n`);
    const runsDir = path.resolve(flags.values.get('runs-dir') ?? path.join(path.dirname(exp.file), CULTURE_RUNS_DIR));
    let runDir: string;
    let code = 0;
    const batch = flags.values.get('batch');
    if (batch) {
      const r = await cultureBatchStep(batch, exp, runsDir, flags, err);
      if (r.code !== 0 || !r.runDir) return r.code;
      runDir = r.runDir;
    } else if (flags.bools.has('score-only')) {
      const wanted = flags.positional[1];
      const runs = listIdleRuns(runsDir).filter((r) => (wanted ? r.id === wanted : (r.manifest as { culture?: { name?: string } }).culture?.name === exp.spec.name));
      runs.sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
      if (!runs[0]) throw new UsageError(wanted ? `no run "${wanted}" in ${runsDir}` : `no run of "${exp.spec.name}" in ${runsDir} yet: run it first`);
      runDir = runs[0].dir;
    } else {
      const prepared = prepareCultureRun(exp, { runsDir, resume: flags.bools.has('new') ? 'never' : (flags.values.get('resume') ?? 'auto'), countTokens: await createTokenCounter(exp.spec.models) });
      const e = prepared.estimate;
      err.write(`${prepared.resuming ? 'resuming' : 'new'} run ${prepared.runId}: ${exp.conditions.length} conditions (${exp.spec.cultures.length} cultures × ${exp.spec.models.length} models × ${exp.spec.templates.length} templates) × ${exp.questions.length} questions\n`);
      err.write(`  ${e.samples} samples: ${e.alreadyDone} already in the run, ${e.cached} from the cache, ${e.requests} requests to make${e.recordedRequests ? ` (${e.recordedRequests} from recorded answers)` : ''}\n`);
      err.write(`  ~${e.inputTokens} input tokens, ≤ ${e.outputTokensMax} output tokens, cost ${e.cost === null ? 'unknown (no price set)' : `≤ $${e.cost.toFixed(4)}`}\n`);
      if (flags.bools.has('dry-run')) {
        prepared.cache.close();
        return 0;
      }
      if (e.requests > e.recordedRequests) {
        const endpoints = exp.spec.models.filter((m) => m.kind !== 'replay').map((m) => ({ modelId: m.id, baseURL: m.baseURL ?? 'https://api.openai.com/v1' }));
        const unreachable = await findUnreachableEndpoints(endpoints);
        if (unreachable.length) {
          prepared.cache.close();
          err.write(`error: ${unreachableMessage(unreachable, path.relative(process.cwd(), exp.file) || exp.file, 'cli')}\n`);
          return 1;
        }
      }
      const quiet = flags.bools.has('quiet');
      let last = 0;
      const result = await executeCultureRun(prepared, {
        keys: envKeys(loadKeyMapping(keyFlags(flags))), signal: controller.signal, workspaceDir: path.dirname(exp.file),
        log: (m) => { if (!quiet) err.write(`${m}\n`); },
        onProgress: (p) => {
          if (quiet || Date.now() - last < 1000) return;
          last = Date.now();
          err.write(`  ${p.done}/${p.planned} answered (${p.cached} cached), ${p.failed} failed\n`);
        },
      });
      const s = result.summary;
      err.write(`${s.status}: ${s.done}/${s.planned} answered (${s.cached} cached), ${s.failed} failed, ${s.retries} retries, ${(s.elapsedMs / 1000).toFixed(1)} s${s.cost ? `, $${s.cost.toFixed(4)}` : ''}\n`);
      if (s.error) err.write(`error: ${s.error}\n`);
      err.write(`run: ${result.runDir}\n`);
      if (s.status === 'cancelled') return 130;
      if (s.status !== 'completed' || s.failed > 0) code = 1;
      runDir = result.runDir;
    }
    const report = scoreCultureRun(runDir, { ...definedOnly(scoring), strict: flags.bools.has('strict') });
    const json = `${JSON.stringify(report, null, 1)}\n`;
    const outFile = flags.values.get('out');
    if (outFile) writeFileSync(outFile, json);
    const csvDir = flags.values.get('csv');
    if (csvDir) {
      const { tableToCsv } = await import('../core/results/resultsTables');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(csvDir, { recursive: true });
      for (const t of cultureReportTables(report)) writeFileSync(path.join(csvDir, `${t.name}.csv`), tableToCsv(t));
    }
    const html = flags.values.get('html');
    if (html) {
      const { renderCultureHtmlReport } = await import('../core/culture/renderCultureHtmlReport');
      writeFileSync(html, renderCultureHtmlReport({ report, script: readAsset('webview', 'culture.js'), css: [readAsset('media', 'webview.css')], generatedAt: new Date().toISOString() }));
    }
    await writeOut(out, flags.bools.has('json') ? json : formatCultureReport(report));
    if (report.scores.length === 0) code = 1;
    return code;
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`alignment-studio culture: ${e.message}\n`);
      return 2;
    }
    if (e instanceof InputError || e instanceof ResumeError || e instanceof RangeError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      err.write(`alignment-studio culture: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** A shipped asset: beside dist/cli.js in the package, or the repository's dist/ and media/ when run from out/src/cli/. */
function readAsset(kind: 'webview' | 'media', file: string): string {
  const candidates = kind === 'webview'
    ? [path.join(__dirname, 'webview', file), path.join(__dirname, '..', '..', '..', 'dist', 'webview', file)]
    : [path.join(__dirname, '..', 'media', file), path.join(__dirname, '..', '..', '..', 'media', file)];
  for (const c of candidates) if (existsSync(c)) return readFileSync(c, 'utf8');
  throw new Error(`missing ${kind}/${file} (build with "npm run build" first)`);
}

/** One step of the batch path; `runDir` is set after an import that leaves nothing pending (then the run is scored). */
async function cultureBatchStep(step: string, exp: OpenedCultureExperiment, runsDir: string, flags: Flags, err: NodeJS.WriteStream): Promise<{ code: number; runDir?: string }> {
  const { exportCultureBatch, importCultureBatch } = await import('../core/culture/cultureBatch');
  const { allTerminal, cancelJobs, pollJobs, submitExport } = await import('../core/batch/batchJobs');
  const { listDownloads, listExports } = await import('../core/batch/batchRun');
  const { createBatchClient } = await import('../core/batch/createBatchClient');
  const shards = intFlag(flags, 'shards', 1, 10_000);
  if (step === 'export') {
    const e = exportCultureBatch(exp, { runsDir, resume: flags.bools.has('new') ? 'never' : (flags.values.get('resume') ?? 'auto'), countTokens: await createTokenCounter(exp.spec.models), workspaceDir: path.dirname(exp.file), ...(shards ? { shards } : {}) });
    err.write(`run ${e.runId}: ${e.manifest.lines} batch lines (${e.manifest.samples} samples) in ${e.manifest.shards.length} shard(s), ${e.manifest.cached} from the cache, ${e.manifest.recorded} recorded\n`);
    for (const sh of e.manifest.shards) err.write(`  ${path.join(e.exportDir, sh.file)} (${sh.model}, ${sh.lines} lines)\n`);
    err.write('next: --batch submit (OpenAI Batch API), or run the shards with vLLM run_batch and --batch import <output files>\n');
    return { code: 0 };
  }
  const wanted = flags.values.get('run');
  const runs = listIdleRuns(runsDir).filter((r) => (wanted ? r.id === wanted : (r.manifest as { culture?: { name?: string } }).culture?.name === exp.spec.name && fs.existsSync(path.join(r.dir, 'batch'))));
  runs.sort((a, b) => b.manifest.createdAt.localeCompare(a.manifest.createdAt));
  if (!runs[0]) throw new UsageError(wanted ? `no run "${wanted}" in ${runsDir}` : `no batch run of "${exp.spec.name}" in ${runsDir}: --batch export first`);
  const runDir = runs[0].dir;
  const keys = envKeys(loadKeyMapping(keyFlags(flags)));
  const clients = new Map<string, ReturnType<typeof createBatchClient>>();
  const clientFor = (id: string): ReturnType<typeof createBatchClient> => {
    let c = clients.get(id);
    if (!c) {
      const m = exp.spec.models.find((x) => x.id === id);
      if (!m) throw new UsageError(`model "${id}" of the batch is not in the experiment any more`);
      clients.set(id, (c = createBatchClient(m, keys)));
    }
    return c;
  };
  if (step === 'submit') {
    const last = listExports(runDir).at(-1);
    if (!last) throw new UsageError('nothing exported yet: --batch export first');
    const jobs = await submitExport(runDir, last, clientFor, (j) => err.write(`  submitted ${j.shard} as ${j.batchId} (${j.status})\n`));
    err.write(`${jobs.length} batch(es) submitted for export ${last.exportId} of run ${path.basename(runDir)}\n`);
    return { code: 0 };
  }
  if (step === 'status') {
    const interval = intFlag(flags, 'interval', 1, 86_400) ?? 60;
    for (;;) {
      const { jobs, downloaded } = await pollJobs(runDir, clientFor);
      for (const j of jobs) err.write(`  ${j.batchId} ${j.shard}: ${j.status} (${j.counts?.completed ?? 0}/${j.counts?.total ?? 0} done, ${j.counts?.failed ?? 0} failed)\n`);
      for (const f of downloaded) err.write(`  downloaded ${f}\n`);
      if (!flags.bools.has('wait') || allTerminal(jobs)) return { code: jobs.some((j) => j.status === 'failed') ? 1 : 0 };
      await new Promise((r) => setTimeout(r, interval * 1000));
    }
  }
  if (step === 'cancel') {
    const jobs = await cancelJobs(runDir, clientFor);
    err.write(`${jobs.length} batch(es) asked to cancel\n`);
    return { code: 0 };
  }
  const files = flags.positional.slice(1).length ? flags.positional.slice(1).map((f) => path.resolve(f)) : listDownloads(runDir);
  if (!files.length) throw new UsageError('no output files: give them, or download them with --batch status');
  const report = importCultureBatch(exp, runDir, files);
  err.write(`imported ${report.imported} samples from ${report.files} file(s) (${report.duplicates} already in the run), ${report.failed.length} failed, ${report.errorCount} bad lines, ${report.pending} still pending\n`);
  for (const p of [...report.failed, ...report.errors].slice(0, 10)) err.write(`  ${p.file}:${p.line}: ${p.message}\n`);
  return { code: report.failed.length || report.errorCount || report.pending ? 1 : 0, runDir };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
