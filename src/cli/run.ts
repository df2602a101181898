// `alignment-studio run <experiment.json>`: the headless runner (CI, servers). Reuses src/core/run/ only.
import * as path from 'node:path';
import { type KeyLookup } from '../core/run/createOpenAICompleter';
import { createTemplateRenderer } from '../core/run/createTemplateRenderer';
import { createTokenCounter } from '../core/run/createTokenCounter';
import { describeEarlyStop, estimateEarlyStop } from '../core/live/estimateEarlyStop';
import type { LiveSnapshot } from '../core/live/RunMonitor';
import { executeRun } from '../core/run/executeRun';
import { experimentEndpoints, findUnreachableEndpoints, unreachableMessage } from '../core/run/checkEndpoints';
import { openExperiment } from '../core/run/openExperiment';
import { prepareRun } from '../core/run/prepareRun';
import type { RunProgress } from '../core/run/runRequests';
import { EXIT_BAD_INPUT, EXIT_CODES_HELP, EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, isBadInput } from './exitCodes';
import { cliKeys, KEYS_HELP, loadKeyMapping, parseKeyFlag, type KeyMapping } from './keys';

export const RUN_USAGE = `usage: alignment-studio run <experiment.json> [options]
  --resume <run-id>   continue this run (default: the latest unfinished run of the same experiment)
  --new               always start a new run (answers of earlier runs are still reused from the cache)
  --runs-dir <dir>    where runs are written (default: <experiment folder>/.alignment/runs)
  --workspace <dir>   every file the experiment names must lie inside this folder (default: the experiment's folder)
  --no-cache          do not reuse answers of earlier runs (only runs with a valid manifest ever feed the cache)
  --key <origin>=<ENV_VAR>
                      send the key in ENV_VAR to this origin only (repeatable)
  --dry-run           print the estimate (with the expected saving of the stop rules) and exit
  --quiet             no progress bar
  --live              a compact live line instead of the progress bar: scores, the headline delta with its
                      confidence sequence, coverage, and the stop reason
  --ignore-stop       continue past the experiment's stop rules (scoring.stop), e.g. to finish a stopped run
  -h, --help          this help
${KEYS_HELP}
${EXIT_CODES_HELP} (0 also when a stop rule ended the run early; 1: some requests failed or the run failed)`;

interface RunArgs {
  experiment: string;
  resume?: string;
  fresh: boolean;
  runsDir?: string;
  workspace?: string;
  noCache: boolean;
  keys: [string, string][];
  dryRun: boolean;
  quiet: boolean;
  live: boolean;
  ignoreStop: boolean;
  help: boolean;
}

function parseArgs(argv: string[]): RunArgs | string {
  const a: RunArgs = { experiment: '', fresh: false, noCache: false, keys: [], dryRun: false, quiet: false, live: false, ignoreStop: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string | undefined => argv[++i];
    if (arg === '--help' || arg === '-h') return { ...a, help: true };
    if (arg === '--resume') {
      a.resume = value();
      if (!a.resume || a.resume.startsWith('-')) return '--resume needs a run id';
    }
    else if (arg === '--new') a.fresh = true;
    else if (arg === '--runs-dir') {
      a.runsDir = value();
      if (!a.runsDir) return '--runs-dir needs a folder';
    }
    else if (arg === '--workspace') {
      a.workspace = value();
      if (!a.workspace) return '--workspace needs a folder';
    }
    else if (arg === '--no-cache') a.noCache = true;
    else if (arg === '--key') {
      const k = parseKeyFlag(value());
      if (typeof k === 'string') return k;
      a.keys.push(k);
    }
    else if (arg === '--dry-run') a.dryRun = true;
    else if (arg === '--quiet' || arg === '-q') a.quiet = true;
    else if (arg === '--live') a.live = true;
    else if (arg === '--ignore-stop') a.ignoreStop = true;
    else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (!a.experiment) a.experiment = arg;
    else return `unexpected argument ${arg}`;
  }
  if (!a.experiment) return 'missing <experiment.json>';
  if (a.resume !== undefined && a.fresh) return '--resume and --new exclude each other';
  return a;
}

