// bin/synth-diff's comparison (bin/lib/template-diff.mjs) on small hand-written cloud assemblies,
// with the real CloudFormation resource specification the pinned CDK CLI ships.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'bin/lib/template-diff.mjs');

function table(extra = {}) {
  return {
    Type: 'AWS::DynamoDB::Table',
    DeletionPolicy: 'Delete',
    UpdateReplacePolicy: 'Delete',
    Properties: {
      KeySchema: [{ AttributeName: 'bucket', KeyType: 'HASH' }, { AttributeName: 'object_key', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...extra,
    },
    Metadata: { 'aws:cdk:path': 'UploadDashboard-dev/Metadata/Table/Resource' },
  };
}

function bucket(extra = {}) {
  return {
    Type: 'AWS::S3::Bucket',
    Properties: {
      CorsConfiguration: { CorsRules: [{ AllowedOrigins: ['https://d111.cloudfront.net'], AllowedMethods: ['PUT', 'GET'] }] },
      ...extra,
    },
    Metadata: { 'aws:cdk:path': 'UploadDashboard-dev/Uploads/Bucket/Resource' },
  };
}

function policy(statements) {
  return {
    Type: 'AWS::IAM::Policy',
    Properties: {
      PolicyDocument: { Version: '2012-10-17', Statement: statements },
      PolicyName: 'DeleteFileRoleDefaultPolicy',
      Roles: [{ Ref: 'DeleteFileRole' }],
    },
  };
}

const deleteObject = {
  Effect: 'Allow',
  Action: 's3:DeleteObject',
  Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['UploadBucket', 'Arn'] }, '/incoming/*']] },
};
const deleteItem = { Effect: 'Allow', Action: 'dynamodb:DeleteItem', Resource: { 'Fn::GetAtt': ['MetadataTable', 'Arn'] } };

function headers(csp) {
  return {
    Type: 'AWS::CloudFront::ResponseHeadersPolicy',
    Properties: {
      ResponseHeadersPolicyConfig: {
        Name: 'headers',
        SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: csp, Override: true } },
      },
    },
  };
}

function template(resources, outputs = {}) {
  return { Resources: resources, Outputs: outputs };
}

const base = {
  MetadataTable: table(),
  UploadBucket: bucket(),
  DeletePolicy: policy([deleteObject, deleteItem]),
  Headers: headers("default-src 'self'"),
};

/** Writes an assembly: { stackName: template }, plus optional extra files { relativePath: text }. */
function assembly(stacks, files = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'template-diff-test-'));
  for (const [name, t] of Object.entries(stacks)) {
    fs.writeFileSync(path.join(dir, `${name}.template.json`), JSON.stringify(t, null, 1));
  }
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

function run(args) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('identical assemblies: "no differences", exit 0, and a Markdown summary that says so', () => {
  const a = assembly({ 'UploadDashboard-dev': template(base), 'UploadDashboard-prod': template(base) });
  const b = assembly({ 'UploadDashboard-dev': template(base), 'UploadDashboard-prod': template(base) });
  const md = path.join(b, 'summary.md');
  const r = run([a, b, '--markdown', md, '--fail-on', 'destructive']);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^no differences \(2 stacks compared: UploadDashboard-dev, UploadDashboard-prod\)$/m);
  const summary = fs.readFileSync(md, 'utf8');
  assert.ok(summary.startsWith('<!-- synth-diff -->'), summary);
  assert.match(summary, /\*\*No differences\*\* in 2 stacks/);
});

test('added, removed and changed resources with property paths; outputs too', () => {
  const after = { ...base, Queue: { Type: 'AWS::SQS::Queue', Properties: {} } };
  delete after.Headers;
  after.MetadataTable = table({ BillingMode: 'PROVISIONED' });
  const r = run([
    assembly({ s: template(base, { ApiUrl: { Value: 'a' } }) }),
    assembly({ s: template(after, { ApiUrl: { Value: 'b' } }) }),
  ]);
  assert.equal(r.status, 0, r.err);
  assert.match(r.out, /^ {2}\[\+\] AWS::SQS::Queue Queue$/m);
  assert.match(r.out, /^ {2}\[-\] AWS::CloudFront::ResponseHeadersPolicy Headers$/m);
  assert.match(r.out, /^ {2}\[~\] AWS::DynamoDB::Table Metadata\/Table\/Resource \(MetadataTable\)$/m);
  assert.match(r.out, /^ {6}Properties\.BillingMode: "PAY_PER_REQUEST" → "PROVISIONED"$/m);
  assert.match(r.out, /^ {2}\[~\] Outputs ApiUrl: Value: "a" → "b"$/m);
  assert.match(r.out, /1 of 1 stacks differ: 1 resources added, 1 removed, 1 changed \(0 replaced\)/);
  assert.doesNotMatch(r.out, /no differences/);
});

