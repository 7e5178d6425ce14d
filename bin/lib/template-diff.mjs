// Compares two synthesized cloud assemblies (directories with <stack>.template.json files) and
// reports, per stack, the resources added, removed and changed (with property paths), which
// changes replace a resource, the security-relevant changes (IAM statements, resource policies,
// security groups, CORS, sign-in settings, Content-Security-Policies) and the destructive ones
// (removal or replacement of a table, a bucket or the user pool).
//
// Offline: which property changes replace a resource comes from the CloudFormation resource
// specification that the pinned CDK CLI ships (node_modules/aws-cdk/db.json.gz), the same data
// `cdk diff` uses.
//
// Usage: node bin/lib/template-diff.mjs BASE_DIR HEAD_DIR [--base-label TEXT] [--head-label TEXT]
//          [--markdown FILE] [--fail-on destructive] [--spec db.json.gz]
// Exit: 0 compared (with or without differences), 2 destructive changes with --fail-on
// destructive, 1 could not compare.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

/** Resource types whose loss loses data or users: their removal or replacement is destructive. */
export const STATEFUL_TYPES = new Set([
  'AWS::DynamoDB::Table',
  'AWS::S3::Bucket',
  'AWS::Cognito::UserPool',
]);

/** Resource types whose whole content is a permission (statements listed one by one). */
const POLICY_DOCUMENTS = {
  'AWS::IAM::Policy': [['PolicyDocument']],
  'AWS::IAM::ManagedPolicy': [['PolicyDocument']],
  'AWS::IAM::Role': [['AssumeRolePolicyDocument']],
  'AWS::S3::BucketPolicy': [['PolicyDocument']],
  'AWS::SQS::QueuePolicy': [['PolicyDocument']],
  'AWS::SNS::TopicPolicy': [['PolicyDocument']],
  'AWS::KMS::Key': [['KeyPolicy']],
};

/**
 * Security-relevant properties per resource type (top-level property names; '*' = all). A change
 * at or under one of them is listed in the security section.
 */
const SECURITY_PROPERTIES = {
  'AWS::IAM::Role': ['Policies', 'ManagedPolicyArns', 'PermissionsBoundary'],
  'AWS::IAM::Policy': ['Roles', 'Users', 'Groups'],
  'AWS::Lambda::Permission': ['*'],
  'AWS::Lambda::Url': ['AuthType', 'Cors'],
  'AWS::EC2::SecurityGroup': ['SecurityGroupIngress', 'SecurityGroupEgress'],
  'AWS::EC2::SecurityGroupIngress': ['*'],
  'AWS::EC2::SecurityGroupEgress': ['*'],
  'AWS::S3::Bucket': [
    'CorsConfiguration',
    'PublicAccessBlockConfiguration',
    'BucketEncryption',
    'OwnershipControls',
    'VersioningConfiguration',
    'LoggingConfiguration',
    'AccessControl',
  ],
  'AWS::ApiGatewayV2::Api': ['CorsConfiguration'],
  'AWS::ApiGatewayV2::Route': ['AuthorizationType', 'AuthorizerId', 'AuthorizationScopes'],
  'AWS::ApiGatewayV2::Authorizer': ['*'],
  'AWS::CloudFront::ResponseHeadersPolicy': ['*'],
  'AWS::CloudFront::OriginAccessControl': ['*'],
  'AWS::CloudFront::Distribution': ['DistributionConfig'],
  'AWS::Cognito::UserPool': [
    'Policies',
    'MfaConfiguration',
    'EnabledMfas',
    'AdminCreateUserConfig',
    'UserPoolAddOns',
    'AccountRecoverySetting',
    'DeletionProtection',
  ],
  'AWS::Cognito::UserPoolClient': ['*'],
  'AWS::Cognito::UserPoolGroup': ['*'],
  'AWS::SQS::Queue': ['SqsManagedSseEnabled', 'KmsMasterKeyId'],
  'AWS::DynamoDB::Table': ['SSESpecification', 'ResourcePolicy', 'DeletionProtectionEnabled'],
};