/**
 * The CLI's keys: from the user's mapping (`--key` flags over ~/.config/alignment-studio/keys.json), each only for
 * its own origin; OPENAI_API_KEY for https://api.openai.com only. The experiment file has no say (see keys.ts).
 */
export function envKeys(mapping: KeyMapping = new Map(), env: NodeJS.ProcessEnv = process.env): KeyLookup {
  return cliKeys(mapping, env);
}

function bar(p: RunProgress, width = 28): string {
  const total = Math.max(p.planned, 1);
  const frac = Math.min(1, (p.done + p.failed) / total);
  const filled = Math.round(frac * width);
  const eta = p.etaSec === undefined ? '' : ` eta ${p.etaSec < 90 ? `${Math.ceil(p.etaSec)}s` : `${Math.ceil(p.etaSec / 60)}m`}`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${p.done}/${p.planned} done, ${p.cached} cached, ${p.failed} failed, ${p.ratePerSec.toFixed(1)}/s${eta}${p.cost ? `, $${p.cost.toFixed(4)}` : ''}`;
}

const signedPts = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)}` : '—');

/**
 * One line of live results: `12/50 personas · en-plain 47.1 ar-plain 50.3 · Δ +3.20 CS [+0.41, +6.02] CI [+1.9, +4.5] · 96% scored`
 * (+ `· STOPPED: reason` once a stop rule holds).
 */
export function liveStatus(s: LiveSnapshot): string {
  const parts: string[] = [];
  const seq = s.sequence;
  parts.push(`${seq ? seq.personas : s.personasComplete}/${s.personasPlanned} personas`);
  parts.push(s.conditions.map((c) => `${c.condition} ${Number.isFinite(c.scores.soft) ? (c.scores.soft * 100).toFixed(1) : '—'}`).join(' '));
  if (s.headline) {
    const h = s.headline.soft;
    let d = `Δ ${signedPts(h.delta)}`;
    if (seq && Number.isFinite(seq.lo)) d += ` CS [${signedPts(seq.lo)}, ${signedPts(seq.hi)}]`;
    if (Number.isFinite(h.ciLow)) d += ` CI [${signedPts(h.ciLow)}, ${signedPts(h.ciHigh)}]`;
    parts.push(d);
  }
  const seen = s.conditions.reduce((a, c) => a + c.funnel.itemsSeen, 0);
  const kept = s.conditions.reduce((a, c) => a + c.funnel.kept, 0);
  parts.push(`${seen ? ((100 * kept) / seen).toFixed(0) : '—'}% scored`);
  parts.push(`${s.requests} req${s.cost ? ` $${s.cost.toFixed(4)}` : ''}`);
  if (s.stop) parts.push(`STOPPED (${s.stop.rule}): ${s.stop.reason}`);
  return parts.join(' · ');
}

