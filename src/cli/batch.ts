// `alignment-studio batch export|submit|status|import|cancel`: a run through the OpenAI Batch API or vLLM's
// run_batch (same JSONL). Reuses src/core/batch/ and the run engine's request building.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../core/errors';
import { allTerminal, cancelJobs, pollJobs, readJobs, submitExport, type BatchJob } from '../core/batch/batchJobs';
import { exportRunBatch, importRunBatch, listDownloads, listExports } from '../core/batch/batchRun';
import { batchDir } from '../core/batch/batchFormat';
import { createBatchClient, type BatchClient } from '../core/batch/createBatchClient';
import { estimateBatch, formatBatchChoice } from '../core/batch/estimateBatch';
import type { ImportReport } from '../core/batch/importBatchOutput';
import { createTemplateRenderer } from '../core/run/createTemplateRenderer';
import { createTokenCounter } from '../core/run/createTokenCounter';
import { openExperiment, type OpenedExperiment } from '../core/run/openExperiment';
import { prepareRun, ResumeError } from '../core/run/prepareRun';
import { listIdleRuns } from '../core/run/RunStore';
import { EXIT_BAD_INPUT, EXIT_CODES_HELP, EXIT_OK, isBadInput } from './exitCodes';
import { KEYS_HELP, loadKeyMapping, parseKeyFlag } from './keys';
import { envKeys } from './run';

export const BATCH_USAGE = `usage: alignment-studio batch <command> <experiment.json> [options]
  export     write the requests the run still lacks as Batch JSONL shards + manifest.json in <run>/batch/exports/<n>/
             (answers of earlier runs are copied into the run instead; prints live vs batch cost first)
               --shards <N>      N files per model (one per GPU node for vLLM run_batch)
               --max-lines <N>   lines per file (default 50000, the OpenAI limit)
               --max-mb <N>      MB per file (default 200, the OpenAI limit)
               --new             start a new run (default: continue the latest unfinished run of this experiment)
  submit     upload the latest export's shards and create one batch per shard (files + batches APIs of the model's baseURL)
  status     refresh the batches, download finished output and error files into <run>/batch/downloads/
               --wait            poll until every batch has ended   --interval <s> (default 60)
  import     import output files into the run (default: every downloaded file) [files...]
  cancel     cancel the unfinished batches (their partial output is downloaded by the next status)
common options: --run <run-id>  --runs-dir <dir> (default: <experiment folder>/.alignment/runs)
                --key <origin>=<ENV_VAR> (repeatable)  --no-cache (export: reuse no earlier answers)  -h, --help
${KEYS_HELP}
${EXIT_CODES_HELP} (1: failed or missing requests, a failed batch)`;

const COMMANDS = ['export', 'submit', 'status', 'import', 'cancel'] as const;
type Command = (typeof COMMANDS)[number];

interface BatchArgs {
  command: Command;
  experiment: string;
  files: string[];
  run?: string;
  runsDir?: string;
  fresh: boolean;
  shards?: number;
  maxLines?: number;
  maxMb?: number;
  wait: boolean;
  interval: number;
  keys: [string, string][];
  noCache: boolean;
}