/** In a distribution, only these parts of DistributionConfig are security settings. */
const DISTRIBUTION_SECURITY_KEYS =
  /ViewerProtocolPolicy|ResponseHeadersPolicyId|ViewerCertificate|OriginAccessControlId|OriginAccessIdentity|WebACLId|GeoRestriction|MinimumProtocolVersion|Logging/;

// ---------------------------------------------------------------------------------------------
// Reading assemblies and the resource specification

/** Map of stack name to { template, dir } for every *.template.json in an assembly directory. */
export function readAssembly(dir) {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new Error(`no cloud assembly at ${dir}`);
  }
  const stacks = new Map();
  for (const file of fs.readdirSync(dir).sort()) {
    if (file.endsWith('.template.json')) {
      const name = file.slice(0, -'.template.json'.length);
      stacks.set(name, { template: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')), dir });
    }
  }
  return stacks;
}

/**
 * Which top-level properties replace a resource when they change: type -> { property: 'yes' |
 * 'maybe' }, from the CDK CLI's copy of the CloudFormation resource specification.
 */
export function readReplacementSpec(specFile) {
  const db = JSON.parse(zlib.gunzipSync(fs.readFileSync(specFile)));
  const entities = db?.schema?.resource?.entities;
  if (!entities) {
    throw new Error(`${specFile} is not a CloudFormation resource specification database`);
  }
  const spec = new Map();
  for (const resource of Object.values(entities)) {
    const replacing = {};
    for (const [name, property] of Object.entries(resource.properties ?? {})) {
      if (property.causesReplacement === 'yes' || property.causesReplacement === 'maybe') {
        replacing[name] = property.causesReplacement;
      }
    }
    spec.set(resource.cloudFormationType, replacing);
  }
  if (!spec.has('AWS::DynamoDB::Table')) {
    throw new Error(`${specFile} has no AWS::DynamoDB::Table: not the expected specification`);
  }
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Rendering values

/** CloudFormation values, compactly: {Ref: X} -> ${X}, {Fn::GetAtt: [X, A]} -> ${X.A}. */
export function render(value, limit = 160) {
  const text = renderValue(value);
  return text.length > limit ? text.slice(0, limit - 1) + '…' : text;
}

function renderValue(value) {
  if (value === undefined) return '(none)';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (!Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [key] = keys;
      const arg = value[key];
      if (key === 'Ref') return '${' + arg + '}';
      if (key === 'Fn::GetAtt' && Array.isArray(arg)) return '${' + arg.join('.') + '}';
      if (key === 'Fn::Join' && Array.isArray(arg) && Array.isArray(arg[1])) {
        return JSON.stringify(
          arg[1].map((p) => (typeof p === 'string' ? p : unquoted(p))).join(arg[0]),
        );
      }
      if (key === 'Fn::Sub') return JSON.stringify(Array.isArray(arg) ? arg[0] : arg);
    }
    return '{' + keys.map((k) => `${k}: ${renderValue(value[k])}`).join(', ') + '}';
  }
  return '[' + value.map(renderValue).join(', ') + ']';
}

function unquoted(value) {
  const text = renderValue(value);
  return text.startsWith('"') && text.endsWith('"') ? JSON.parse(text) : text;
}

// ---------------------------------------------------------------------------------------------
// Structural comparison

function canonical(value) {
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  if (value && typeof value === 'object') {
    return (
      '{' +
      Object.keys(value)
        .sort()
        .map((k) => JSON.stringify(k) + ':' + canonical(value[k]))
        .join(',') +
      '}'
    );
  }
  return JSON.stringify(value);
}

function equal(a, b) {
  return canonical(a) === canonical(b);
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The differences between two values as { path, before, after } (before/after undefined when the
 * value was added/removed). Arrays of equal length are compared element by element (or reported
 * once as reordered when they hold the same elements); otherwise the whole array is one change.
 */
export function diffValues(before, after, at = '') {
  if (equal(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], at ? `${at}.${k}` : k));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    const sorted = (list) => list.map(canonical).sort().join(',');
    if (sorted(before) === sorted(after)) return [{ path: at, before, after, reordered: true }];
    return before.flatMap((item, i) => diffValues(item, after[i], `${at}[${i}]`));
  }
  return [{ path: at, before, after }];
}

