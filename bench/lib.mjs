// Shared by every bench/*.bench.mjs: merge one section into bench/results.json (never overwrite other sections).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const RESULTS_FILE = path.join(BENCH_DIR, 'results.json');

export function writeResult(key, data) {
  let all = {};
  try { all = JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')); } catch { /* first write */ }
  all._machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  all[key] = { ...data, measuredAt: new Date().toISOString() };
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(all, null, 2)}\n`);
  console.log(`[bench] ${key}: ${JSON.stringify(data)}`);
}

/** Percentile of a numeric array (nearest rank). */
export function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
