// `alignment-studio batch export|submit|status|import|cancel`: a run through the OpenAI Batch API or vLLM's
// run_batch (same JSONL). Reuses src/core/batch/ and the run engine's request building.
import * as path from 'node:path';
import { InputError } from '../core/errors';
import { allTerminal, cancelJobs, markImported, pollJobs, readJobs, submitExport, type BatchJob } from '../core/batch/batchJobs';
import { findBatchRun } from '../core/batch/batchProgress';
import { estimateRunBatch, exportRunBatch, importRunBatch, listDownloads, listExports } from '../core/batch/batchRun';
import { batchDir, MAX_BYTES_PER_FILE, MAX_LINES_PER_FILE } from '../core/batch/batchFormat';
import { createBatchClient, type BatchClient } from '../core/batch/createBatchClient';
import { formatBatchChoice } from '../core/batch/estimateBatch';
import { vllmRunBatchCommands } from '../core/batch/vllmCommands';
import type { ImportReport } from '../core/batch/importBatchOutput';
import { createTemplateRenderer } from '../core/run/createTemplateRenderer';
import { createTokenCounter } from '../core/run/createTokenCounter';
import { openExperiment } from '../core/run/openExperiment';
import { ResumeError } from '../core/run/prepareRun';
import { EXIT_BAD_INPUT, EXIT_CODES_HELP, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, isBadInput } from './exitCodes';
import { KEYS_HELP, loadKeyMapping, parseKeyFlag } from './keys';
import { envKeys } from './run';

export const BATCH_USAGE = `usage: alignment-studio batch <command> <experiment.json> [options]
  estimate   live vs batch for what the run still lacks: requests, tokens, price (a model's "batchDiscount"), duration
  export     write the requests the run still lacks as Batch JSONL shards + manifest.json in <run>/batch/exports/<n>/
             (answers of earlier runs are copied into the run instead)
  submit     upload the latest export's shards and create one batch per shard (files + batches APIs of the model's baseURL)
  status     refresh the batches, download finished output and error files into <run>/batch/downloads/
  import     import output files (OpenAI Batch or vLLM run_batch) into the run (default: every downloaded file)
  cancel     cancel the unfinished batches (their partial output is downloaded by the next status)
"alignment-studio batch <command> --help" shows a command's options.
common options: --run <run-id>  --runs-dir <dir> (default: <experiment folder>/.alignment/runs)
                --key <origin>=<ENV_VAR> (repeatable)  --no-cache (estimate/export: reuse no earlier answers)  -h, --help
${KEYS_HELP}
${EXIT_CODES_HELP} (1: failed or missing requests, a failed batch)`;

const COMMON = `  --run <run-id>      the run to work on (default: the latest run of this experiment with batch files)
  --runs-dir <dir>    where runs are (default: <experiment folder>/.alignment/runs)
  --key <origin>=<ENV_VAR>
                      send the key in ENV_VAR to this origin only (repeatable; OPENAI_API_KEY goes to api.openai.com only)`;

const COMMAND_USAGE: Record<Command, string> = {
  estimate: `usage: alignment-studio batch estimate <experiment.json> [--run <run-id> | --new] [--runs-dir <dir>]
Prints live vs batch for the requests the run (the one "run" or "batch export" would continue) still lacks:
requests, input and output tokens, price (batch: less the model's "batchDiscount", e.g. 0.5 for OpenAI) and
expected duration. Sends nothing.`,
  export: `usage: alignment-studio batch export <experiment.json> [options]
Writes the requests the run still lacks as Batch JSONL (one request per line, custom_id = request hash) into
<run>/batch/exports/<n>/ with a manifest.json; answers of earlier runs are copied into the run instead.
Continues the latest unfinished run of this experiment (so a second export holds exactly the failed and
missing requests of the first), else starts one.
  --shards <N>        exactly N files per model, balanced (one per GPU node for vLLM run_batch); no per-file limits
  --max-lines <N>     lines per file (default 50000, the OpenAI limit)
  --max-mb <N>        MB per file (default 200, the OpenAI limit)
  --new               start a new run
${COMMON}`,
  submit: `usage: alignment-studio batch submit <experiment.json> [options]
Uploads the shards of the run's latest export (files API, purpose "batch") and creates one batch per shard
(batches API, /v1/chat/completions, 24 h window) at each model's baseURL. The batch ids are saved in
<run>/batch/jobs.json after each shard, so submitting again (after a restart) submits only what is missing.
${COMMON}`,
  status: `usage: alignment-studio batch status <experiment.json> [options]
Refreshes every batch of the run and downloads the output and error files of the ended ones into
<run>/batch/downloads/ (expired and cancelled batches have partial output). Exit code 1 when a batch failed.
  --wait              poll until every batch has ended
  --interval <s>      seconds between polls with --wait (default 60)
${COMMON}`,
  import: `usage: alignment-studio batch import <experiment.json> [files...] [options]
Imports output files (OpenAI Batch or vLLM run_batch; default: every file "status" downloaded) into the run.
Idempotent: importing twice or overlapping files adds nothing. Every line is checked; invalid lines are
reported as file:line (exit code 2), failed and missing requests are listed (exit code 1): export again to
batch them, or "run" the experiment to finish them live.
${COMMON}`,
  cancel: `usage: alignment-studio batch cancel <experiment.json> [options]
Asks every unfinished batch of the run to stop; the next "status" downloads their partial output.
${COMMON}`,
};