/** Metadata that only records where a resource is in the construct tree or which asset it is. */
function comparableMetadata(metadata) {
  if (!isPlainObject(metadata)) return metadata;
  const kept = Object.fromEntries(
    Object.entries(metadata).filter(([k]) => !k.startsWith('aws:cdk:') && !k.startsWith('aws:asset:')),
  );
  return Object.keys(kept).length ? kept : undefined;
}

function comparableResource(resource) {
  const { Metadata, ...rest } = resource;
  const metadata = comparableMetadata(Metadata);
  return metadata === undefined ? rest : { ...rest, Metadata: metadata };
}

function cdkPath(resource) {
  const p = resource?.Metadata?.['aws:cdk:path'];
  return typeof p === 'string' ? p.split('/').slice(1).join('/') : '';
}

/** Compares one resource present on both sides. */
function compareResource(id, before, after, spec) {
  const changes = diffValues(comparableResource(before), comparableResource(after));
  if (changes.length === 0) return null;
  const replacedBy = [];
  let impact = 'update';
  if (before.Type !== after.Type) {
    impact = 'replace';
    replacedBy.push('Type');
  } else {
    const replacing = spec.get(after.Type) ?? {};
    for (const [property, how] of Object.entries(replacing)) {
      if (!equal(before.Properties?.[property], after.Properties?.[property])) {
        replacedBy.push(property);
        if (how === 'yes') impact = 'replace';
        else if (impact !== 'replace') impact = 'may replace';
      }
    }
  }
  return { id, type: after.Type, path: cdkPath(after), impact, replacedBy, changes };
}

// ---------------------------------------------------------------------------------------------
// Security view