/** Runs the `run` subcommand; resolves to the process exit code. */
export async function runCommand(argv: string[], out: NodeJS.WriteStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    err.write(`alignment-studio run: ${args}\n${RUN_USAGE}\n`);
    return EXIT_BAD_INPUT;
  }
  if (args.help) {
    out.write(`${RUN_USAGE}\n`);
    return EXIT_OK;
  }
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    err.write('\ninterrupted: stopping (in-flight requests are dropped, answers so far are kept; run again to resume)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const mapping = loadKeyMapping(args.keys);
    const experiment = await openExperiment(args.experiment, createTemplateRenderer, [], args.workspace ? { root: path.resolve(args.workspace) } : {});
    for (const w of experiment.warnings) err.write(`${w.file}:${w.line}:${w.column}: warning: ${w.message}\n`);
    const { spec } = experiment.plan;
    const runsDir = path.resolve(args.runsDir ?? path.join(path.dirname(experiment.file), '.alignment', 'runs'));
    const prepared = prepareRun(experiment, { runsDir, resume: args.fresh ? 'never' : (args.resume ?? 'auto'), countTokens: await createTokenCounter(spec.models), cache: !args.noCache });
    const e = prepared.estimate;
    out.write(`${prepared.resuming ? 'resuming' : 'new'} run ${prepared.runId}\n`);
    out.write(`  ${e.samples} samples: ${e.alreadyDone} already in the run, ${e.cached} from the cache, ${e.requests} requests to make${e.recordedRequests ? ` (${e.recordedRequests} from recorded answers)` : ''}\n`);
    out.write(`  ~${e.inputTokens} input tokens, ≤ ${e.outputTokensMax} output tokens, cost ${e.cost === null ? 'unknown (no price set)' : `≤ $${e.cost.toFixed(4)}`}\n`);
    if (spec.scoring?.stop) {
      if (args.ignoreStop) out.write('  stop rules ignored (--ignore-stop): every persona is asked\n');
      else {
        const saving = await estimateEarlyStop(prepared);
        if (saving) for (const l of describeEarlyStop(saving)) out.write(`  ${l}\n`);
      }
    }
    if (args.dryRun) return EXIT_OK;
    if (e.requests > e.recordedRequests) {
      const unreachable = await findUnreachableEndpoints(experimentEndpoints(spec).endpoints);
      if (unreachable.length) {
        err.write(`error: ${unreachableMessage(unreachable, path.relative(process.cwd(), experiment.file) || experiment.file, 'cli')}\n`);
        return EXIT_FAILED;
      }
    }
    const tty = Boolean(err.isTTY);
    let lastLine = 0;
    let liveLine = '';
    const showLive = (s: LiveSnapshot): void => {
      liveLine = liveStatus(s);
      if (args.quiet) return;
      if (tty) err.write(`\r\x1b[K${liveLine}`);
      else if (Date.now() - lastLine > 2000 || s.final) {
        lastLine = Date.now();
        err.write(`${liveLine}\n`);
      }
    };
    const result = await executeRun(prepared, {
      keys: envKeys(mapping),
      signal: controller.signal,
      workspaceDir: path.dirname(path.dirname(runsDir)),
      log: (m) => {
        if (!args.quiet) err.write(`${tty ? '\r\x1b[K' : ''}${m}\n`);
      },
      ignoreStop: args.ignoreStop,
      ...(args.live ? { onLive: showLive, liveIntervalMs: 300 } : {}),
      onProgress: (p) => {
        if (args.quiet || args.live) return;
        if (tty) err.write(`\r\x1b[K${bar(p)}`);
        else if (Date.now() - lastLine > 2000) {
          lastLine = Date.now();
          err.write(`${bar(p)}\n`);
        }
      },
    });
    const s = result.summary;
    if (!args.quiet) err.write(`${tty ? '\r\x1b[K' : ''}${args.live ? liveLine : bar(s)}\n`);
    out.write(`${s.status}: ${s.done}/${s.planned} answered (${s.cached} cached), ${s.failed} failed, ${s.retries} retries, ${(s.elapsedMs / 1000).toFixed(1)} s${s.cost ? `, $${s.cost.toFixed(4)}` : ''}\n`);
    if (s.error) err.write(`error: ${s.error}\n`);
    if (result.stop) {
      out.write(`stopped early (${result.stop.rule}): ${result.stop.reason}\n`);
      out.write(`  ${result.stop.requests} requests made of ${prepared.estimate.requests + prepared.estimate.alreadyDone} planned; continue with: alignment-studio run ${args.experiment} --resume ${result.runId} --ignore-stop\n`);
    }
    out.write(`run: ${result.runDir}\n`);
    if (s.status === 'cancelled') return EXIT_INTERRUPTED;
    return (s.status === 'completed' || s.status === 'stopped') && s.failed === 0 ? EXIT_OK : EXIT_FAILED;
  } catch (e) {
    if (isBadInput(e)) {
      err.write(`alignment-studio run: ${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