const COMMANDS = ['estimate', 'export', 'submit', 'status', 'import', 'cancel'] as const;
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

/** Parsed arguments, a usage problem (a message), or a request for help (the text to print). */
function parseArgs(argv: string[]): BatchArgs | string | { help: string } {
  const [command, ...rest] = argv;
  if (!command) return 'missing command';
  if (command === '--help' || command === '-h' || command === 'help') return { help: BATCH_USAGE };
  if (!(COMMANDS as readonly string[]).includes(command)) return `unknown command "${command}"`;
  if (rest.includes('--help') || rest.includes('-h')) return { help: COMMAND_USAGE[command as Command] };
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
    } else if (arg === '--no-cache' && (a.command === 'export' || a.command === 'estimate')) a.noCache = true;
    else if (arg === '--new' && (a.command === 'export' || a.command === 'estimate')) a.fresh = true;
    else if (arg === '--wait' && a.command === 'status') a.wait = true;
    else if (arg === '--interval' && a.command === 'status') {
      if (typeof (n = positive('--interval')) === 'string') return n;
      a.interval = n;
    } else if (arg === '--shards' && a.command === 'export') {
      if (typeof (n = positive('--shards')) === 'string') return n;
      a.shards = n;
    } else if (arg === '--max-lines' && a.command === 'export') {
      if (typeof (n = positive('--max-lines')) === 'string') return n;
      a.maxLines = n;
    } else if (arg === '--max-mb' && a.command === 'export') {
      if (typeof (n = positive('--max-mb')) === 'string') return n;
      a.maxMb = n;
    } else if (arg.startsWith('-')) return `unknown option ${arg} for "batch ${a.command}"`;
    else if (!a.experiment) a.experiment = arg;
    else if (a.command === 'import') a.files.push(path.resolve(arg));
    else return `unexpected argument ${arg}`;
  }
  if (!a.experiment) return 'missing <experiment.json>';
  if (a.run && a.fresh) return '--run and --new exclude each other';
  if (a.shards && (a.maxLines || a.maxMb)) return '--shards makes exactly N files per model: it excludes --max-lines and --max-mb';
  return a;
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
  if (typeof args === 'string') {
    err.write(`alignment-studio batch: ${args}\n${BATCH_USAGE}\n`);
    return EXIT_BAD_INPUT;
  }
  if ('help' in args) {
    out.write(`${args.help}\n`);
    return EXIT_OK;
  }
  // Network commands stop between steps on Ctrl-C (state is saved after each); a second Ctrl-C exits at once.
  // export and import are one synchronous pass: Ctrl-C ends them (exit 130) and both are safe to run again.
  const interrupt = new AbortController();
  const onSignal = (): void => {
    if (interrupt.signal.aborted) process.exit(EXIT_INTERRUPTED);
    err.write('\ninterrupted: stopping (the batches keep running at the provider; their ids are in the run folder)\n');
    interrupt.abort();
  };
  const network = args.command === 'submit' || args.command === 'status' || args.command === 'cancel';
  if (network) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    return await batchSubcommand(args, out, err, interrupt.signal);
  } catch (e) {
    if (isBadInput(e) || (e instanceof Error && /^no such file: /.test(e.message))) {
      err.write(`alignment-studio batch: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  } finally {
    if (network) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

async function batchSubcommand(args: BatchArgs, out: NodeJS.WritableStream, err: NodeJS.WritableStream, signal: AbortSignal): Promise<number> {
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
  const resume = args.fresh ? 'never' : (args.run ?? 'auto');

  if (args.command === 'estimate') {
    const countTokens = await createTokenCounter(spec.models);
    const e = estimateRunBatch(experiment, { runsDir, resume, countTokens, cache: !args.noCache });
    out.write(`${e.resuming ? `continuing run ${e.runId}` : 'a new run'} of "${spec.name}": what is still missing\n`);
    for (const line of formatBatchChoice(e.choice)) out.write(`${line}\n`);
    if (e.choice.recordedRequests) out.write(`(${e.choice.recordedRequests} requests of replay models are answered offline from recordings, by "run")\n`);
    for (const m of e.choice.models) {
      if (e.choice.models.length > 1) out.write(`  ${m.model}: ${m.requests} requests, live ${m.liveCost === null ? 'price unknown' : `≤ $${m.liveCost.toFixed(4)}`}, batch ${m.batchCost === null ? 'price unknown' : `≤ $${m.batchCost.toFixed(4)}`}\n`);
    }
    out.write('run it live with "alignment-studio run", or as a batch with "alignment-studio batch export" then "batch submit" (or vLLM run_batch)\n');
    return 0;
  }
  if (args.command === 'export') {
    const countTokens = await createTokenCounter(spec.models);
    const r = exportRunBatch(experiment, {
      runsDir, resume, countTokens, cache: !args.noCache, shards: args.shards, maxLinesPerFile: args.maxLines,
      maxBytesPerFile: args.maxMb ? args.maxMb * 1024 * 1024 : undefined, workspaceDir: path.dirname(path.dirname(runsDir)),
    });
    const m = r.manifest;
    for (const line of formatBatchChoice(r.choice)) out.write(`${line}\n`);
    out.write(`run ${r.runId}${r.resumed ? ' (continued)' : ''}: export ${m.exportId}, ${m.lines} lines (${m.samples} samples) in ${m.shards.length} file(s); ${m.cached} answers copied from earlier runs${m.recorded ? `; ${m.recorded} samples of replay models are not batchable (run them with "run")` : ''}\n`);
    for (const s of m.shards) out.write(`  ${path.join(r.exportDir, s.file)}  ${s.model}  ${s.lines} lines  ${(s.bytes / 1048576).toFixed(1)} MB\n`);
    if (args.shards && m.shards.some((s) => s.lines > MAX_LINES_PER_FILE || s.bytes > MAX_BYTES_PER_FILE)) {
      out.write(`note: files over the OpenAI Batch limits (${MAX_LINES_PER_FILE} lines, ${MAX_BYTES_PER_FILE / 1048576} MB) are fine for vLLM run_batch; for OpenAI, export without --shards\n`);
    }
    out.write(`manifest: ${path.join(r.exportDir, 'manifest.json')}\n`);
    if (args.shards && m.shards.length) {
      out.write(`vLLM: run shard i on GPU node i (in a folder holding it), then copy the outputs into ${path.join(batchDir(r.runDir), 'downloads')}/ and run "alignment-studio batch import ${args.experiment}":\n`);
      for (const c of vllmRunBatchCommands(m, spec)) out.write(`  ${c}\n`);
    }
    return 0;
  }
  const runDir = findBatchRun(runsDir, experiment, args.run);
  if (args.command === 'submit') {
    const latest = listExports(runDir).pop();
    if (!latest) throw new ResumeError(`run ${path.basename(runDir)} has no export: run "alignment-studio batch export" first`);
    if (!latest.shards.length) {
      out.write(`export ${latest.exportId} is empty: nothing to submit\n`);
      return 0;
    }
    const jobs = await submitExport(runDir, latest, clientFor, (j) => out.write(`submitted ${j.shard} as ${j.batchId} (${j.status})\n`), signal);
    if (signal.aborted) return EXIT_INTERRUPTED;
    if (!jobs.length) out.write(`every shard of export ${latest.exportId} is already submitted\n`);
    out.write(`state: ${path.join(batchDir(runDir), 'jobs.json')}; check with "alignment-studio batch status ${args.experiment}"\n`);
    return 0;
  }
  if (args.command === 'status') {
    if (!readJobs(runDir).jobs.length) throw new ResumeError(`run ${path.basename(runDir)} has no submitted batch: run "alignment-studio batch submit" first`);
    for (;;) {
      const { jobs, downloaded } = await pollJobs(runDir, clientFor, signal);
      out.write(`run ${path.basename(runDir)}: ${jobs.length} batch(es)\n`);
      for (const j of jobs) out.write(`${jobLine(j)}\n`);
      for (const f of downloaded) out.write(`downloaded ${f}\n`);
      if (signal.aborted) return EXIT_INTERRUPTED;
      if (!args.wait || allTerminal(jobs)) {
        if (allTerminal(jobs)) out.write(`all batches ended; import with "alignment-studio batch import ${args.experiment}"\n`);
        return jobs.some((j) => j.status === 'failed') ? EXIT_FAILED : EXIT_OK;
      }
      await sleep(args.interval * 1000, signal);
      if (signal.aborted) return EXIT_INTERRUPTED;
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
  // The downloads are in: watching the ended batches (in VS Code too) is over.
  if (!args.files.length) markImported(runDir);
  printImport(report, out, err);
  out.write(`run: ${runDir}\n`);
  if (report.errorCount) return EXIT_BAD_INPUT;
  return report.failed.length || report.pending ? EXIT_FAILED : EXIT_OK;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