test('a key schema change replaces the table: destructive, and --fail-on destructive exits 2', () => {
  const after = { ...base, MetadataTable: table({ KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }) };
  const a = assembly({ s: template(base) });
  const b = assembly({ s: template(after) });
  const plain = run([a, b]);
  assert.equal(plain.status, 0, plain.err);
  assert.match(plain.out, /\(MetadataTable\) REPLACE$/m);
  assert.match(plain.out, /Properties\.KeySchema: .* {2}\(replaces\)$/m);
  assert.match(plain.out, /! s: AWS::DynamoDB::Table MetadataTable replaced \(KeySchema\)/);
  const gated = run([a, b, '--fail-on', 'destructive']);
  assert.equal(gated.status, 2);
  assert.match(gated.out, /FAIL: 1 destructive change\(s\) and --fail-on destructive/);
});

test('removing a bucket is destructive; a retained one is reported as kept in the account', () => {
  const gone = { ...base };
  delete gone.UploadBucket;
  const r = run([assembly({ s: template(base) }), assembly({ s: template(gone) }), '--fail-on', 'destructive']);
  assert.equal(r.status, 2);
  assert.match(r.out, /! s: AWS::S3::Bucket UploadBucket removed \(deleted with its data\)/);

  const retained = { ...base, UploadBucket: { ...bucket(), DeletionPolicy: 'Retain' } };
  const kept = run([assembly({ s: template(retained) }), assembly({ s: template(gone) })]);
  assert.match(kept.out, /UploadBucket removed from the stack \(kept in the account by its Retain policy\)/);
});

test('a renamed logical ID of the table is a removal plus an addition: destructive', () => {
  const renamed = { ...base, MetadataTable2: base.MetadataTable };
  delete renamed.MetadataTable;
  const r = run([assembly({ s: template(base) }), assembly({ s: template(renamed) }), '--fail-on', 'destructive']);
  assert.equal(r.status, 2);
  assert.match(r.out, /\[-\] AWS::DynamoDB::Table .*\(MetadataTable\)/);
  assert.match(r.out, /\[\+\] AWS::DynamoDB::Table .*\(MetadataTable2\)/);
});

test('security section: IAM statements as sets, CORS, the CSP header', () => {
  const wider = { ...deleteObject, Action: ['s3:DeleteObject', 's3:PutObject'] };
  const after = {
    ...base,
    DeletePolicy: policy([deleteItem, wider]),
    UploadBucket: bucket({
      CorsConfiguration: { CorsRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['PUT', 'GET'] }] },
    }),
    Headers: headers("default-src 'self' https://evil.example"),
  };
  const r = run([assembly({ s: template(base) }), assembly({ s: template(after) })]);
  assert.equal(r.status, 0, r.err);
  const security = r.out.split('=== Security changes')[1].split('=== Destructive')[0];
  assert.match(security, /\+ DeletePolicy: Allow s3:DeleteObject, s3:PutObject on \$\{UploadBucket\.Arn\}\/incoming\/\* \(attached to \[\$\{DeleteFileRole\}\]\)/);
  assert.match(security, /- DeletePolicy: Allow s3:DeleteObject on \$\{UploadBucket\.Arn\}\/incoming\/\*/);
  // The unchanged statement moved position: not a security change.
  assert.doesNotMatch(security, /dynamodb:DeleteItem/);
  assert.match(security, /~ UploadBucket: Properties\.CorsConfiguration\.CorsRules\[0\]\.AllowedOrigins\[0\]: "https:\/\/d111\.cloudfront\.net" → "\*"/);
  assert.match(security, /~ Headers: .*ContentSecurityPolicy: "default-src 'self'" → "default-src 'self' https:\/\/evil\.example"/);
});

