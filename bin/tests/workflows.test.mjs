// The GitHub workflows cannot run here, so what can be checked is checked: every script a step
// calls exists and is executable, every action is pinned by commit SHA, permissions are granted
// per job and never broadly, prod deploys only by hand behind its GitHub environment with OIDC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = path.join(root, '.github/workflows');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();
const workflows = Object.fromEntries(files.map((f) => [f, parse(fs.readFileSync(path.join(dir, f), 'utf8'))]));

function jobs(workflow) {
  return Object.entries(workflow.jobs ?? {});
}

function steps(workflow) {
  return jobs(workflow).flatMap(([, job]) => job.steps ?? []);
}

/** The `on:` triggers (the YAML 1.1 boolean pitfall aside: `on` stays a string key in YAML 1.2). */
function triggers(workflow) {
  const on = workflow.on;
  return typeof on === 'string' ? [on] : Array.isArray(on) ? on : Object.keys(on ?? {});
}

test('the pull-request and per-environment deploy workflows exist', () => {
  assert.deepEqual(files, ['deploy-dev.yml', 'deploy-prod.yml', 'deploy.yml', 'pull-request.yml']);
});

test('every script a step runs exists in the repository and is executable', () => {
  let checked = 0;
  for (const [file, workflow] of Object.entries(workflows)) {
    for (const step of steps(workflow)) {
      for (const [, script] of String(step.run ?? '').matchAll(/(?:^|[\s;&|(])(?:\.\/)?(bin\/[\w./-]+)/g)) {
        const full = path.join(root, script);
        assert.ok(fs.existsSync(full), `${file}: step "${step.name ?? step.run}" runs ${script}, which does not exist`);
        fs.accessSync(full, fs.constants.X_OK);
        checked++;
      }
    }
  }
  assert.ok(checked >= 3, `expected the workflows to call bin/ scripts, found ${checked}`);
});

test('every action is pinned to a full commit SHA; local reusable workflows exist', () => {
  for (const [file, workflow] of Object.entries(workflows)) {
    for (const step of steps(workflow)) {
      if (step.uses) assert.match(step.uses, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/, `${file}: ${step.uses}`);
    }
    for (const [name, job] of jobs(workflow)) {
      if (job.uses) {
        assert.match(job.uses, /^\.\/\.github\/workflows\/[\w-]+\.yml$/, `${file}/${name}: ${job.uses}`);
        assert.ok(fs.existsSync(path.join(root, job.uses)), `${file}/${name}: ${job.uses} is missing`);
      }
    }
  }
});

test('least privilege: nothing at the top level, each job only the scopes it needs', () => {
  const allowed = { contents: ['read'], 'pull-requests': ['write'], 'id-token': ['write'] };
  for (const [file, workflow] of Object.entries(workflows)) {
    assert.deepEqual(workflow.permissions, {}, `${file}: top-level permissions must be {}`);
    for (const [name, job] of jobs(workflow)) {
      assert.equal(typeof job.permissions, 'object', `${file}/${name}: permissions must be listed per job`);
      for (const [scope, level] of Object.entries(job.permissions)) {
        assert.ok(allowed[scope]?.includes(level), `${file}/${name}: ${scope}: ${level} is not allowed`);
      }
      // Only the deploy jobs may ask GitHub for an OIDC token.
      if (job.permissions['id-token']) assert.ok(/^deploy/.test(file), `${file}/${name}: id-token`);
    }
  }
  // The job that writes the PR comment runs none of the pull request's code.
  const comment = workflows['pull-request.yml'].jobs.comment;
  assert.deepEqual(comment.permissions, { 'pull-requests': 'write' });
  assert.ok(comment.steps.every((s) => s.uses && !s.run), 'the comment job only runs a pinned action');
  assert.ok(!/\$\{\{/.test(comment.steps[0].with.script), 'the comment body reaches the script via env, not interpolation');
});

test('the pull-request workflow tests, diffs against the base branch, uploads the templates and comments', () => {
  const pr = workflows['pull-request.yml'];
  assert.deepEqual(triggers(pr), ['pull_request']);
  const runs = steps(pr).map((s) => String(s.run ?? '')).join('\n');
  assert.match(runs, /^bin\/test$/m);
  assert.match(runs, /SYNTH_DIFF_MAIN="origin\/\$BASE_REF" bin\/synth-diff/);
  assert.match(runs, /--markdown synth-diff\.md --out synth-out --fail-on destructive/);
  const upload = pr.jobs['synth-diff'].steps.find((s) => String(s.uses).startsWith('actions/upload-artifact@'));
  assert.match(upload.with.path, /synth-out\/\*\/\*\.template\.json/);
  const checkout = pr.jobs['synth-diff'].steps[0];
  assert.equal(checkout.with['fetch-depth'], 0, 'the merge-base needs the history');
  assert.match(pr.jobs.comment.steps[0].with.script, /<!-- synth-diff -->/);
  // The marker the comment job looks for is the one bin/synth-diff writes.
  const lib = fs.readFileSync(path.join(root, 'bin/lib/template-diff.mjs'), 'utf8');
  assert.match(lib, /MARKDOWN_MARKER = '<!-- synth-diff -->'/);
});

test('deploys: OIDC role, GitHub environment per stack, prod by hand from main only', () => {
  const deploy = workflows['deploy.yml'];
  assert.deepEqual(triggers(deploy), ['workflow_call']);
  const job = deploy.jobs.deploy;
  assert.equal(job.environment, '${{ inputs.environment }}');
  const credentials = job.steps.find((s) => String(s.uses).startsWith('aws-actions/configure-aws-credentials@'));
  assert.equal(credentials.with['role-to-assume'], '${{ vars.AWS_DEPLOY_ROLE_ARN }}');
  assert.ok(!('aws-access-key-id' in credentials.with), 'no long-lived keys');
  const text = fs.readFileSync(path.join(dir, 'deploy.yml'), 'utf8');
  assert.doesNotMatch(text, /secrets\.AWS_/);
  const runs = job.steps.map((s) => String(s.run ?? '')).join('\n');
  assert.match(runs, /npx cdk deploy "UploadDashboard-\$DEPLOY_ENV"/);
  assert.match(runs, /--outputs-file cdk-outputs\.json/);
  // The offline check runs before any credentials exist (bin/check-synth refuses them).
  const order = job.steps.map((s) => String(s.run ?? s.uses));
  assert.ok(
    order.findIndex((s) => s.includes('bin/check-synth')) < order.findIndex((s) => s.startsWith('aws-actions/')),
  );

  const prod = workflows['deploy-prod.yml'];
  assert.deepEqual(triggers(prod), ['workflow_dispatch']);
  assert.equal(prod.jobs.deploy.uses, './.github/workflows/deploy.yml');
  assert.equal(prod.jobs.deploy.with.environment, 'prod');
  assert.equal(prod.jobs.deploy.if, "github.ref == 'refs/heads/main'");

  const dev = workflows['deploy-dev.yml'];
  assert.deepEqual(triggers(dev).sort(), ['push', 'workflow_dispatch']);
  assert.equal(dev.jobs.deploy.with.environment, 'dev');

  // Each deployed environment is one in cdk.json.
  const environments = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8')).context['upload-dashboard:environments'];
  for (const env of ['dev', 'prod']) assert.ok(env in environments, env);
});
