import type { HelperDelegate, HelperOptions } from 'handlebars';
import type { ChatRole } from '../model';
import { formatDigits } from './digits';
import type { DigitStyle } from './digits';

/** A helper as documented for completion and hover. */
export interface HelperInfo {
  name: string;
  /** `block` helpers are used as `{{#name}}…{{/name}}`. */
  kind: 'inline' | 'block';
  signature: string;
  description: string;
}

/** Handlebars' own helpers (always available). */
export const BUILTIN_HELPERS: readonly HelperInfo[] = [
  { name: 'if', kind: 'block', signature: '{{#if cond}}…{{else}}…{{/if}}', description: 'Renders the block when the value is truthy.' },
  { name: 'unless', kind: 'block', signature: '{{#unless cond}}…{{/unless}}', description: 'Renders the block when the value is falsy.' },
  { name: 'each', kind: 'block', signature: '{{#each list as |item i|}}…{{/each}}', description: 'Repeats the block for each element (@index, @first, @last).' },
  { name: 'with', kind: 'block', signature: '{{#with value}}…{{/with}}', description: 'Renders the block with the value as context.' },
  { name: 'lookup', kind: 'inline', signature: '{{lookup object key}}', description: 'Looks up a field or index dynamically.' },
];

/** Helpers registered by Alignment Studio for prompts (docs/workspace-format.md lists them with examples). */
export const PROMPT_HELPERS: readonly HelperInfo[] = [
  { name: 'system', kind: 'block', signature: '{{#system}}…{{/system}}', description: 'The block is a system message.' },
  { name: 'user', kind: 'block', signature: '{{#user}}…{{/user}}', description: 'The block is a user message.' },
  { name: 'assistant', kind: 'block', signature: '{{#assistant}}…{{/assistant}}', description: 'The block is an assistant message (e.g. a few-shot answer).' },
  { name: 'optionList', kind: 'inline', signature: '{{optionList [options] digits="western|arabic" style="paren|dot|dash" start=1}}', description: 'Numbered options, one per line: "(1) Very important". Default: the question\'s options.' },
  { name: 'num', kind: 'inline', signature: '{{num value digits="arabic"}}', description: 'A number in Western (default) or Arabic-Indic digits.' },
  { name: 'scaleText', kind: 'inline', signature: '{{scaleText [options] points=10}}', description: 'The paper\'s numeric-scale instruction: "use a 10-point scale where “1” means … and “10” means …".' },
  { name: 'agePhrase', kind: 'inline', signature: '{{agePhrase [age]}}', description: 'Age in words of the prompt language: "46 years old", "٤٦ سنة" style grammar in Arabic.' },
  { name: 'optionCount', kind: 'inline', signature: '{{optionCount [options]}}', description: 'Number of options (default: the question\'s).' },
  { name: 'eq', kind: 'inline', signature: '(eq a b)', description: 'True when a equals b; use inside {{#if (eq …)}}.' },
  { name: 'lower', kind: 'inline', signature: '{{lower text}}', description: 'Lower case.' },
  { name: 'upper', kind: 'inline', signature: '{{upper text}}', description: 'Upper case.' },
  { name: 'capitalize', kind: 'inline', signature: '{{capitalize text}}', description: 'First letter upper case.' },
];

const SCALE_TEMPLATE: Record<string, (points: number, low: string, high: string) => string> = {
  en: (n, low, high) => `To indicate your opinion, use a ${n}-point scale where “1” means “${low}” and “${n}” means “${high}”.`,
  ar: (n, low, high) => `للتعبير عن رأيك، استخدم مقياسًا من ${n} نقاط حيث تشير ”1“ إلى ${low} وتشير ”${n}“ إلى ${high}.`,
};

interface RootLike {
  lang?: string;
  question?: { options?: string[] };
  persona?: { age?: number };
}

/** The options and positional arguments of a helper call (Handlebars passes options last). */
function split(args: unknown[]): { params: unknown[]; options: HelperOptions } {
  return { params: args.slice(0, -1), options: args[args.length - 1] as HelperOptions };
}

