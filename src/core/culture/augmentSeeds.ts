import { readFile } from 'node:fs/promises';
import type { ModelSpec } from '../experiment';
import type { ChatMessage } from '../model';
import { defaultSleep } from '../run/RateLimiter';
import { RequestError } from '../run/RequestError';
import type { Completer, WorkItem } from '../run/WorkItem';
import { loadPartials } from '../template/templateFiles';
import type { PromptContext } from '../template/PromptContext';
import { renderPrompt } from '../template/renderPrompt';
import { InputError } from '../errors';
import type { AugmentationFile, AugmentCandidate } from './augmentationFile';
import { cosineSimilarity, type Embedder } from './createEmbedder';
import { seedUserMessage } from './importSeedSurvey';
import { parseCultureAnswer } from './parseCultureAnswer';
import type { SeedQuestion } from './types';

/** What the paraphrase template (`prompts/paraphrase.en.hbs`) receives. */
export interface ParaphraseContext {
  k: number;
  lang: string;
  question: { id: string; text: string; min: number; max: number; scale: Array<{ code: number; label: string }> };
}

/** The paraphrases in a model reply: one per line, numbering, bullets and quotes stripped; duplicates and the seed dropped. */
export function parseParaphrases(reply: string, seed: string, k: number): string[] {
  const norm = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const seen = new Set([norm(seed)]);
  const out: string[] = [];
  for (const raw of reply.split(/\r?\n/)) {
    const line = raw.replace(/^\s*(?:\d+\s*[.)\]:-]|[-*•])\s*/, '').replace(/^["“'«]+|["”'»]+$/g, '').trim();
    if (line.length < 8 || /^(here are|paraphrases?:|sure[,!])/i.test(line)) continue;
    if (seen.has(norm(line))) continue;
    seen.add(norm(line));
    out.push(line);
    if (out.length === k) break;
  }
  return out;
}

/** Why a candidate did not pass, or undefined when it did. */
export function candidateVerdict(c: Pick<AugmentCandidate, 'similarity' | 'answerCheck'>, tau: number, checkAnswers: boolean): string | undefined {
  if (c.similarity === null) return 'not embedded';
  if (c.similarity < tau) return `similarity ${c.similarity.toFixed(3)} < τ ${tau.toFixed(2)}`;
  if (checkAnswers && c.answerCheck && !c.answerCheck.agree) return `answers differ (seed ${c.answerCheck.seed ?? '—'}, paraphrase ${c.answerCheck.paraphrase ?? '—'})`;
  return undefined;
}

/** Re-applies τ (and the answer rule) to every candidate, e.g. after the τ setting changed; decisions are kept. */
export function applyThreshold(a: AugmentationFile, tau: number, checkAnswers = a.settings.checkAnswers): AugmentationFile {
  return {
    ...a,
    settings: { ...a.settings, tau, checkAnswers },
    candidates: a.candidates.map((c) => {
      const reason = candidateVerdict(c, tau, checkAnswers);
      const next: AugmentCandidate = { ...c, passed: reason === undefined };
      delete next.reason;
      if (reason) next.reason = reason;
      return next;
    }),
  };
}

export interface AugmentOptions {
  /** The paraphrase template file and its source. */
  promptFile: string;
  promptSource: string;
  partials?: Record<string, string>;
  completer: Completer;
  model: ModelSpec;
  embed: Embedder;
  k: number;
  tau: number;
  checkAnswers: boolean;
  /** Samples per answer check (majority), default 3. */
  checkSamples?: number;
  /** Questions that already have candidates get `k` more only with `more`. */
  more?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; questionId: string; candidates: number }) => void;
  log?: (m: string) => void;
  /** Parallel questions (default the model's concurrency, else 4). */
  concurrency?: number;
  now?: () => string;
}

export interface AugmentResult {
  file: AugmentationFile;
  /** New candidates and how many of them passed. */
  added: number;
  passed: number;
  /** Questions whose requests failed for good (with why). */
  failed: Array<{ questionId: string; error: string }>;
  skipped: string[];
  cancelled: boolean;
}

/** Renders the paraphrase prompt for one seed (strict variables, as every template). */
export function paraphrasePrompt(source: string, file: string, q: SeedQuestion, k: number, partials: Record<string, string> = {}): ChatMessage[] {
  const context: ParaphraseContext = { k, lang: 'en', question: { id: q.id, text: q.text.en!, min: q.min, max: q.max, scale: q.options.en ?? [] } };
  const r = renderPrompt(source, context as unknown as PromptContext, { file, partials });
  const error = r.diagnostics.find((d) => d.severity === 'error');
  if (error) throw new InputError(error.message, { file: error.file, line: error.line, column: error.column }, error.field);
  return r.messages;
}

/** Reads a paraphrase template and the partials of its folder. */
export async function loadParaphrasePrompt(file: string): Promise<{ source: string; partials: Record<string, string> }> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch {
    throw new InputError(`paraphrase template not found: ${file}`, { file, line: 1, column: 1 }, 'prompt');
  }
  return { source, partials: await loadPartials(file) };
}

async function withRetries<T>(what: string, model: ModelSpec, fn: () => Promise<T>, signal: AbortSignal | undefined, log?: (m: string) => void): Promise<T> {
  const max = model.maxRetries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const err = e instanceof RequestError ? e : new RequestError(e instanceof Error ? e.message : String(e), true);
      if (signal?.aborted || !err.retryable || attempt >= max) throw err;
      const delay = err.retryAfterMs ?? Math.min(8000, 300 * 2 ** attempt) * (0.5 + Math.random() / 2);
      log?.(`retry ${attempt + 1}/${max} of ${what} in ${Math.round(delay)} ms: ${err.message}`);
      await defaultSleep(delay, signal);
    }
  }
}