function parseArgs(argv: string[]): BatchArgs | string {
  const [command, ...rest] = argv;
  if (!command) return 'missing command';
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  if (!(COMMANDS as readonly string[]).includes(command)) return `unknown command "${command}"`;
  const a: BatchArgs = { command: command as Command, experiment: '', files: [], fresh: false, wait: false, interval: 60, keys: [], noCache: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = (): string | undefined => rest[++i];
    const positive = (name: string): number | string => {
      const n = Number(value());
      return Number.isInteger(n) && n > 0 ? n : `${name} needs a whole number > 0`;
    };
    let n: number | string;
    if (arg === '--run') {
      a.run = value();
      if (!a.run || a.run.startsWith('-')) return '--run needs a run id';
    } else if (arg === '--runs-dir') {
      a.runsDir = value();
      if (!a.runsDir) return '--runs-dir needs a folder';
    } else if (arg === '--key') {
      const k = parseKeyFlag(value());
      if (typeof k === 'string') return k;
      a.keys.push(k);
    } else if (arg === '--no-cache') a.noCache = true;
    else if (arg === '--new') a.fresh = true;
    else if (arg === '--wait') a.wait = true;
    else if (arg === '--shards') {
      if (typeof (n = positive('--shards')) === 'string') return n;
      a.shards = n;
    } else if (arg === '--max-lines') {
      if (typeof (n = positive('--max-lines')) === 'string') return n;
      a.maxLines = n;
    } else if (arg === '--max-mb') {
      if (typeof (n = positive('--max-mb')) === 'string') return n;
      a.maxMb = n;
    } else if (arg === '--interval') {
      if (typeof (n = positive('--interval')) === 'string') return n;
      a.interval = n;
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (!a.experiment) a.experiment = arg;
    else if (a.command === 'import') a.files.push(path.resolve(arg));
    else return `unexpected argument ${arg}`;
  }
  if (!a.experiment) return 'missing <experiment.json>';
  if (a.run && a.fresh) return '--run and --new exclude each other';
  return a;
}

/** The run a batch command works on: `--run`, else the latest run of this experiment that has batch files. */
function findRun(runsDir: string, experiment: OpenedExperiment, run?: string): string {
  if (run) {
    const dir = path.join(runsDir, run);
    if (!fs.existsSync(path.join(dir, 'manifest.json'))) throw new ResumeError(`no run "${run}" in ${runsDir}`);
    return dir;
  }
  const spec = JSON.stringify(experiment.plan.spec);
  const runs = listIdleRuns(runsDir).filter((r) => JSON.stringify(r.manifest.experiment) === spec && fs.existsSync(batchDir(r.dir)));
  runs.sort((a, b) => (a.manifest.createdAt < b.manifest.createdAt ? 1 : -1));
  if (!runs.length) throw new ResumeError(`no batch run of this experiment in ${runsDir}: run "alignment-studio batch export" first`);
  return runs[0].dir;
}

function jobLine(j: BatchJob): string {
  const c = j.counts;
  return `  ${j.batchId}  ${j.shard}  ${j.status.padEnd(11)} ${c.completed}/${c.total} done, ${c.failed} failed${j.errors?.length ? `  (${j.errors.join('; ')})` : ''}`;
}

function printImport(r: ImportReport, out: NodeJS.WritableStream, err: NodeJS.WritableStream): void {
  out.write(`imported ${r.imported} answers from ${r.lines} lines of ${r.files} file(s); ${r.duplicates} already in the run; ${r.failed.length} failed; ${r.pending} still missing\n`);
  for (const e of r.errors) err.write(`${e.file}:${e.line}: error: ${e.message}\n`);
  if (r.errorCount > r.errors.length) err.write(`… and ${r.errorCount - r.errors.length} more invalid lines\n`);
  for (const t of r.truncated) err.write(`${t.file}:${t.line}: warning: ${t.message}\n`);
  for (const f of r.failed.slice(0, 20)) err.write(`${f.file}:${f.line}: failed request ${f.customId}: ${f.message}\n`);
  if (r.failed.length > 20) err.write(`… and ${r.failed.length - 20} more failed requests\n`);
  if (r.failed.length || r.pending) out.write('re-export the failed and missing requests with "batch export" (or finish them live with "run")\n');
}

/** Runs the `batch` subcommand; resolves to the process exit code. */
export async function batchCommand(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const args = parseArgs(argv);
  if (args === 'help') {
    out.write(`${BATCH_USAGE}\n`);
    return EXIT_OK;
  }
  if (typeof args === 'string') {
    err.write(`alignment-studio batch: ${args}\n${BATCH_USAGE}\n`);
    return EXIT_BAD_INPUT;
  }
  try {
    const experiment = await openExperiment(args.experiment, createTemplateRenderer);
    for (const w of experiment.warnings) err.write(`${w.file}:${w.line}:${w.column}: warning: ${w.message}\n`);
    const { spec } = experiment.plan;
    const runsDir = path.resolve(args.runsDir ?? path.join(path.dirname(experiment.file), '.alignment', 'runs'));
    const clients = new Map<string, Promise<BatchClient>>();
    const keys = envKeys(loadKeyMapping(args.keys));
    const clientFor = (id: string): Promise<BatchClient> => {
      let c = clients.get(id);
      if (!c) {
        const m = spec.models.find((x) => x.id === id);
        if (!m) throw new InputError(`model "${id}" of the batch is not in the experiment any more`, { file: experiment.file, line: 1, column: 1 }, 'models');
        clients.set(id, (c = createBatchClient(m, keys)));
      }
      return c;
    };

    if (args.command === 'export') {
      const countTokens = await createTokenCounter(spec.models);
      const resume = args.fresh ? 'never' : (args.run ?? 'auto');
      const prepared = prepareRun(experiment, { runsDir, resume, countTokens, cache: !args.noCache });
      for (const line of formatBatchChoice(estimateBatch(experiment.plan, countTokens, prepared.done, prepared.cache))) out.write(`${line}\n`);
      prepared.cache.close();
      const r = exportRunBatch(experiment, {
        runsDir, resume: prepared.resuming ? prepared.runId : 'never', countTokens, cache: !args.noCache, shards: args.shards, maxLinesPerFile: args.maxLines,
        maxBytesPerFile: args.maxMb ? args.maxMb * 1024 * 1024 : undefined, workspaceDir: path.dirname(path.dirname(runsDir)),
      });
      const m = r.manifest;
      out.write(`run ${r.runId}: export ${m.exportId}, ${m.lines} lines (${m.samples} samples) in ${m.shards.length} file(s); ${m.cached} answers copied from earlier runs${m.recorded ? `; ${m.recorded} samples of replay models are not batchable (run them with "run")` : ''}\n`);
      for (const s of m.shards) out.write(`  ${path.join(r.exportDir, s.file)}  ${s.model}  ${s.lines} lines  ${(s.bytes / 1048576).toFixed(1)} MB\n`);
      out.write(`manifest: ${path.join(r.exportDir, 'manifest.json')}\n`);
      return 0;
    }
    const runDir = findRun(runsDir, experiment, args.run);
    if (args.command === 'submit') {
      const latest = listExports(runDir).pop();
      if (!latest) throw new ResumeError(`run ${path.basename(runDir)} has no export: run "alignment-studio batch export" first`);
      if (!latest.shards.length) {
        out.write(`export ${latest.exportId} is empty: nothing to submit\n`);
        return 0;
      }
      const jobs = await submitExport(runDir, latest, clientFor, (j) => out.write(`submitted ${j.shard} as ${j.batchId} (${j.status})\n`));
      if (!jobs.length) out.write(`every shard of export ${latest.exportId} is already submitted\n`);
      out.write(`state: ${path.join(batchDir(runDir), 'jobs.json')}; check with "alignment-studio batch status ${args.experiment}"\n`);
      return 0;
    }
    if (args.command === 'status') {
      if (!readJobs(runDir).jobs.length) throw new ResumeError(`run ${path.basename(runDir)} has no submitted batch: run "alignment-studio batch submit" first`);
      for (;;) {
        const { jobs, downloaded } = await pollJobs(runDir, clientFor);
        out.write(`run ${path.basename(runDir)}: ${jobs.length} batch(es)\n`);
        for (const j of jobs) out.write(`${jobLine(j)}\n`);
        for (const f of downloaded) out.write(`downloaded ${f}\n`);
        if (!args.wait || allTerminal(jobs)) {
          if (allTerminal(jobs)) out.write(`all batches ended; import with "alignment-studio batch import ${args.experiment}"\n`);
          return jobs.some((j) => j.status === 'failed') ? 1 : 0;
        }
        await new Promise((r) => setTimeout(r, args.interval * 1000));
      }
    }
    if (args.command === 'cancel') {
      const jobs = await cancelJobs(runDir, clientFor);
      out.write(jobs.length ? jobs.map((j) => `${jobLine(j)}\n`).join('') : 'no unfinished batch to cancel\n');
      return 0;
    }
    const files = args.files.length ? args.files : listDownloads(runDir);
    if (!files.length) throw new ResumeError(`nothing to import: give output files, or download them with "alignment-studio batch status"`);
    const report = importRunBatch(experiment, runDir, files);
    printImport(report, out, err);
    out.write(`run: ${runDir}\n`);
    if (report.errorCount) return 2;
    return report.failed.length || report.pending ? 1 : 0;
  } catch (e) {
    if (isBadInput(e)) {
      err.write(`alignment-studio batch: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    if (e instanceof Error && /^no such file: /.test(e.message)) {
      err.write(`alignment-studio batch: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
