// Which secret goes to which endpoint, in the CLI: the user's choice, never the experiment file's. An origin
// (`https://host:port`) gets a key only from the user's own mapping (`--key <origin>=<ENV_VAR>`, repeatable, or
// the user-level ~/.config/alignment-studio/keys.json); `OPENAI_API_KEY` (with OPENAI_ORG_ID / OPENAI_PROJECT_ID)
// goes to https://api.openai.com only. See docs/security.md.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError, lineColumnAt } from '../core/errors';
import { originOf, type KeyLookup, type OriginCredentials } from '../core/run/createOpenAICompleter';

/** The one origin the conventional OpenAI variables are sent to without a mapping. */
export const OPENAI_ORIGIN = 'https://api.openai.com';

/** What the user configured for one origin: the variable holding its key, and optional org / project ids. */
export interface OriginKey {
  env?: string;
  organization?: string;
  project?: string;
}

/** Origin → what to send there. */
export type KeyMapping = Map<string, OriginKey>;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses one `--key https://host:port=ENV_VAR`; a problem is returned as a usage message. */
export function parseKeyFlag(value: string | undefined): [string, string] | string {
  if (!value) return '--key needs <origin>=<ENV_VAR>, e.g. --key http://127.0.0.1:8000=VLLM_KEY';
  const eq = value.lastIndexOf('=');
  const url = value.slice(0, eq);
  const env = value.slice(eq + 1);
  if (eq <= 0 || !ENV_NAME.test(env)) return `--key needs <origin>=<ENV_VAR> (an environment variable name), got "${value}"`;
  try {
    return [originOf(url), env];
  } catch {
    return `--key: "${url}" is not an http(s) origin such as https://host:port`;
  }
}

/** The user-level keys file: `$XDG_CONFIG_HOME/alignment-studio/keys.json`, else `~/.config/alignment-studio/keys.json`. */
export function userKeysFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'alignment-studio', 'keys.json');
}

/**
 * Reads the user-level keys file (none: an empty mapping): `{ "keys": { "<origin>": "ENV_VAR" | { "env": "ENV_VAR",
 * "organization": "org-…", "project": "proj_…" } } }`. Bad content is an InputError naming the file, line and field.
 */
export function readKeysFile(file: string): KeyMapping {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new InputError(`cannot read the keys file: ${(e as Error).message}`, { file, line: 1, column: 1 });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    throw new InputError(`invalid JSON: ${(e as Error).message}`, { file, ...lineColumnAt(text, at ? Number(at[1]) : 0) });
  }
  const where = (needle: string) => ({ file, ...lineColumnAt(text, Math.max(0, text.indexOf(JSON.stringify(needle)))) });
  const keys = (data as { keys?: unknown } | null)?.keys;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) throw new InputError('expected { "keys": { "<origin>": "ENV_VAR" } }', { file, line: 1, column: 1 }, 'keys');
  const mapping: KeyMapping = new Map();
  for (const [url, value] of Object.entries(keys)) {
    let origin: string;
    try {
      origin = originOf(url);
    } catch {
      throw new InputError(`"${url}" is not an http(s) origin such as https://host:port`, where(url), 'keys');
    }
    const o = typeof value === 'string' ? { env: value } : value;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new InputError(`the key of ${url} must be "ENV_VAR" or { "env": "ENV_VAR" }`, where(url), url);
    const entry: OriginKey = {};
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
      if (k !== 'env' && k !== 'organization' && k !== 'project') throw new InputError(`unknown field "${k}" (have env, organization, project)`, where(k), k);
      if (typeof v !== 'string' || v === '' || (k === 'env' && !ENV_NAME.test(v))) throw new InputError(`"${k}" of ${url} must be ${k === 'env' ? 'an environment variable name' : 'a non-empty string'}`, where(k), k);
      entry[k] = v;
    }
    mapping.set(origin, entry);
  }
  return mapping;
}

/** The user's mapping: the keys file, with each `--key` flag overriding the variable of its origin. */
export function loadKeyMapping(flags: readonly [string, string][], env: NodeJS.ProcessEnv = process.env): KeyMapping {
  const mapping = readKeysFile(userKeysFile(env));
  for (const [origin, name] of flags) mapping.set(origin, { ...mapping.get(origin), env: name });
  return mapping;
}

/**
 * The CLI's key lookup. An origin the user mapped gets its variable (and the org / project ids configured for it);
 * https://api.openai.com gets OPENAI_API_KEY, OPENAI_ORG_ID and OPENAI_PROJECT_ID; any other origin gets nothing.
 */
export function cliKeys(mapping: KeyMapping, env: NodeJS.ProcessEnv = process.env): KeyLookup {
  return (origin): OriginCredentials | undefined => {
    const m = mapping.get(origin);
    if (m) return { ...(m.env && env[m.env] ? { apiKey: env[m.env] } : {}), ...(m.organization ? { organization: m.organization } : {}), ...(m.project ? { project: m.project } : {}) };
    if (origin !== OPENAI_ORIGIN) return undefined;
    return { ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}), ...(env.OPENAI_ORG_ID ? { organization: env.OPENAI_ORG_ID } : {}), ...(env.OPENAI_PROJECT_ID ? { project: env.OPENAI_PROJECT_ID } : {}) };
  };
}

export const KEYS_HELP = `API keys: the experiment file never chooses a secret ("apiKeyEnv" in it is ignored). OPENAI_API_KEY
(and OPENAI_ORG_ID, OPENAI_PROJECT_ID) go to https://api.openai.com only; any other endpoint gets a key only
from your own mapping: --key <origin>=<ENV_VAR> (repeatable, e.g. --key http://127.0.0.1:8000=VLLM_KEY) or
${'$'}XDG_CONFIG_HOME/alignment-studio/keys.json (default ~/.config/…): { "keys": { "<origin>": { "env": "VAR" } } }.`;
