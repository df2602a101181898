// `alignment-studio augment <experiment.culture.json>`: CultureLLM's semantic augmentation of the seed questions.
import * as path from 'node:path';
import { acceptPassing, reviewProgress } from '../core/culture/augmentationFile';
import { applyThreshold } from '../core/culture/augmentSeeds';
import { augmentExperiment, loadAugmentation, saveAugmentation } from '../core/culture/augmentExperiment';
import { openCultureExperiment } from '../core/culture/openCultureExperiment';
import { InputError } from '../core/errors';
import { findUnreachableEndpoints, unreachableMessage } from '../core/run/checkEndpoints';
import { KEYS_HELP, loadKeyMapping } from './keys';
import { intFlag, keyFlags, numberFlag, parseFlags, UsageError, writeOut } from './parseFlags';
import { envKeys } from './run';

export const AUGMENT_USAGE = `usage: alignment-studio augment <experiment.culture.json> [options]
  Asks the experiment's "augmentation.model" for k paraphrases of each seed question (prompt: a template in
  prompts/), embeds seed and paraphrases through the "augmentation.embeddings" endpoint (OpenAI-compatible
  /v1/embeddings) and marks as passed those with cosine similarity ≥ τ (optionally also: the model answers the
  paraphrase as it answers the seed). Candidates go to the decisions file ("augmentation.file") as pending, for
  review in VS Code ("Alignment Studio: Review Augmentation") or with --accept-passing; accepted paraphrases become
  question variants (experiment "variants": "all") and fine-tuning records (finetune-data).

  --questions <Q27,Q28>  only these seeds (default: the experiment's questions)
  --k <n>                paraphrases per seed (default: the experiment's, else 5)
  --tau <x>              similarity threshold τ (default: the experiment's, else 0.8); re-applied to earlier candidates
  --check-answers        also require the same answer to paraphrase and seed   --no-check-answers  do not
  --more                 ask again for seeds that already have candidates
  --accept-passing       accept every pending candidate that passed (no review)
  --status               print the review progress of the decisions file and exit (with --tau: re-threshold only)
  --json                 print the result as JSON
${KEYS_HELP}
exit codes: 0 ok, 1 some requests failed, 2 bad input or usage, 130 interrupted`;

const VALUE = ['questions', 'k', 'tau', 'key'];
const BOOL = ['check-answers', 'no-check-answers', 'more', 'accept-passing', 'status', 'json', 'help', 'quiet'];

export async function augmentCommand(argv: string[], out: NodeJS.WriteStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Promise<number> {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    err.write('\ninterrupted: stopping (candidates of finished seeds are kept)\n');
    controller.abort();
  };
  try {
    const flags = parseFlags(argv, VALUE, BOOL);
    if (flags.bools.has('help')) {
      await writeOut(out, `${AUGMENT_USAGE}\n`);
      return 0;
    }
    if (flags.positional.length !== 1) throw new UsageError('give one experiment file (*.culture.json)');
    if (flags.bools.has('check-answers') && flags.bools.has('no-check-answers')) throw new UsageError('--check-answers and --no-check-answers exclude each other');
    const tau = numberFlag(flags, 'tau', -1, 1);
    const k = intFlag(flags, 'k', 1, 50);
    const checkAnswers = flags.bools.has('check-answers') ? true : flags.bools.has('no-check-answers') ? false : undefined;
    const questions = flags.values.get('questions')?.split(',').map((s) => s.trim()).filter(Boolean);
    const exp = await openCultureExperiment(flags.positional[0]!);
    for (const w of exp.warnings) err.write(`${w.file}:${w.line}:${w.column}: warning: ${w.message}\n`);
    if (flags.bools.has('status')) {
      const { file, augmentation, exists } = loadAugmentation(exp);
      let a = augmentation;
      if (tau !== undefined || checkAnswers !== undefined) a = applyThreshold(a, tau ?? a.settings.tau, checkAnswers ?? a.settings.checkAnswers);
      if (flags.bools.has('accept-passing')) a = acceptPassing(a);
      if (exists && a !== augmentation) saveAugmentation(file, a);
      const p = reviewProgress(a);
      await writeOut(out, flags.bools.has('json') ? `${JSON.stringify({ file, ...p, tau: a.settings.tau }, null, 1)}\n`
        : `${path.relative(process.cwd(), file) || file}: ${p.total} candidates, ${p.passed} passed τ ${a.settings.tau}; ${p.accepted} accepted (${p.edited} edited), ${p.rejected} rejected, ${p.pending} pending\n`);
      return 0;
    }
    const spec = exp.spec.augmentation;
    const endpoints = [spec?.model?.baseURL ? { modelId: spec.model.id, baseURL: spec.model.baseURL } : null, spec?.embeddings ? { modelId: spec.embeddings.model, baseURL: spec.embeddings.baseURL } : null].filter((x): x is { modelId: string; baseURL: string } => x !== null);
    const unreachable = await findUnreachableEndpoints(endpoints);
    if (unreachable.length) {
      err.write(`error: ${unreachableMessage(unreachable, path.relative(process.cwd(), exp.file) || exp.file, 'cli')}\n`);
      return 1;
    }
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // The user's own key mapping, never the experiment file's apiKeyEnv (docs/security.md).
    const keyFor = envKeys(loadKeyMapping(keyFlags(flags)));
    const quiet = flags.bools.has('quiet');
    const result = await augmentExperiment(exp, {
      keys: keyFor, signal: controller.signal, questions, k, tau, checkAnswers, more: flags.bools.has('more'), acceptPassing: flags.bools.has('accept-passing'),
      log: (m) => { if (!quiet) err.write(`${m}\n`); },
      onProgress: (p) => { if (!quiet) err.write(`  ${p.done}/${p.total} ${p.questionId}: ${p.candidates} candidates\n`); },
    });
    const progress = reviewProgress(result.file);
    if (flags.bools.has('json')) {
      await writeOut(out, `${JSON.stringify({ file: result.path, added: result.added, passed: result.passed, failed: result.failed, skipped: result.skipped, cancelled: result.cancelled, progress }, null, 1)}\n`);
    } else {
      const fresh = new Set(result.file.candidates.slice(result.file.candidates.length - result.added).map((c) => c.id));
      const lines = [`${result.added} new candidates, ${result.passed} passed τ ${result.file.settings.tau}${result.file.settings.checkAnswers ? ' and the answer check' : ''}; saved to ${path.relative(process.cwd(), result.path) || result.path}`];
      for (const c of result.file.candidates) {
        if (!fresh.has(c.id)) continue;
        lines.push(`  ${c.passed ? '✓' : '✗'} ${c.id.padEnd(8)} ${c.similarity === null ? '   —  ' : c.similarity.toFixed(3)}  ${c.text}${c.reason ? `  (${c.reason})` : ''}${c.status === 'accepted' ? '  [accepted]' : ''}`);
      }
      if (result.skipped.length) lines.push(`skipped (already augmented; --more asks again): ${result.skipped.join(', ')}`);
      for (const f of result.failed) lines.push(`failed ${f.questionId}: ${f.error}`);
      lines.push(`review: ${progress.accepted} accepted, ${progress.rejected} rejected, ${progress.pending} pending of ${progress.total}`);
      await writeOut(out, `${lines.join('\n')}\n`);
    }
    if (result.cancelled) return 130;
    return result.failed.length ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      err.write(`alignment-studio augment: ${e.message}\n${AUGMENT_USAGE}\n`);
      return 2;
    }
    if (e instanceof InputError || e instanceof RangeError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      err.write(`alignment-studio augment: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
