// Fast checks of the bin/ scripts' failure paths: each stops with a clear message before any
// slow work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function run(script, args, env = process.env) {
  const r = spawnSync(path.join(root, script), args, { cwd: root, encoding: 'utf8', env });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('bin/check-synth fails, naming the fix, when cfn-lint is missing (it never skips the lint)', () => {
  const withoutCfnLint = process.env.PATH.split(path.delimiter)
    .filter((d) => !fs.existsSync(path.join(d, 'cfn-lint')))
    .join(path.delimiter);
  const env = { ...process.env, PATH: withoutCfnLint };
  for (const v of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete env[v];
  const r = run('bin/check-synth', [], env);
  assert.equal(r.status, 1);
  assert.match(r.err, /check-synth: FAIL: cfn-lint is not on the PATH: install it \(pipx install cfn-lint==/);
});

test('bin/synth-diff explains its usage and refuses what it cannot compare', () => {
  const help = run('bin/synth-diff', ['--help']);
  assert.equal(help.status, 0);
  assert.match(help.out, /Usage: bin\/synth-diff \[BASE\] \[--markdown FILE\] \[--fail-on destructive\]/);

  const badRef = run('bin/synth-diff', ['no-such-ref-anywhere']);
  assert.equal(badRef.status, 1);
  assert.match(badRef.err, /synth-diff: FAIL: 'no-such-ref-anywhere' is not a commit/);

  const badGate = run('bin/synth-diff', ['HEAD', '--fail-on', 'everything']);
  assert.equal(badGate.status, 1);
  assert.match(badGate.err, /--fail-on takes 'destructive', got 'everything'/);

  const unknown = run('bin/synth-diff', ['--frobnicate']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.err, /unknown option --frobnicate/);
});
