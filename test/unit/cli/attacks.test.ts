// The trust-boundary attacks of issue 13, tried as an attacker would: a repository the victim clones and runs
// with the CLI (in a terminal or in CI). Each test plants the malicious files, runs the real `alignment-studio`
// binary against a fake endpoint on 127.0.0.1, and checks what reached the endpoint and what changed on disk.
// The extension's side (workspace trust, the results webview) is in test/integration/suite/security.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExperimentSpec, ModelSpec, ResponseRecord } from '../../../src/core/experiment';
import { createTemplateRenderer } from '../../../src/core/run/createTemplateRenderer';
import { expandRequests } from '../../../src/core/run/expandRequests';
import { openExperiment } from '../../../src/core/run/openExperiment';
import { FakeOpenAIServer } from '../../fake-server/FakeOpenAIServer';
import { tempDir } from '../core/run/helpers';
import { makeRunWorkspace, ROOT, type RunWorkspace } from '../core/run/runWorkspace';

const CLI = path.join(ROOT, 'dist/cli.js');
let server: FakeOpenAIServer;
let ws: RunWorkspace;
/** A home folder of the victim: the user-level config lives here, never in the repository. */
let home: string;

before(async () => {
  server = await new FakeOpenAIServer().start();
  server.keepBodies = true;
  ws = await makeRunWorkspace(['Q19'], 2);
  home = tempDir('as-home-');
});
after(() => server.stop());