function asArray(v) {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function normalizedStatement(statement) {
  const s = { ...statement };
  for (const key of ['Action', 'NotAction', 'Resource', 'NotResource']) {
    if (s[key] !== undefined) s[key] = asArray(s[key]).slice().sort((a, b) => (canonical(a) < canonical(b) ? -1 : 1));
  }
  delete s.Sid;
  return s;
}

function describeStatement(s) {
  const parts = [s.Effect ?? 'Allow'];
  if (s.Action) parts.push(asArray(s.Action).map(unquoted).join(', '));
  if (s.NotAction) parts.push('all but ' + asArray(s.NotAction).map(unquoted).join(', '));
  if (s.Resource) parts.push('on ' + asArray(s.Resource).map(unquoted).join(', '));
  if (s.NotResource) parts.push('on all but ' + asArray(s.NotResource).map(unquoted).join(', '));
  if (s.Principal) parts.push('for ' + render(s.Principal, 120));
  if (s.Condition) parts.push('if ' + render(s.Condition, 160));
  return parts.join(' ');
}

/** Every policy statement of a resource, as canonical key -> description. */
function statementsOf(resource) {
  const found = new Map();
  if (!resource) return found;
  const add = (doc, label) => {
    for (const st of asArray(doc?.Statement)) {
      const n = normalizedStatement(st);
      found.set(label + canonical(n), (label ? label + ': ' : '') + describeStatement(n));
    }
  };
  for (const [key] of POLICY_DOCUMENTS[resource.Type] ?? []) {
    add(resource.Properties?.[key], resource.Type === 'AWS::IAM::Role' ? 'trust' : '');
  }
  if (resource.Type === 'AWS::IAM::Role') {
    for (const policy of asArray(resource.Properties?.Policies)) {
      add(policy.PolicyDocument, 'inline ' + (policy.PolicyName ?? ''));
    }
  }
  return found;
}

function attachedTo(resource) {
  const p = resource?.Properties ?? {};
  const target = p.Roles ?? p.Bucket ?? p.Queues ?? p.Topics;
  return target === undefined ? '' : ` (attached to ${render(target, 100)})`;
}

function isSecurityPath(type, change) {
  const properties = SECURITY_PROPERTIES[type];
  if (!properties) return false;
  const [first] = change.path.split(/[.[]/);
  if (first !== 'Properties') return false;
  const property = change.path.slice('Properties.'.length).split(/[.[]/)[0];
  if (type === 'AWS::CloudFront::Distribution') {
    return DISTRIBUTION_SECURITY_KEYS.test(change.path);
  }
  return properties.includes('*') || properties.includes(property);
}

/** The Content-Security-Policy meta element of each index.html a BucketDeployment publishes. */
function metaPolicies(resources, dir) {
  const policies = new Map();
  for (const [id, resource] of Object.entries(resources ?? {})) {
    if (resource.Type !== 'Custom::CDKBucketDeployment') continue;
    const keys = asArray(resource.Properties?.SourceObjectKeys);
    const markers = asArray(resource.Properties?.SourceMarkers);
    keys.forEach((key, i) => {
      const hash = String(key).replace(/\.zip$/, '');
      const file = path.join(dir, `asset.${hash}`, 'index.html');
      if (!fs.existsSync(file)) return;
      const html = fs.readFileSync(file, 'utf8');
      const match = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i);
      if (!match) return;
      let policy = match[1];
      for (const [marker, value] of Object.entries(markers[i] ?? {})) {
        policy = policy.split(marker).join(unquoted(value));
      }
      policies.set(id, policy);
    });
  }
  return policies;
}

function securityChanges(before, after, resourceDiff, dirs) {
  const out = [];
  const ids = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const id of ids) {
    const a = before[id];
    const b = after[id];
    const type = (b ?? a).Type;
    // Policy statements, as sets: reordering is not a change.
    const sa = statementsOf(a);
    const sb = statementsOf(b);
    for (const [key, text] of sb) if (!sa.has(key)) out.push({ sign: '+', id, type, text: text + attachedTo(b) });
    for (const [key, text] of sa) if (!sb.has(key)) out.push({ sign: '-', id, type, text: text + attachedTo(a) });
    if (SECURITY_PROPERTIES[type]) {
      if (!a || !b) {
        const r = a ?? b;
        const sign = a ? '-' : '+';
        if (!POLICY_DOCUMENTS[type]) {
          out.push({ sign, id, type, text: `${type} ${render(r.Properties ?? {}, 220)}` });
        }
      } else {
        const changed = resourceDiff.changed.find((c) => c.id === id);
        for (const change of changed?.changes ?? []) {
          if (isSecurityPath(type, change)) {
            out.push({ sign: '~', id, type, text: describeChange(change) });
          }
        }
      }
    }
  }
  const ma = metaPolicies(before, dirs.base);
  const mb = metaPolicies(after, dirs.head);
  for (const id of new Set([...ma.keys(), ...mb.keys()])) {
    if (ma.get(id) !== mb.get(id)) {
      out.push({
        sign: '~',
        id,
        type: 'index.html Content-Security-Policy',
        text: `meta Content-Security-Policy: ${ma.get(id) ?? '(none)'} → ${mb.get(id) ?? '(none)'}`,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Comparing assemblies

function compareSection(before = {}, after = {}) {
  const added = [];
  const removed = [];
  const changed = [];
  for (const id of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    if (!(id in before)) added.push({ id, value: after[id] });
    else if (!(id in after)) removed.push({ id, value: before[id] });
    else {
      const changes = diffValues(before[id], after[id]);
      if (changes.length) changed.push({ id, changes });
    }
  }
  return { added, removed, changed };
}

/** Compares one stack's two templates (either may be absent: stack added or removed). */
export function compareStack(name, base, head, spec, dirs) {
  const before = base?.Resources ?? {};
  const after = head?.Resources ?? {};
  const added = [];
  const removed = [];
  const changed = [];
  for (const id of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const a = before[id];
    const b = after[id];
    if (!a) added.push({ id, type: b.Type, path: cdkPath(b) });
    else if (!b) removed.push({ id, type: a.Type, path: cdkPath(a), retained: a.DeletionPolicy === 'Retain' });
    else {
      const c = compareResource(id, a, b, spec);
      if (c) changed.push(c);
    }
  }
  const resources = { added, removed, changed };
  const other = {};
  for (const section of ['Outputs', 'Parameters', 'Conditions', 'Mappings', 'Rules']) {
    const s = compareSection(base?.[section], head?.[section]);
    if (s.added.length || s.removed.length || s.changed.length) other[section] = s;
  }
  const topLevel = diffValues(
    { Description: base?.Description, Transform: base?.Transform },
    { Description: head?.Description, Transform: head?.Transform },
  );
  const security = securityChanges(before, after, resources, dirs);
  const destructive = [
    ...removed
      .filter((r) => STATEFUL_TYPES.has(r.type))
      .map((r) => ({ ...r, what: r.retained ? 'removed from the stack (kept in the account by its Retain policy)' : 'removed (deleted with its data)' })),
    ...changed
      .filter((c) => STATEFUL_TYPES.has(c.type) && c.impact !== 'update')
      .map((c) => ({ ...c, what: `${c.impact === 'replace' ? 'replaced' : 'may be replaced'} (${c.replacedBy.join(', ')})` })),
  ];
  const status = !base ? 'added' : !head ? 'removed' : 'compared';
  const different =
    status !== 'compared' ||
    added.length + removed.length + changed.length > 0 ||
    Object.keys(other).length > 0 ||
    topLevel.length > 0 ||
    security.length > 0;
  return { name, status, different, resources, other, topLevel, security, destructive };
}

export function compareAssemblies(baseDir, headDir, spec) {
  const base = readAssembly(baseDir);
  const head = readAssembly(headDir);
  if (base.size === 0) throw new Error(`no templates in ${baseDir}`);
  if (head.size === 0) throw new Error(`no templates in ${headDir}`);
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  return names.map((n) =>
    compareStack(n, base.get(n)?.template, head.get(n)?.template, spec, { base: baseDir, head: headDir }),
  );
}

export function totals(stacks) {
  const t = { stacks: stacks.length, different: 0, added: 0, removed: 0, changed: 0, replaced: 0, security: 0, destructive: 0 };
  for (const s of stacks) {
    if (!s.different) continue;
    t.different++;
    t.added += s.resources.added.length;
    t.removed += s.resources.removed.length;
    t.changed += s.resources.changed.length;
    t.replaced += s.resources.changed.filter((c) => c.impact !== 'update').length;
    t.security += s.security.length;
    t.destructive += s.destructive.length;
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// Reports

function resourceLabel(r) {
  return `${r.type} ${r.path || r.id}${r.path ? ` (${r.id})` : ''}`;
}

function impactLabel(c) {
  return c.impact === 'update' ? '' : c.impact === 'replace' ? ' REPLACE' : ' MAY REPLACE';
}

/** One change as text: "path: before → after", or "path: same elements, new order". */
export function describeChange(change, limit = 160) {
  const where = change.path || '(value)';
  if (change.reordered) return `${where}: same elements, new order`;
  return `${where}: ${render(change.before, limit)} → ${render(change.after, limit)}`;
}

function summaryLine(t) {
  return (
    `${t.different} of ${t.stacks} stacks differ: ${t.added} resources added, ${t.removed} removed, ` +
    `${t.changed} changed (${t.replaced} replaced), ${t.security} security changes, ` +
    `${t.destructive} destructive`
  );
}

export function textReport(stacks, labels) {
  const t = totals(stacks);
  const lines = [`synth-diff: ${labels.base} -> ${labels.head}`];
  if (t.different === 0) {
    lines.push(`no differences (${t.stacks} stacks compared: ${stacks.map((s) => s.name).join(', ')})`);
    return lines.join('\n') + '\n';
  }
  for (const s of stacks.filter((x) => x.different)) {
    lines.push('', `Stack ${s.name}${s.status === 'compared' ? '' : ` (${s.status})`}`);
    for (const c of s.topLevel) lines.push(`  [~] ${describeChange(c)}`);
    for (const r of s.resources.added) lines.push(`  [+] ${resourceLabel(r)}`);
    for (const r of s.resources.removed) lines.push(`  [-] ${resourceLabel(r)}${r.retained ? ' (retained)' : ''}`);
    for (const c of s.resources.changed) {
      lines.push(`  [~] ${resourceLabel(c)}${impactLabel(c)}`);
      for (const ch of c.changes) {
        const replaces = c.replacedBy.includes(ch.path.replace(/^Properties\./, '').split(/[.[]/)[0]) && ch.path.startsWith('Properties.');
        lines.push(`      ${describeChange(ch)}${replaces ? '  (replaces)' : ''}`);
      }
    }
    for (const [section, d] of Object.entries(s.other)) {
      for (const x of d.added) lines.push(`  [+] ${section} ${x.id}: ${render(x.value)}`);
      for (const x of d.removed) lines.push(`  [-] ${section} ${x.id}`);
      for (const x of d.changed) {
        for (const ch of x.changes) lines.push(`  [~] ${section} ${x.id}: ${describeChange(ch)}`);
      }
    }
  }
  for (const s of stacks.filter((x) => !x.different)) lines.push('', `Stack ${s.name}: no differences`);
  const secure = stacks.filter((s) => s.security.length);
  lines.push('', '=== Security changes ' + '='.repeat(40));
  if (secure.length === 0) lines.push('none');
  for (const s of secure) {
    lines.push(`${s.name}`);
    for (const x of s.security) lines.push(`  ${x.sign} ${x.id}: ${x.text}`);
  }
  const destructive = stacks.flatMap((s) => s.destructive.map((d) => ({ stack: s.name, ...d })));
  lines.push('', '=== Destructive changes (tables, buckets, user pools) ' + '='.repeat(7));
  if (destructive.length === 0) lines.push('none');
  for (const d of destructive) lines.push(`  ! ${d.stack}: ${d.type} ${d.id} ${d.what}`);
  lines.push('', summaryLine(t));
  return lines.join('\n') + '\n';
}

function md(text) {
  return String(text).replace(/\|/g, '\\|').replace(/`/g, "'");
}

export const MARKDOWN_MARKER = '<!-- synth-diff -->';

export function markdownReport(stacks, labels) {
  const t = totals(stacks);
  const out = [MARKDOWN_MARKER, `### Synthesized infrastructure: \`${md(labels.base)}\` → \`${md(labels.head)}\``, ''];
  if (t.different === 0) {
    out.push(`**No differences** in ${t.stacks} stacks (${stacks.map((s) => `\`${s.name}\``).join(', ')}).`);
    return out.join('\n') + '\n';
  }
  if (t.destructive) out.push(`> [!CAUTION]\n> **${t.destructive} destructive change(s)**: a table, bucket or user pool is removed or replaced.`, '');
  if (t.security) out.push(`> [!WARNING]\n> **${t.security} security-relevant change(s)**: review the Security section.`, '');
  out.push('| stack | added | removed | changed | replaced | security |', '|---|---:|---:|---:|---:|---:|');
  for (const s of stacks) {
    const r = s.resources;
    out.push(
      `| \`${s.name}\`${s.status === 'compared' ? '' : ` (${s.status})`} | ${r.added.length} | ${r.removed.length} | ${r.changed.length} | ` +
        `${r.changed.filter((c) => c.impact !== 'update').length} | ${s.security.length} |`,
    );
  }
  const destructive = stacks.flatMap((s) => s.destructive.map((d) => ({ stack: s.name, ...d })));
  if (destructive.length) {
    out.push('', '#### Destructive');
    for (const d of destructive) out.push(`- \`${d.stack}\`: \`${d.type}\` \`${d.id}\` ${md(d.what)}`);
  }
  const secure = stacks.filter((s) => s.security.length);
  if (secure.length) {
    out.push('', '#### Security');
    for (const s of secure) {
      for (const x of s.security) out.push(`- \`${s.name}\` ${x.sign} \`${x.id}\`: ${md(x.text)}`);
    }
  }
  for (const s of stacks.filter((x) => x.different)) {
    out.push('', `<details><summary>${s.name}: resource changes</summary>`, '', '```diff');
    for (const r of s.resources.added) out.push(`+ ${resourceLabel(r)}`);
    for (const r of s.resources.removed) out.push(`- ${resourceLabel(r)}`);
    for (const c of s.resources.changed) {
      out.push(`! ${resourceLabel(c)}${impactLabel(c)}`);
      for (const ch of c.changes.slice(0, 20)) out.push(`    ${describeChange(ch, 100)}`);
      if (c.changes.length > 20) out.push(`    … ${c.changes.length - 20} more`);
    }
    for (const [section, d] of Object.entries(s.other)) {
      for (const x of d.added) out.push(`+ ${section} ${x.id}`);
      for (const x of d.removed) out.push(`- ${section} ${x.id}`);
      for (const x of d.changed) out.push(`! ${section} ${x.id}`);
    }
    out.push('```', '', '</details>');
  }
  out.push('', summaryLine(t));
  const text = out.join('\n') + '\n';
  // GitHub refuses comments over 65,536 characters: keep the head, say what was cut.
  if (text.length <= MARKDOWN_LIMIT) return text;
  const cut = text.slice(0, MARKDOWN_LIMIT - 400);
  const opened = (cut.match(/```/g) ?? []).length % 2 === 1;
  return `${cut}${opened ? '\n```' : ''}\n\n… cut at ${MARKDOWN_LIMIT} characters: the full report is in the job log.\n\n${summaryLine(t)}\n`;
}

/** Longest Markdown summary written (a GitHub comment holds at most 65,536 characters). */
export const MARKDOWN_LIMIT = 60000;

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const options = { positional: [], failOn: null, markdown: null, spec: null, baseLabel: null, headLabel: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--markdown') options.markdown = value();
    else if (a === '--fail-on') options.failOn = value();
    else if (a === '--spec') options.spec = value();
    else if (a === '--base-label') options.baseLabel = value();
    else if (a === '--head-label') options.headLabel = value();
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else options.positional.push(a);
  }
  if (options.positional.length !== 2) throw new Error('expected BASE_DIR and HEAD_DIR');
  if (options.failOn !== null && options.failOn !== 'destructive') {
    throw new Error(`--fail-on takes 'destructive', got '${options.failOn}'`);
  }
  return options;
}

export function main(argv, { stdout = process.stdout } = {}) {
  const options = parseArgs(argv);
  const [baseDir, headDir] = options.positional;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const specFile = options.spec ?? path.resolve(here, '../../node_modules/aws-cdk/db.json.gz');
  if (!fs.existsSync(specFile)) {
    throw new Error(`${specFile} not found: run 'npm ci' (the pinned CDK CLI ships the resource specification)`);
  }
  const spec = readReplacementSpec(specFile);
  const stacks = compareAssemblies(baseDir, headDir, spec);
  const labels = { base: options.baseLabel ?? baseDir, head: options.headLabel ?? headDir };
  stdout.write(textReport(stacks, labels));
  if (options.markdown) fs.writeFileSync(options.markdown, markdownReport(stacks, labels));
  const t = totals(stacks);
  if (options.failOn === 'destructive' && t.destructive > 0) {
    stdout.write(`synth-diff: FAIL: ${t.destructive} destructive change(s) and --fail-on destructive\n`);
    return 2;
  }
  return 0;
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`synth-diff: ${e.message}\n`);
    process.exitCode = 1;
  }
}
