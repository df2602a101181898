// `alignment-studio run <experiment.json>`: the headless runner (CI, servers). Reuses src/core/run/ only.
import * as path from 'node:path';
import { InputError } from '../core/errors';
import type { ModelSpec } from '../core/experiment';
import { originOf } from '../core/run/createOpenAICompleter';
import { createTemplateRenderer } from '../core/run/createTemplateRenderer';
import { createTokenCounter } from '../core/run/createTokenCounter';
import { describeEarlyStop, estimateEarlyStop } from '../core/live/estimateEarlyStop';
import type { LiveSnapshot } from '../core/live/RunMonitor';
import { executeRun } from '../core/run/executeRun';
import { experimentEndpoints, findUnreachableEndpoints, unreachableMessage } from '../core/run/checkEndpoints';
import { openExperiment } from '../core/run/openExperiment';
import { prepareRun, ResumeError } from '../core/run/prepareRun';
import type { RunProgress } from '../core/run/runRequests';

export const RUN_USAGE = `usage: alignment-studio run <experiment.json> [options]
  --resume <run-id>   continue this run (default: the latest unfinished run of the same experiment)
  --new               always start a new run (answers of earlier runs are still reused from the cache)
  --runs-dir <dir>    where runs are written (default: <experiment folder>/.alignment/runs)
  --dry-run           print the estimate (with the expected saving of the stop rules) and exit
  --quiet             no progress bar
  --live              a compact live line instead of the progress bar: scores, the headline delta with its
                      confidence sequence, coverage, and the stop reason
  --ignore-stop       continue past the experiment's stop rules (scoring.stop), e.g. to finish a stopped run
API keys come from the environment: the variable named by a model's "apiKeyEnv", else OPENAI_API_KEY,
and are only ever sent to that model's own endpoint.
exit codes: 0 every request answered (or a stop rule ended the run early), 1 some requests failed or the run
failed, 2 bad input, 130 interrupted`;

interface RunArgs {
  experiment: string;
  resume?: string;
  fresh: boolean;
  runsDir?: string;
  dryRun: boolean;
  quiet: boolean;
  live: boolean;
  ignoreStop: boolean;
}

function parseArgs(argv: string[]): RunArgs | string {
  const a: RunArgs = { experiment: '', fresh: false, dryRun: false, quiet: false, live: false, ignoreStop: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string | undefined => argv[++i];
    if (arg === '--resume') {
      a.resume = value();
      if (!a.resume || a.resume.startsWith('-')) return '--resume needs a run id';
    }
    else if (arg === '--new') a.fresh = true;
    else if (arg === '--runs-dir') {
      a.runsDir = value();
      if (!a.runsDir) return '--runs-dir needs a folder';
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

/** Keys from the environment, each only for its own model's origin. */
export function envKeys(models: readonly ModelSpec[], env: NodeJS.ProcessEnv = process.env): (origin: string) => string | undefined {
  return (origin) => {
    for (const m of models) {
      if (m.kind !== 'openai' || !m.baseURL || originOf(m.baseURL) !== origin) continue;
      const value = env[m.apiKeyEnv ?? 'OPENAI_API_KEY'];
      if (value) return value;
    }
    return undefined;
  };
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
    return 2;
  }
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    err.write('\ninterrupted: stopping (in-flight requests are dropped, answers so far are kept; run again to resume)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const experiment = await openExperiment(args.experiment, createTemplateRenderer);
    for (const w of experiment.warnings) err.write(`${w.file}:${w.line}:${w.column}: warning: ${w.message}\n`);
    const { spec } = experiment.plan;
    const runsDir = path.resolve(args.runsDir ?? path.join(path.dirname(experiment.file), '.alignment', 'runs'));
    const prepared = prepareRun(experiment, { runsDir, resume: args.fresh ? 'never' : (args.resume ?? 'auto'), countTokens: await createTokenCounter(spec.models) });
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
    if (args.dryRun) return 0;
    if (e.requests > e.recordedRequests) {
      const unreachable = await findUnreachableEndpoints(experimentEndpoints(spec).endpoints);
      if (unreachable.length) {
        err.write(`error: ${unreachableMessage(unreachable, path.relative(process.cwd(), experiment.file) || experiment.file, 'cli')}\n`);
        return 1;
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
      keys: envKeys(spec.models),
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
    if (s.status === 'cancelled') return 130;
    return (s.status === 'completed' || s.status === 'stopped') && s.failed === 0 ? 0 : 1;
  } catch (e) {
    if (e instanceof InputError || e instanceof ResumeError) {
      err.write(`alignment-studio run: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