const digest = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Runs the CLI with a clean environment (no key or org id of the machine leaks into a test). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}, cwd = ws.dir): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd, env: { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function live(extra: Partial<ModelSpec> = {}): ModelSpec {
  return { id: 'live', kind: 'openai', baseURL: server.baseURL, model: 'fake-1', maxTokens: 5, concurrency: 2, maxRetries: 0, ...extra };
}
const small: Partial<ExperimentSpec> = { samples: 1, variants: [0], personaFilter: { limit: 2 } };
const enOnly = [{ id: 'en', template: 'prompts/persona.en.hbs', lang: 'en', model: 'live' }];

/** No raw JavaScript error ever reaches the user. */
function assertNoRawError(text: string): void {
  assert.doesNotMatch(text, /TypeError|Cannot read properties|is not a function|is not iterable|\n\s+at /, text);
}

test('attack 1: a committed run whose responses.jsonl and run.lock are symlinks to files elsewhere: nothing outside is cut, appended or overwritten', async () => {
  const file = ws.write({ name: 'attack1', ...small }, 'attack1.experiment.json');
  const { spec } = (await openExperiment(file, createTemplateRenderer)).plan;
  const victims = tempDir('as-victim-');
  const victimLog = path.join(victims, 'important.log');
  const victimLock = path.join(victims, 'precious.txt');
  fs.writeFileSync(victimLog, 'line one\nline two without a newline');
  fs.writeFileSync(victimLock, 'do not overwrite me');
  const before = [digest(victimLog), digest(victimLock)];
  // The repository ships an "interrupted" run of this very experiment, so a plain `run` (or "Continue it?") resumes it.
  const evil = path.join(ws.dir, '.alignment/runs/evil');
  fs.mkdirSync(evil, { recursive: true });
  fs.writeFileSync(path.join(evil, 'manifest.json'), JSON.stringify({ runId: 'evil', experimentFile: 'attack1.experiment.json', experiment: spec, createdAt: '2099-01-01T00:00:00Z', plannedRequests: 40, status: 'running' }, null, 2));
  fs.symlinkSync(victimLog, path.join(evil, 'responses.jsonl'));
  fs.symlinkSync(victimLock, path.join(evil, 'run.lock'));
  try {
    const r = await cli(['run', file, '--quiet']);
    assert.deepEqual([digest(victimLog), digest(victimLock)], before, 'the files outside the workspace are unchanged');
    assert.equal(r.status, 2, r.stderr + r.stdout);
    assert.match(r.stderr, /runs\/evil\/(responses\.jsonl|run\.lock):1:1: .*symbolic link/);
    assertNoRawError(r.stderr);
    assert.deepEqual(fs.readdirSync(evil).sort(), ['manifest.json', 'responses.jsonl', 'run.lock'], 'nothing was written into the run folder');
    // The same run named explicitly, and a run folder that is itself a link out of the workspace.
    assert.equal((await cli(['run', file, '--resume', 'evil', '--quiet'])).status, 2);
    fs.rmSync(evil, { recursive: true });
    const outside = tempDir('as-outside-run-');
    fs.writeFileSync(path.join(outside, 'manifest.json'), JSON.stringify({ runId: 'evil', experimentFile: 'attack1.experiment.json', experiment: spec, createdAt: '2099-01-01T00:00:00Z', plannedRequests: 40, status: 'running' }));
    fs.writeFileSync(path.join(outside, 'responses.jsonl'), '');
    fs.symlinkSync(outside, evil);
    const linked = await cli(['run', file, '--quiet']);
    assert.equal(linked.status, 2, linked.stderr + linked.stdout);
    assert.match(linked.stderr, /outside the workspace|symbolic link/);
    assert.deepEqual(fs.readdirSync(outside).sort(), ['manifest.json', 'responses.jsonl']);
    assert.equal(fs.readFileSync(path.join(outside, 'responses.jsonl'), 'utf8'), '');
  } finally {
    fs.rmSync(evil, { recursive: true, force: true });
  }
});

test('attack 2: the experiment file cannot choose a secret: apiKeyEnv and OPENAI_API_KEY never reach a foreign origin; the user maps keys to origins', async () => {
  const file = ws.write({ name: 'attack2', ...small, models: [live({ apiKeyEnv: 'GITHUB_TOKEN' })], conditions: enOnly }, 'attack2.experiment.json');
  const secrets = { GITHUB_TOKEN: 'ghp_victim_token', OPENAI_API_KEY: 'sk-victim-openai' };
  server.stats.authorizations.clear();
  const r = await cli(['run', file, '--quiet', '--no-cache'], secrets);
  assert.equal(r.status, 0, r.stderr);
  const seen = [...server.stats.authorizations].join(' | ');
  assert.ok(!seen.includes('ghp_victim_token') && !seen.includes('sk-victim-openai'), `the endpoint saw ${seen}`);
  assert.match(r.stderr, /apiKeyEnv.*ignored/);

  // The user's own mapping, on the command line: that origin gets that variable, nothing else.
  server.stats.authorizations.clear();
  const flagged = await cli(['run', file, '--quiet', '--new', '--no-cache', '--key', `${server.origin}=LOCAL_KEY`], { ...secrets, LOCAL_KEY: 'sk-local-by-flag' });
  assert.equal(flagged.status, 0, flagged.stderr);
  assert.deepEqual([...server.stats.authorizations], ['Bearer sk-local-by-flag']);

  // … or in the user-level config file (outside the repository).
  fs.mkdirSync(path.join(home, '.config/alignment-studio'), { recursive: true });
  fs.writeFileSync(path.join(home, '.config/alignment-studio/keys.json'), JSON.stringify({ keys: { [server.origin]: { env: 'CONF_KEY' } } }));
  try {
    server.stats.authorizations.clear();
    const configured = await cli(['run', file, '--quiet', '--new', '--no-cache'], { ...secrets, CONF_KEY: 'sk-local-by-config' });
    assert.equal(configured.status, 0, configured.stderr);
    assert.deepEqual([...server.stats.authorizations], ['Bearer sk-local-by-config']);
  } finally {
    fs.rmSync(path.join(home, '.config/alignment-studio'), { recursive: true, force: true });
  }
});

test('attack 3: OPENAI_ORG_ID, OPENAI_PROJECT_ID and OPENAI_CUSTOM_HEADERS of the environment are not sent to an endpoint the user did not configure them for', async () => {
  const file = ws.write({ name: 'attack3', ...small, models: [live({ model: 'fake-attack3' })], conditions: enOnly }, 'attack3.experiment.json');
  server.stats.headers.clear();
  const requests = server.stats.requests;
  const r = await cli(['run', file, '--quiet', '--no-cache'], { OPENAI_ORG_ID: 'org-victim', OPENAI_PROJECT_ID: 'proj_victim', OPENAI_CUSTOM_HEADERS: 'X-Victim-Secret: custom-victim' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(server.stats.requests - requests, 2, 'the requests were made');
  for (const h of ['openai-organization', 'openai-project', 'x-victim-secret']) assert.equal(server.stats.headers.get(h), undefined, `${h}: ${[...server.stats.headers.get(h) ?? []]}`);
});

test('attack 4: paths of the experiment (template, survey, personas, completions, partials) cannot read files outside the workspace into prompts', async () => {
  const victims = tempDir('as-secrets-');
  const secret = path.join(victims, 'passwd');
  fs.writeFileSync(secret, 'root:x:0:0:TOP-SECRET-MARKER:/root:/bin/bash\n');
  const before = digest(secret);
  server.configure({ mode: 'echo' });
  server.stats.bodies.length = 0;
  const rel = path.relative(ws.dir, secret);
  const cases: Array<{ name: string; spec: Partial<ExperimentSpec>; field: string }> = [
    { name: 'relative template', spec: { conditions: [{ ...enOnly[0], template: rel }] }, field: 'template' },
    { name: 'absolute template', spec: { conditions: [{ ...enOnly[0], template: secret }] }, field: 'template' },
    { name: 'survey', spec: { survey: rel }, field: 'survey' },
    { name: 'personas', spec: { personas: secret }, field: 'personas' },
    { name: 'completions', spec: { models: [{ id: 'live', kind: 'replay', completions: victims }] }, field: 'completions' },
  ];
  for (const c of cases) {
    const file = ws.write({ name: `attack4 ${c.name}`, ...small, models: [live()], conditions: enOnly, ...c.spec }, 'attack4.experiment.json');
    const r = await cli(['run', file, '--quiet', '--no-cache']);
    assert.equal(r.status, 2, `${c.name}: ${r.stderr}${r.stdout}`);
    assert.match(r.stderr, new RegExp(`attack4\\.experiment\\.json:\\d+:\\d+: .*outside the workspace.*\\(field "${c.field}"\\)`), c.name);
    assertNoRawError(r.stderr);
  }
  // A link inside the workspace that points out of it is the same path, seen through realpath.
  fs.symlinkSync(secret, path.join(ws.dir, 'prompts/innocent.en.hbs'));
  fs.mkdirSync(path.join(ws.dir, 'prompts/partials'), { recursive: true });
  try {
    const viaLink = await cli(['run', ws.write({ name: 'attack4 link', ...small, models: [live()], conditions: [{ ...enOnly[0], template: 'prompts/innocent.en.hbs' }] }, 'attack4.experiment.json'), '--quiet', '--no-cache']);
    assert.equal(viaLink.status, 2, viaLink.stderr);
    assert.match(viaLink.stderr, /outside the workspace.*\(field "template"\)/);
    fs.rmSync(path.join(ws.dir, 'prompts/innocent.en.hbs'));
    fs.symlinkSync(secret, path.join(ws.dir, 'prompts/partials/evil.hbs'));
    const viaPartial = await cli(['run', ws.write({ name: 'attack4 partial', ...small, models: [live()], conditions: enOnly }, 'attack4.experiment.json'), '--quiet', '--no-cache']);
    assert.equal(viaPartial.status, 2, viaPartial.stderr);
    assert.match(viaPartial.stderr, /partials\/evil\.hbs.*outside the workspace/);
  } finally {
    fs.rmSync(path.join(ws.dir, 'prompts/innocent.en.hbs'), { force: true });
    fs.rmSync(path.join(ws.dir, 'prompts/partials/evil.hbs'), { force: true });
    server.configure({});
  }
  const sent = JSON.stringify(server.stats.bodies);
  assert.ok(!sent.includes('TOP-SECRET-MARKER'), 'the secret never reached a prompt');
  assert.equal(digest(secret), before);
});

test('attack 5: a forged responses.jsonl without a manifest does not feed the cache; --no-cache turns the cache off; a cached answer names its run', async () => {
  // A model of its own, so only the forged file (not an earlier test's run) holds answers to these requests.
  const file = ws.write({ name: 'attack5', ...small, models: [live({ model: 'fake-attack5' })], conditions: enOnly }, 'attack5.experiment.json');
  const opened = await openExperiment(file, createTemplateRenderer);
  const items = [...expandRequests(opened.plan)];
  const forged = path.join(ws.dir, '.alignment/runs/forged');
  fs.mkdirSync(forged, { recursive: true });
  const lines = items.flatMap((it) => it.samples.map((s) => JSON.stringify({ hash: s.hash, condition: it.condition, model: it.model, lang: it.lang, personaId: it.personaId, questionId: it.questionId, variant: it.variant, sample: s.sample, text: '(4) forged', t: 1 })));
  fs.writeFileSync(path.join(forged, 'responses.jsonl'), `${lines.join('\n')}\n`);
  const runsDir = path.join(ws.dir, '.alignment/runs');
  try {
    const before = server.stats.requests;
    const r = await cli(['run', file, '--new', '--quiet']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`${lines.length} samples: 0 already in the run, 0 from the cache, ${lines.length} requests to make`));
    assert.equal(server.stats.requests - before, lines.length);
    const runDir = /run: (.+)/.exec(r.stdout)![1].trim();
    const records = fs.readFileSync(path.join(runDir, 'responses.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ResponseRecord);
    assert.ok(records.every((x) => !x.text?.includes('forged')), 'no forged answer was stored');

    // A valid run does feed the cache, and each cached answer records which run it came from …
    const again = await cli(['run', file, '--new', '--quiet']);
    assert.match(again.stdout, new RegExp(`${lines.length} from the cache, 0 requests to make`));
    const againDir = /run: (.+)/.exec(again.stdout)![1].trim();
    const cached = fs.readFileSync(path.join(againDir, 'responses.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ResponseRecord & { cachedFrom?: string });
    assert.ok(cached.every((x) => x.cached === true && x.cachedFrom === path.basename(runDir)), JSON.stringify(cached[0]));
    // … unless the user turns the cache off.
    const fresh = await cli(['run', file, '--new', '--no-cache', '--quiet']);
    assert.equal(fresh.status, 0, fresh.stderr);
    assert.match(fresh.stdout, new RegExp(`0 from the cache, ${lines.length} requests to make`));
    for (const d of [runDir, againDir, /run: (.+)/.exec(fresh.stdout)![1].trim()]) fs.rmSync(d, { recursive: true });
  } finally {
    fs.rmSync(forged, { recursive: true, force: true });
    assert.ok(fs.existsSync(runsDir));
  }
});

test('attack 6 (CLI): --help on every subcommand exits 0; bad input exits 2 in run, score, export and batch; wrong types in a manifest or record are located errors, never raw JS errors', async () => {
  const helps = [['--help'], ['run', '--help'], ['score', '--help'], ['export', '--help'], ['batch', '--help'], ['batch', 'export', '--help'], ['run', '-h']];
  for (const [args, r] of await Promise.all(helps.map(async (args) => [args, await cli(args)] as const))) {
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /usage: alignment-studio/, args.join(' '));
  }
  const missing = path.join(ws.dir, 'no-such-run');
  const bads = [['run', 'no-such.experiment.json'], ['score', missing], ['export', missing, '--format', 'json', '--out', path.join(ws.dir, 'x.json')], ['batch', 'export', 'no-such.experiment.json'], ['score', '--bogus'], ['export', '--bogus'], ['run', '--bogus'], ['batch', 'nope']];
  for (const [args, r] of await Promise.all(bads.map(async (args) => [args, await cli(args)] as const))) {
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}${r.stdout}`);
    assertNoRawError(r.stderr);
  }

  // A run folder whose manifest and records have the wrong types.
  const file = ws.write({ name: 'attack6', ...small }, 'attack6.experiment.json');
  const { spec } = (await openExperiment(file, createTemplateRenderer)).plan;
  const manifests: unknown[] = [
    { runId: 'bad', experiment: { ...spec, conditions: [{ id: 'en' }] }, createdAt: 'x', plannedRequests: 1 },
    { runId: 'bad', experiment: { ...spec, survey: 5 }, createdAt: 'x', plannedRequests: 1 },
    { runId: 'bad', experiment: { ...spec, models: 'none' }, createdAt: 'x', plannedRequests: 1 },
    { runId: 7, experiment: { ...spec, conditions: [{ ...spec.conditions[0], lang: 3 }] }, createdAt: 'x', plannedRequests: 1 },
  ];
  await Promise.all(manifests.map(async (m) => {
    const dir = path.join(tempDir('as-bad-run-'), 'bad');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m, null, 2));
    fs.writeFileSync(path.join(dir, 'responses.jsonl'), '');
    for (const args of [['score', dir], ['export', dir, '--format', 'json', '--out', path.join(dir, '..', 'out.json')]]) {
      const r = await cli(args);
      assert.equal(r.status, 2, `${JSON.stringify(m)}: ${r.stderr}`);
      assert.match(r.stderr, /manifest\.json:\d+:\d+: .*\(field "[^"]+"\)/, r.stderr);
      assertNoRawError(r.stderr);
    }
  }));
  const bad = path.join(tempDir('as-bad-run-'), 'bad');
  fs.mkdirSync(bad);
  // Records with wrong types are quarantined with their line and field (or, with --strict, a located error).
  fs.copyFileSync(path.join(ws.dir, 'personas.jsonl'), path.join(bad, '..', 'personas.jsonl'));
  fs.copyFileSync(path.join(ws.dir, 'wvs.survey.json'), path.join(bad, '..', 'wvs.survey.json'));
  fs.writeFileSync(path.join(bad, 'manifest.json'), JSON.stringify({ runId: 'bad', experiment: spec, createdAt: '2020-01-01T00:00:00Z', plannedRequests: 2 }, null, 2));
  const record = { hash: 'h1', condition: 'en', model: 'gpt35-recorded', lang: 'en', personaId: 'egypt-0001', questionId: 'Q19', variant: 0, sample: 0, text: '(1)', t: 1 };
  fs.writeFileSync(path.join(bad, 'responses.jsonl'), [{ ...record, lang: 5 }, { ...record, hash: 'h2', personaId: { id: 1 } }, { ...record, hash: 'h3', condition: ['en'] }].map((x) => JSON.stringify(x)).join('\n') + '\n');
  const lenient = await cli(['score', bad, '--json']);
  assertNoRawError(lenient.stderr);
  assert.match(lenient.stderr, /responses\.jsonl:1: .*\(field "lang"\)/);
  assert.match(lenient.stderr, /responses\.jsonl:2: .*\(field "personaId"\)/);
  const strict = await cli(['score', bad, '--strict']);
  assert.equal(strict.status, 2, strict.stderr);
  assert.match(strict.stderr, /responses\.jsonl:1:1: .*\(field "lang"\)/);
});
