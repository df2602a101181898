import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResponseRecord } from '../experiment';
import { parseAnswer } from '../score/parseAnswer';
import { buildPromptContext } from '../template/buildPromptContext';
import { renderPrompt } from '../template/renderPrompt';
import { loadPartialsSync } from '../template/templateFiles';
import type { LoadedRun } from './loadRunResults';
import { cellKey } from './loadRunResults';
import type { DrillDown, DropReason } from './types';

/**
 * Everything about one persona × question: for each condition and variant, the prompt re-rendered from the
 * condition's template, every raw reply read back from responses.jsonl with its parse, the vote and scores from
 * scoring, and the respondent's real answer. Templates that no longer render give `prompt: null`, not an error.
 */
export function buildDrillDown(run: LoadedRun, personaId: string, questionId: string): DrillDown {
  const question = run.survey.questions.find((q) => q.id === questionId);
  const persona = run.personas.find((p) => p.id === personaId);
  if (!question) throw new Error(`question ${questionId} is not in the survey`);
  if (!persona) throw new Error(`persona ${personaId} is not in this run`);
  const records = readCell(run, personaId, questionId);
  const row = run.input.personas.find((p) => p.id === personaId);
  const spec = run.manifest.experiment;
  const templates = new Map<string, { source: string; line: number; partials: Record<string, string> } | null>();
  const template = (file: string) => {
    if (!templates.has(file)) {
      let abs: string | undefined;
      try {
        abs = run.resolve(file);
      } catch {
        // outside the workspace: not read (docs/security.md)
      }
      templates.set(file, abs ? readTemplate(abs, run.root) : null);
    }
    return templates.get(file)!;
  };
  const scored = new Map(run.report.items.filter((i) => i.personaId === personaId && i.questionId === questionId).map((i) => [`${i.condition}\u0000${i.variant}`, i]));

  const conditions = spec.conditions.map((c, ci) => {
    const cond = run.conditions[ci];
    const tpl = template(c.template);
    const ctxOptions = question.options[c.lang] ?? question.options.en ?? [];
    const mine = records.filter((r) => r.condition === c.id);
    const variantIds = [...new Set(mine.map((r) => r.variant))].sort((a, b) => a - b);
    return {
      condition: c.id, label: c.label ?? c.id, lang: c.lang, template: c.template, templateLine: tpl?.line ?? 1,
      variants: variantIds.map((variant) => {
        let prompt: DrillDown['conditions'][number]['variants'][number]['prompt'] = null;
        if (tpl) {
          try {
            const rendered = renderPrompt(tpl.source, buildPromptContext(persona, question, variant, c.lang), { file: run.resolve(c.template), partials: tpl.partials });
            prompt = rendered.messages.length ? rendered.messages : null;
          } catch {
            prompt = null;
          }
        }
        const samples = mine.filter((r) => r.variant === variant).sort((a, b) => a.sample - b.sample).map((r) => {
          const p = parseAnswer(r.text, { options: ctxOptions, allOptions: Object.values(question.options), dontKnowIndex: question.dontKnowIndex, reasoning: cond.reasoning }, run.settings);
          return { sample: r.sample, text: r.text, parsed: p.answer, how: p.rule ?? p.reason, error: r.error };
        });
        const it = scored.get(`${c.id}\u0000${variant}`);
        // Not scored: no parseable sample, no survey answer, or a filter (same answer as the twin / not in every condition).
        const dropped: DropReason | undefined = it ? undefined
          : samples.every((s) => s.parsed === null) ? 'unparsed'
            : persona.answers[questionId] === null || persona.answers[questionId] === undefined ? 'no-survey-answer' : 'filtered';
        return { variant, prompt, samples, votes: it?.votes ?? [], soft: it?.soft ?? null, hard: it?.hard ?? null, dropped };
      }),
    };
  });
  return {
    personaId, questionId, theme: question.theme, fields: row?.fields ?? {}, options: question.options,
    surveyAnswer: persona.answers[questionId] ?? null, conditions,
  };
}

function readCell(run: LoadedRun, personaId: string, questionId: string): ResponseRecord[] {
  const ranges = run.cells.get(cellKey(personaId, questionId)) ?? [];
  if (!ranges.length) return [];
  const fd = fs.openSync(path.join(run.runDir, 'responses.jsonl'), 'r');
  try {
    return ranges.map(([offset, length]) => {
      const buf = Buffer.alloc(length);
      fs.readSync(fd, buf, 0, length, offset);
      return JSON.parse(buf.toString('utf8')) as ResponseRecord;
    });
  } finally {
    fs.closeSync(fd);
  }
}

/** A template's source, its partials (the same conventions as the run: templateFiles.ts; only those inside the workspace) and the question's line. */
function readTemplate(file: string, root: string): { source: string; line: number; partials: Record<string, string> } | null {
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  return { source, line: questionLine(source), partials: loadPartialsSync(file, { root }) };
}

/** 1-based line of the first `{{… question …}}` expression (where the question text is rendered), else 1. */
export function questionLine(source: string): number {
  const lines = source.split('\n');
  const i = lines.findIndex((l) => /\{\{[^}]*\bquestion\b/.test(l));
  return i >= 0 ? i + 1 : 1;
}