test('security section: the meta Content-Security-Policy of the published index.html', () => {
  const deployment = (hash) => ({
    Type: 'Custom::CDKBucketDeployment',
    Properties: {
      SourceObjectKeys: [`${hash}.zip`],
      SourceMarkers: [{ '<<marker:0xbaba:0>>': { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] } }],
    },
  });
  const page = (connect) =>
    `<head><meta http-equiv="Content-Security-Policy" content="default-src 'self'; connect-src ${connect}"></head>`;
  const a = assembly({ s: template({ ...base, Site: deployment('aaa') }) }, { 'asset.aaa/index.html': page('<<marker:0xbaba:0>>') });
  const b = assembly(
    { s: template({ ...base, Site: deployment('bbb') }) },
    { 'asset.bbb/index.html': page('<<marker:0xbaba:0>> https://*') },
  );
  const r = run([a, b]);
  assert.match(
    r.out,
    /~ Site: meta Content-Security-Policy: default-src 'self'; connect-src \$\{Api\.ApiEndpoint\} → default-src 'self'; connect-src \$\{Api\.ApiEndpoint\} https:\/\/\*/,
  );
});

test('reordered lists are reported once as a new order, not element by element', () => {
  const after = { ...base, DeletePolicy: policy([deleteItem, deleteObject]) };
  const r = run([assembly({ s: template(base) }), assembly({ s: template(after) })]);
  assert.match(r.out, /Properties\.PolicyDocument\.Statement: same elements, new order/);
  assert.match(r.out, /=== Security changes =+\nnone/);
});

test('stacks only on one side are reported as added or removed', () => {
  const r = run([assembly({ a: template(base) }), assembly({ a: template(base), b: template(base) })]);
  assert.match(r.out, /^Stack b \(added\)$/m);
  assert.match(r.out, /^Stack a: no differences$/m);
});

test('Markdown summary: table per stack, destructive and security sections', () => {
  const after = { ...base, MetadataTable: table({ TableName: 'fixed' }), DeletePolicy: policy([deleteItem]) };
  const dir = assembly({ s: template(after) });
  const md = path.join(dir, 'out.md');
  const r = run([assembly({ s: template(base) }), dir, '--markdown', md, '--base-label', 'main', '--head-label', 'pr']);
  assert.equal(r.status, 0, r.err);
  const text = fs.readFileSync(md, 'utf8');
  assert.match(text, /^### Synthesized infrastructure: `main` → `pr`$/m);
  assert.match(text, /^\| `s` \| 0 \| 0 \| 2 \| 1 \| 1 \|$/m);
  assert.match(text, /^- `s`: `AWS::DynamoDB::Table` `MetadataTable` replaced \(TableName\)$/m);
  assert.match(text, /^- `s` - `DeletePolicy`: Allow s3:DeleteObject/m);
});

test('unusable input: exit 1 with a message', () => {
  const missing = run([path.join(os.tmpdir(), 'no-such-assembly-dir'), assembly({ s: template(base) })]);
  assert.equal(missing.status, 1);
  assert.match(missing.err, /no cloud assembly at/);
  const badFlag = run([assembly({ s: template(base) }), assembly({ s: template(base) }), '--fail-on', 'anything']);
  assert.equal(badFlag.status, 1);
  assert.match(badFlag.err, /--fail-on takes 'destructive'/);
});

test('a Markdown summary too long for a GitHub comment is cut with a note', () => {
  const many = {};
  for (let i = 0; i < 400; i++) many[`Queue${i}`] = { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 0, Name: 'x'.repeat(120) } };
  const changed = {};
  for (let i = 0; i < 400; i++) changed[`Queue${i}`] = { Type: 'AWS::SQS::Queue', Properties: { DelaySeconds: 5, Name: 'y'.repeat(120) } };
  const dir = assembly({ s: template(changed) });
  const md = path.join(dir, 'long.md');
  const r = run([assembly({ s: template(many) }), dir, '--markdown', md]);
  assert.equal(r.status, 0, r.err);
  const text = fs.readFileSync(md, 'utf8');
  assert.ok(text.length < 65536, `${text.length} characters`);
  assert.match(text, /cut at 60000 characters: the full report is in the job log/);
  assert.match(text, /1 of 1 stacks differ: 0 resources added, 0 removed, 400 changed/);
  assert.equal((text.match(/```/g) ?? []).length % 2, 0, 'code fences stay balanced');
});