const rootOf = (options: HelperOptions): RootLike => ((options.data as { root?: RootLike } | undefined)?.root ?? {});

function optionsArg(params: unknown[], options: HelperOptions, helper: string): string[] {
  const list = params.length > 0 ? params[0] : rootOf(options).question?.options;
  if (!Array.isArray(list)) throw new Error(`${helper}: expected a list of options (e.g. question.options)`);
  return list.map(String);
}

function digitsOf(options: HelperOptions): DigitStyle {
  const d = options.hash?.digits;
  if (d === undefined) return 'western';
  if (d !== 'western' && d !== 'arabic') throw new Error(`digits must be "western" or "arabic", got "${String(d)}"`);
  return d;
}

function arabicYears(n: number): string {
  if (n === 1) return 'سنة واحدة';
  if (n === 2) return 'سنتان';
  const mod = n % 100;
  return mod >= 3 && mod <= 10 ? `${n} سنوات` : `${n} سنة`;
}

function messageBlock(role: ChatRole): HelperDelegate {
  return function (this: unknown, ...args: unknown[]) {
    const { options } = split(args);
    const messages = (options.data as { messages?: { role: ChatRole; content: string }[] }).messages;
    if (!messages) throw new Error(`{{#${role}}} can only be used at the top level of a prompt template`);
    messages.push({ role, content: options.fn(this) });
    return '';
  };
}

/** The implementations, by name (PROMPT_HELPERS documents them). */
export const PROMPT_HELPER_FUNCTIONS: Record<string, HelperDelegate> = {
  system: messageBlock('system'),
  user: messageBlock('user'),
  assistant: messageBlock('assistant'),
  optionList: (...args: unknown[]) => {
    const { params, options } = split(args);
    const list = optionsArg(params, options, 'optionList');
    const digits = digitsOf(options);
    const style = options.hash?.style ?? 'paren';
    const start = Number(options.hash?.start ?? 1);
    const mark = (i: number) => {
      const n = formatDigits(i + start, digits);
      if (style === 'paren') return `(${n})`;
      if (style === 'dot') return `${n}.`;
      if (style === 'dash') return `${n} -`;
      throw new Error(`optionList: style must be "paren", "dot" or "dash", got "${String(style)}"`);
    };
    return list.map((o, i) => `${mark(i)} ${o}`).join('\n');
  },
  num: (...args: unknown[]) => {
    const { params, options } = split(args);
    return formatDigits(params[0] as number, digitsOf(options));
  },
  scaleText: (...args: unknown[]) => {
    const { params, options } = split(args);
    const list = optionsArg(params, options, 'scaleText');
    const lang = rootOf(options).lang ?? 'en';
    const points = Number(options.hash?.points ?? 10);
    return (SCALE_TEMPLATE[lang] ?? SCALE_TEMPLATE.en)(points, list[0], list[list.length - 1]);
  },
  agePhrase: (...args: unknown[]) => {
    const { params, options } = split(args);
    const root = rootOf(options);
    const age = Number(params.length > 0 ? params[0] : root.persona?.age);
    if (!Number.isFinite(age)) throw new Error('agePhrase: expected an age in years');
    const text = (root.lang ?? 'en') === 'ar' ? arabicYears(age) : `${age} years old`;
    return options.hash?.digits ? formatDigits(text, digitsOf(options)) : text;
  },
  optionCount: (...args: unknown[]) => {
    const { params, options } = split(args);
    return optionsArg(params, options, 'optionCount').length;
  },
  eq: (...args: unknown[]) => {
    const { params } = split(args);
    return params[0] === params[1];
  },
  lower: (...args: unknown[]) => String(split(args).params[0] ?? '').toLowerCase(),
  upper: (...args: unknown[]) => String(split(args).params[0] ?? '').toUpperCase(),
  capitalize: (...args: unknown[]) => {
    const s = String(split(args).params[0] ?? '');
    return s.charAt(0).toUpperCase() + s.slice(1);
  },
};
