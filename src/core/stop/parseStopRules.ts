// Validation of an experiment's `scoring.stop` block. The experiment loader hands in its locating validator, so every
// error names the file, line, column and field of the bad value.
import type { StopRules } from './stopRules';

type Path = (string | number)[];

/** How the loader reports problems at a path inside the stop block. */
export interface StopBlockValidator {
  fail(path: Path, message: string, field?: string): never;
  /** Warns about fields it does not know (ignored). */
  unknown(path: Path, o: Record<string, unknown>, known: string[]): void;
}

export const STOP_FIELDS = ['excludesZero', 'maxWidth', 'maxRequests', 'maxCost', 'alpha', 'minPersonas', 'method'];

/**
 * `{ "excludesZero": true, "maxWidth": 2, "maxRequests": 5000, "maxCost": 10, "alpha": 0.05, "minPersonas": 20,
 * "method": "betting" }`: at least one rule (excludesZero true, maxWidth, maxRequests or maxCost).
 */
export function parseStopRules(value: unknown, v: StopBlockValidator): StopRules {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) v.fail([], '"stop" must be an object, e.g. { "excludesZero": true, "minPersonas": 20 }', 'stop');
  const o = value as Record<string, unknown>;
  v.unknown([], o, STOP_FIELDS);
  const rules: StopRules = {};
  const num = (key: string, min: number, max: number, integer: boolean, what: string): number | undefined => {
    const x = o[key];
    if (x === undefined) return undefined;
    const ok = typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max && (!integer || Number.isInteger(x));
    if (!ok) v.fail([key], `"${key}" must be ${what} (got ${JSON.stringify(x)})`, key);
    return x as number;
  };
  if (o.excludesZero !== undefined) {
    if (typeof o.excludesZero !== 'boolean') v.fail(['excludesZero'], '"excludesZero" must be true or false', 'excludesZero');
    rules.excludesZero = o.excludesZero;
  }
  const maxWidth = num('maxWidth', 0, 200, false, 'a width in points, more than 0 and at most 200');
  if (maxWidth !== undefined) {
    if (maxWidth === 0) v.fail(['maxWidth'], '"maxWidth" must be more than 0 points', 'maxWidth');
    rules.maxWidth = maxWidth;
  }
  const maxRequests = num('maxRequests', 1, 1e12, true, 'a whole number of requests, at least 1');
  if (maxRequests !== undefined) rules.maxRequests = maxRequests;
  const maxCost = num('maxCost', 0, 1e9, false, 'a cost in USD, more than 0');
  if (maxCost !== undefined) {
    if (maxCost === 0) v.fail(['maxCost'], '"maxCost" must be more than 0 (USD)', 'maxCost');
    rules.maxCost = maxCost;
  }
  const alpha = num('alpha', 0, 0.5, false, 'an error level between 0 and 0.5, e.g. 0.05');
  if (alpha !== undefined) {
    if (alpha === 0) v.fail(['alpha'], '"alpha" must be more than 0, e.g. 0.05', 'alpha');
    rules.alpha = alpha;
  }
  const minPersonas = num('minPersonas', 1, 1e9, true, 'a whole number of personas, at least 1');
  if (minPersonas !== undefined) rules.minPersonas = minPersonas;
  if (o.method !== undefined) {
    if (o.method !== 'betting' && o.method !== 'normal-mixture') v.fail(['method'], `"method" must be "betting" or "normal-mixture" (got ${JSON.stringify(o.method)})`, 'method');
    rules.method = o.method;
  }
  if (!rules.excludesZero && rules.maxWidth === undefined && rules.maxRequests === undefined && rules.maxCost === undefined) {
    v.fail([], '"stop" needs at least one rule: "excludesZero": true, "maxWidth", "maxRequests" or "maxCost"', 'stop');
  }
  return rules;
}
