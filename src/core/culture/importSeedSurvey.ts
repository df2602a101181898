import { InputError } from '../errors';
import type { ChatMessage } from '../model';
import type { ScalePoint, SeedQuestion } from './types';

const HEAD = /^Give me the answer from (-?\d+) to (-?\d+): /;
const TAIL = ' You can only choose one option.';

/** A seed question as parsed from one of the paper's user messages, with what is needed to print it back verbatim. */
export interface ParsedSeedMessage {
  min: number;
  max: number;
  text: string;
  options: ScalePoint[];
  /** Codes as printed, when the paper misprinted one (Q31 lists "4. Disagree"): index-aligned with options. */
  printedCodes?: number[];
  /** What follows the last label before " You can only choose one option." (`.` or ` .`). */
  end: string;
}

/**
 * Parses a CultureLLM seed prompt: `Give me the answer from 1 to 4: <question> 1. <label> 2. <label> … You can
 * only choose one option.` Scales list every code (1–4, 1–5, 0–2 in descending order) or only the ends (1–10).
 */
export function parseSeedMessage(content: string, where: { file: string; line: number }): ParsedSeedMessage {
  const loc = { file: where.file, line: where.line, column: 1 };
  const head = HEAD.exec(content);
  if (!head) throw new InputError('user message does not start with "Give me the answer from <min> to <max>: "', loc, 'messages[1].content');
  if (!content.endsWith(TAIL)) throw new InputError(`user message does not end with "${TAIL.trim()}"`, loc, 'messages[1].content');
  const min = Number(head[1]);
  const max = Number(head[2]);
  if (!(max > min)) throw new InputError(`scale "from ${min} to ${max}" is empty`, loc, 'messages[1].content');
  const body = content.slice(head[0].length, content.length - TAIL.length);
  // The options start at the first " <code>. " whose code lies on the scale.
  const start = /\s(-?\d+)\.\s/g;
  let m: RegExpExecArray | null;
  let at = -1;
  while ((m = start.exec(body))) {
    const c = Number(m[1]);
    if (c >= min && c <= max) {
      at = m.index;
      break;
    }
  }
  if (at < 0) throw new InputError('no numbered options found in the user message', loc, 'messages[1].content');
  const text = body.slice(0, at);
  const list = body.slice(at + 1);
  const parts = [...list.matchAll(/(-?\d+)\.\s(.*?)(?=\s-?\d+\.\s|$)/g)];
  if (parts.length < 2) throw new InputError('fewer than two options in the user message', loc, 'messages[1].content');
  const printed = parts.map((p) => Number(p[1]));
  const labels = parts.map((p) => p[2]!);
  const last = /^(.*?)(\s*\.)$/.exec(labels[labels.length - 1]!);
  if (!last) throw new InputError('the option list does not end with "."', loc, 'messages[1].content');
  labels[labels.length - 1] = last[1]!;
  let codes = printed;
  const unique = new Set(printed).size === printed.length;
  if (!unique) {
    // A misprint: the labels run through the whole scale in order, so their codes are their positions.
    const descending = printed[0]! > printed[printed.length - 1]!;
    codes = printed.map((_, i) => (descending ? max - i : min + i));
  }
  for (const c of codes) if (c < min || c > max) throw new InputError(`option ${c} lies outside the scale ${min}–${max}`, loc, 'messages[1].content');
  return { min, max, text, options: codes.map((code, i) => ({ code, label: labels[i]! })), ...(unique ? {} : { printedCodes: printed }), end: last[2]! };
}

/** Prints a seed question in the paper's user-message layout (exactly the released text for the English seeds). */
export function seedUserMessage(q: SeedQuestion, lang = 'en'): string {
  const text = q.text[lang] ?? q.text.en!;
  const options = q.options[lang] ?? q.options.en!;
  const printed = lang === 'en' && q.printedCodes ? q.printedCodes : options.map((o) => o.code);
  const list = options.map((o, i) => `${printed[i]}. ${o.label}`).join(' ');
  return `Give me the answer from ${q.min} to ${q.max}: ${text} ${list}${lang === 'en' && q.end ? q.end : '.'}${TAIL}`;
}

/** Records of a `*_WVQ_*_50.jsonl` file with their line numbers. */
export function parseChatJsonl(text: string, file: string): Array<{ line: number; messages: ChatMessage[] }> {
  const out: Array<{ line: number; messages: ChatMessage[] }> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    let rec: unknown;
    try {
      rec = JSON.parse(raw);
    } catch (e) {
      throw new InputError(`not valid JSON: ${(e as Error).message}`, { file, line: i + 1, column: 1 });
    }
    const messages = (rec as { messages?: unknown }).messages;
    if (!Array.isArray(messages)) throw new InputError('a record needs a "messages" array', { file, line: i + 1, column: 1 }, 'messages');
    out.push({ line: i + 1, messages: messages as ChatMessage[] });
  });
  return out;
}

/** Arabic (or other) texts of the same WVS questions in the AlKhamissi et al. dump format (`wvs_questions_dump.<lang>.json`). */
export interface QuestionDump {
  [id: string]: { questions: string[]; options: string[] };
}

/**
 * The 50 seed questions from the paper's fine-tuning file (the first block of 50 user messages, in the
 * column order of the per-country tables: `questionIds`). Other languages come from question dumps in that
 * language plus the English dump, used to align option labels: a language is added to a question only when
 * every labelled point of its scale has a counterpart (e.g. Arabic for 11 of the 50, from AlKhamissi et al.,
 * whose Arabic wording is a paraphrase, not CultureLLM's text — CultureLLM's "Arabic" file itself is in English).
 */
export function importSeedSurvey(jsonl: string, file: string, questionIds: readonly string[], translations: Record<string, { dump: QuestionDump; english: QuestionDump }> = {}): SeedQuestion[] {
  const records = parseChatJsonl(jsonl, file);
  if (records.length < questionIds.length) throw new InputError(`expected at least ${questionIds.length} records, found ${records.length}`, { file, line: records.length + 1, column: 1 });
  return questionIds.map((id, i) => {
    const rec = records[i]!;
    const user = rec.messages.find((m) => m.role === 'user');
    if (!user || typeof user.content !== 'string') throw new InputError('record has no user message', { file, line: rec.line, column: 1 }, 'messages');
    const p = parseSeedMessage(user.content, { file, line: rec.line });
    const q: SeedQuestion = { id, min: p.min, max: p.max, text: { en: p.text }, options: { en: p.options }, end: p.end, ...(p.printedCodes ? { printedCodes: p.printedCodes } : {}) };
    for (const [lang, { dump, english }] of Object.entries(translations)) {
      const d = dump[id];
      const e = english[id];
      if (!d || !e || d.options.length !== e.options.length || !d.questions[0]) continue;
      const norm = (s: string): string => s.trim().toLowerCase();
      const points = p.options.map((o) => {
        const k = e.options.findIndex((x) => norm(x) === norm(o.label));
        return k < 0 ? null : { code: o.code, label: d.options[k]! };
      });
      if (points.some((x) => x === null)) continue;
      q.text[lang] = d.questions[0];
      q.options[lang] = points as ScalePoint[];
    }
    return q;
  });
}
