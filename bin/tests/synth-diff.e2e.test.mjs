// bin/synth-diff end to end, with real synths (Maven builds the Lambda jar, the real CDK CLI
// synthesizes): in a scratch clone of HEAD, a working tree that flips prod's retainData shows
// exactly that change, and the unchanged tree says "no differences". Four synths: about 2 minutes
// of CPU, more wall-clock time on a busy machine (hence the generous timeout).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TIMEOUT = 25 * 60 * 1000;
let scratch;
let clone;

function sh(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-diff-e2e-'));
  clone = path.join(scratch, 'repo');
  const cloned = sh('git', ['clone', '--quiet', '--shared', root, clone], scratch);
  assert.equal(cloned.status, 0, cloned.err);
  // Test the working tree's synth-diff (it may not be committed yet) on HEAD's app.
  for (const file of ['bin/synth-diff', 'bin/lib/template-diff.mjs']) {
    fs.copyFileSync(path.join(root, file), path.join(clone, file));
  }
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(clone, 'node_modules'));
});

after(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

test('a working tree that flips prod\'s retainData: that change, in prod only', { timeout: TIMEOUT }, () => {
  const cdkJson = path.join(clone, 'cdk.json');
  const config = JSON.parse(fs.readFileSync(cdkJson, 'utf8'));
  assert.equal(config.context['upload-dashboard:environments'].prod.retainData, true);
  config.context['upload-dashboard:environments'].prod.retainData = false;
  fs.writeFileSync(cdkJson, JSON.stringify(config, null, 2) + '\n');
  const markdown = path.join(scratch, 'flip.md');

  const r = sh(path.join(clone, 'bin/synth-diff'), ['HEAD', '--markdown', markdown, '--fail-on', 'destructive'], clone);

  assert.equal(r.status, 0, r.err + r.out);
  assert.match(r.out, /^synth-diff: HEAD \([0-9a-f]+\) -> working tree \(HEAD [0-9a-f]+ \+ uncommitted changes\)$/m);
  assert.match(r.out, /^Stack UploadDashboard-dev: no differences$/m);
  const prod = r.out.split('Stack UploadDashboard-prod\n')[1].split('\n\n')[0];
  assert.match(prod, /\[~\] AWS::DynamoDB::Table Metadata\/Table\/Resource \(MetadataTable\)\n {6}DeletionPolicy: "Retain" → "Delete"\n {6}Properties\.DeletionProtectionEnabled: true → false/);
  assert.match(prod, /\[~\] AWS::S3::Bucket Uploads\/Bucket\/Resource \(UploadBucket\)\n {6}DeletionPolicy: "Retain" → "Delete"/);
  assert.match(prod, /\[\+\] Custom::S3AutoDeleteObjects Uploads\/Bucket\/AutoDeleteObjectsCustomResource\/Default/);
  assert.match(prod, /Properties\.RetentionInDays: 90 → 7/);
  assert.doesNotMatch(prod, /REPLACE/);
  const security = r.out.split('=== Security changes')[1];
  assert.match(security, /~ MetadataTable: Properties\.DeletionProtectionEnabled: true → false/);
  assert.match(r.out, /=== Destructive changes \(tables, buckets, user pools\) =+\nnone/);
  const summary = fs.readFileSync(markdown, 'utf8');
  assert.match(summary, /^\| `UploadDashboard-dev` \| 0 \| 0 \| 0 \| 0 \| 0 \|$/m);
  assert.match(summary, /^\| `UploadDashboard-prod` \| [1-9]\d* \| 0 \| [1-9]\d* \| 0 \| [1-9]\d* \|$/m);
});

test('the unchanged tree against HEAD: "no differences"', { timeout: TIMEOUT }, () => {
  const restored = sh('git', ['checkout', '--', 'cdk.json'], clone);
  assert.equal(restored.status, 0, restored.err);
  const out = path.join(scratch, 'kept');

  const r = sh(path.join(clone, 'bin/synth-diff'), ['HEAD', '--out', out], clone);

  assert.equal(r.status, 0, r.err + r.out);
  assert.match(r.out, /^no differences \(2 stacks compared: UploadDashboard-dev, UploadDashboard-prod\)$/m);
  // --out keeps both real assemblies.
  for (const side of ['base', 'head']) {
    assert.ok(fs.existsSync(path.join(out, side, 'UploadDashboard-prod.template.json')), side);
  }
});
