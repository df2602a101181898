// The augmentation decisions file (`*.augment.json`, in the workspace): every paraphrase candidate of the
// semantic augmentation with its similarity to the seed, the automatic checks and the reviewer's decision, plus
// the decision history (so an undo survives a reload). Pure functions: the CLI and the review view share them.
import { InputError } from '../errors';
import { parseStructured } from '../workspace/parseStructured';

import type { AugmentationFile, AugmentationSettings, AugmentCandidate, CandidateStatus, DecisionChange, ReviewProgress } from './augmentationTypes';

export type { AnswerCheck, AugmentationFile, AugmentationSettings, AugmentCandidate, CandidateStatus, DecisionChange, ReviewProgress } from './augmentationTypes';

export function emptyAugmentation(settings: AugmentationSettings): AugmentationFile {
  return { version: 1, seeds: {}, settings, candidates: [], history: [] };
}

const STATUSES: readonly CandidateStatus[] = ['pending', 'accepted', 'rejected'];

/** Parses a decisions file; a malformed candidate is an InputError at its line and field. */
export function parseAugmentationFile(text: string, file: string): AugmentationFile {
  const f = parseStructured(text, file);
  const v = f.value as Partial<AugmentationFile> | null;
  const fail = (path: (string | number)[], message: string, field?: string): never => {
    throw new InputError(message, f.locate(path), field);
  };
  if (!v || typeof v !== 'object' || !Array.isArray(v.candidates)) fail([], 'an augmentation file needs a "candidates" list', 'candidates');
  if (v!.version !== 1) fail(['version'], `unsupported version ${JSON.stringify(v!.version)} (expected 1)`, 'version');
  const ids = new Set<string>();
  v!.candidates!.forEach((c: Partial<AugmentCandidate>, i) => {
    const p = ['candidates', i];
    if (!c || typeof c !== 'object') fail(p, 'a candidate must be an object');
    for (const k of ['id', 'questionId', 'lang', 'text'] as const) if (typeof c[k] !== 'string' || !c[k]) fail([...p, k], `candidate needs a non-empty "${k}"`, k);
    if (ids.has(c.id!)) fail([...p, 'id'], `duplicate candidate id "${c.id}"`, 'id');
    ids.add(c.id!);
    if (!STATUSES.includes(c.status as CandidateStatus)) fail([...p, 'status'], `"status" must be ${STATUSES.join(', ')} (got ${JSON.stringify(c.status)})`, 'status');
    if (c.edited !== undefined && (typeof c.edited !== 'string' || !c.edited.trim())) fail([...p, 'edited'], '"edited" must be non-empty text', 'edited');
    if (c.similarity !== null && c.similarity !== undefined && typeof c.similarity !== 'number') fail([...p, 'similarity'], '"similarity" must be a number or null', 'similarity');
  });
  return {
    version: 1, seeds: v!.seeds ?? {}, settings: v!.settings as AugmentationSettings, candidates: v!.candidates as AugmentCandidate[],
    history: Array.isArray(v!.history) ? v!.history : [], ...(v!.updatedAt ? { updatedAt: v!.updatedAt } : {}),
  };
}

export const serializeAugmentation = (a: AugmentationFile): string => `${JSON.stringify(a, null, 2)}\n`;

/** The decision a reviewer can make: accept (optionally with an edit), reject, or set back to pending. */
export type Decision = { action: 'accept'; edited?: string } | { action: 'reject' } | { action: 'reset' };

/** Applies one decision to one candidate (a new file value; the history records it for undo). */
export function decide(a: AugmentationFile, id: string, d: Decision, at = new Date().toISOString(), by: 'review' | 'auto' = 'review'): AugmentationFile {
  const i = a.candidates.findIndex((c) => c.id === id);
  if (i < 0) throw new RangeError(`no candidate "${id}"`);
  const c = a.candidates[i]!;
  const before = pick(c);
  const next: AugmentCandidate = { ...c };
  delete next.edited;
  delete next.decidedBy;
  if (d.action === 'accept') {
    const edited = d.edited?.trim();
    if (d.edited !== undefined && !edited) throw new RangeError('an edited paraphrase cannot be empty');
    next.status = 'accepted';
    if (edited && edited !== c.text) next.edited = edited;
    next.decidedBy = by;
  } else if (d.action === 'reject') {
    next.status = 'rejected';
    next.decidedBy = by;
  } else {
    next.status = 'pending';
  }
  const candidates = a.candidates.slice();
  candidates[i] = next;
  return { ...a, candidates, history: [...a.history, { id, before, after: pick(next), at }], updatedAt: at };
}

/** Undoes the last decision (none → the file unchanged). */
export function undo(a: AugmentationFile, at = new Date().toISOString()): { file: AugmentationFile; undone?: string } {
  const last = a.history[a.history.length - 1];
  if (!last) return { file: a };
  const candidates = a.candidates.map((c) => {
    if (c.id !== last.id) return c;
    const restored: AugmentCandidate = { ...c, status: last.before.status };
    delete restored.edited;
    delete restored.decidedBy;
    if (last.before.edited !== undefined) restored.edited = last.before.edited;
    if (last.before.decidedBy !== undefined) restored.decidedBy = last.before.decidedBy;
    return restored;
  });
  return { file: { ...a, candidates, history: a.history.slice(0, -1), updatedAt: at }, undone: last.id };
}

/** Accepts every pending candidate that passed the checks (the paper keeps every paraphrase with similarity ≥ τ). */
export function acceptPassing(a: AugmentationFile, at = new Date().toISOString()): AugmentationFile {
  let out = a;
  for (const c of a.candidates) if (c.status === 'pending' && c.passed) out = decide(out, c.id, { action: 'accept' }, at, 'auto');
  return out;
}

/** Accepted paraphrases per question id (the reviewer's wording when edited), in candidate order. */
export function acceptedParaphrases(a: AugmentationFile): Record<string, Array<{ text: string; lang: string }>> {
  const out: Record<string, Array<{ text: string; lang: string }>> = {};
  for (const c of a.candidates) if (c.status === 'accepted') (out[c.questionId] ??= []).push({ text: c.edited ?? c.text, lang: c.lang });
  return out;
}


export function reviewProgress(a: AugmentationFile): ReviewProgress {
  const p: ReviewProgress = { total: a.candidates.length, pending: 0, accepted: 0, rejected: 0, passed: 0, edited: 0 };
  for (const c of a.candidates) {
    p[c.status]++;
    if (c.passed) p.passed++;
    if (c.edited) p.edited++;
  }
  return p;
}

function pick(c: AugmentCandidate): DecisionChange['before'] {
  return { status: c.status, ...(c.edited !== undefined ? { edited: c.edited } : {}), ...(c.decidedBy !== undefined ? { decidedBy: c.decidedBy } : {}) };
}