function item(model: ModelSpec, questionId: string, messages: ChatMessage[]): WorkItem {
  return { condition: 'augment', model, lang: 'en', personaId: 'augment', questionId, variant: 0, messages, samples: [] };
}

/**
 * CultureLLM's semantic augmentation of the seed questions: for each seed, ask the model for `k` paraphrases (the
 * prompt is a template), embed the seed and its paraphrases, and keep as passed those whose cosine similarity to the
 * seed is ≥ τ; optionally also require that the model gives the paraphrase the same (majority) answer as the seed.
 * New candidates are appended to the decisions file as pending, for review; existing decisions are never touched.
 */
export async function augmentSeeds(file: AugmentationFile, seeds: readonly SeedQuestion[], options: AugmentOptions): Promise<AugmentResult> {
  const now = options.now ?? (() => new Date().toISOString());
  const checkSamples = options.checkSamples ?? 3;
  const todo = seeds.filter((q) => options.more || !file.candidates.some((c) => c.questionId === q.id));
  const skipped = seeds.filter((q) => !todo.includes(q)).map((q) => q.id);
  const results = new Map<string, AugmentCandidate[]>();
  const failed: AugmentResult['failed'] = [];
  let done = 0;
  const ask = async (q: SeedQuestion, messages: ChatMessage[], n: number): Promise<string[]> =>
    (await withRetries(`${q.id}`, options.model, async () => (await options.completer.complete({ item: item(options.model, q.id, messages), n, signal: options.signal ?? new AbortController().signal, sampleIndices: Array.from({ length: n }, (_, i) => i) })).texts, options.signal, options.log));
  const majority = (texts: string[], q: SeedQuestion): number | null => {
    const counts = new Map<number, number>();
    for (const t of texts) {
      const c = parseCultureAnswer(t, q);
      if (c !== null) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    let best: number | null = null;
    for (const [c, n] of counts) if (best === null || n > counts.get(best)! || (n === counts.get(best)! && c < best)) best = c;
    return best;
  };
  const answer = async (q: SeedQuestion, text: string): Promise<number | null> => {
    const user = seedUserMessage({ ...q, text: { ...q.text, en: text }, printedCodes: undefined, end: '.' });
    const messages: ChatMessage[] = [{ role: 'user', content: user }];
    // One request per sample unless the endpoint takes n.
    const replies: string[] = [];
    if (options.model.useN) replies.push(...await ask(q, messages, checkSamples));
    else for (let s = 0; s < checkSamples; s++) replies.push(...await ask(q, messages, 1));
    return majority(replies, q);
  };
  const one = async (q: SeedQuestion): Promise<void> => {
    const seedText = q.text.en!;
    const reply = await ask(q, paraphrasePrompt(options.promptSource, options.promptFile, q, options.k, options.partials), 1);
    const texts = parseParaphrases(reply[0] ?? '', seedText, options.k);
    if (texts.length === 0) throw new RequestError(`no paraphrase in the reply: ${JSON.stringify((reply[0] ?? '').slice(0, 120))}`, false);
    const vectors = await withRetries(`embeddings of ${q.id}`, options.model, () => options.embed([seedText, ...texts], options.signal), options.signal, options.log);
    const seedAnswer = options.checkAnswers ? await answer(q, seedText) : null;
    const start = file.candidates.filter((c) => c.questionId === q.id).length;
    const out: AugmentCandidate[] = [];
    for (const [i, text] of texts.entries()) {
      const c: AugmentCandidate = { id: `${q.id}#${start + i + 1}`, questionId: q.id, lang: 'en', text, similarity: Math.round(cosineSimilarity(vectors[0]!, vectors[i + 1]!) * 1e6) / 1e6, passed: false, status: 'pending' };
      if (options.checkAnswers && c.similarity! >= options.tau) {
        const p = await answer(q, text);
        c.answerCheck = { seed: seedAnswer, paraphrase: p, agree: seedAnswer !== null && p === seedAnswer };
      }
      const reason = candidateVerdict(c, options.tau, options.checkAnswers);
      c.passed = reason === undefined;
      if (reason) c.reason = reason;
      out.push(c);
    }
    results.set(q.id, out);
  };
  const queue = [...todo];
  const width = Math.max(1, options.concurrency ?? options.model.concurrency ?? 4);
  await Promise.all(Array.from({ length: Math.min(width, queue.length) }, async () => {
    for (let q = queue.shift(); q && !options.signal?.aborted; q = queue.shift()) {
      try {
        await one(q);
      } catch (e) {
        if (options.signal?.aborted) return;
        const msg = e instanceof Error ? e.message : String(e);
        failed.push({ questionId: q.id, error: msg });
        options.log?.(`augment ${q.id} failed: ${msg}`);
        if (e instanceof RequestError && e.fatalForRun) queue.length = 0;
      }
      done++;
      options.onProgress?.({ done, total: todo.length, questionId: q.id, candidates: results.get(q.id)?.length ?? 0 });
    }
  }));
  // Candidates in seed order, whatever order the requests finished in.
  const added = seeds.flatMap((q) => results.get(q.id) ?? []);
  const seedTexts = { ...file.seeds };
  for (const q of seeds) if (results.has(q.id)) seedTexts[q.id] = q.text.en!;
  const next: AugmentationFile = { ...file, seeds: seedTexts, settings: { ...file.settings, tau: options.tau, checkAnswers: options.checkAnswers, k: options.k }, candidates: [...file.candidates, ...added], updatedAt: now() };
  return { file: next, added: added.length, passed: added.filter((c) => c.passed).length, failed, skipped, cancelled: options.signal?.aborted === true };
}
