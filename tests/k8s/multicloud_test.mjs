// deploy/multicloud.sh against recording stand-ins for kubectl and docker
// (tests/k8s/stand-ins; no cluster runs here): the order of its steps, what it
// applies to each cluster, --dry-run, a second run, and each failure path.
//   node multicloud_test.mjs [case]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, here, kubectl, main, parseAll, source } from './lib.mjs';
import { violations } from './policy.mjs';

const script = join(source, 'deploy', 'multicloud.sh');
const standIns = join(here, 'stand-ins');
const registry = 'registry.example/playground';
const args = ['--gke', 'gke-ctx', '--aks', 'aks-ctx', '--registry', registry, '--tag', 'c0ffee'];
const aksAddress = '20.1.2.3';
const gkeAddress = '34.5.6.7';

// Runs the script in a fresh state directory (or the given one) with the
// stand-ins first on PATH. Returns its status, output, the calls it made and
// the objects it applied, per cluster.
const made = [];
process.on('exit', () => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
function deploy(extraArgs = [], env = {}, state = undefined, baseArgs = args) {
  if (!state) made.push((state = mkdtempSync(join(tmpdir(), 'playground-multicloud-test-'))));
  const log = join(state, 'log');
  const base = { ...process.env };
  delete base.PLAYGROUND_TOKEN;
  const result = spawnSync('bash', [script, ...baseArgs, ...extraArgs], {
    encoding: 'utf8',
    timeout: 60000,
    env: {
      ...base,
      PATH: `${standIns}:${process.env.PATH}`,
      REAL_KUBECTL: kubectl(),
      PLAYGROUND_BUILD_SCRIPT: join(standIns, 'build-images'),
      PLAYGROUND_POLL_INTERVAL: '0.05',
      FAKE_LOG: log,
      FAKE_STATE: state,
      FAKE_CONTEXTS: 'gke-ctx aks-ctx other-ctx',
      FAKE_ADDRESSES: `aks-ctx/playground-backend=${aksAddress} gke-ctx/playground-frontend=${gkeAddress}`,
      FAKE_PENDING_POLLS: '2',
      ...env,
    },
  });
  let calls = [];
  try {
    calls = readFileSync(log, 'utf8').trim().split('\n')
      .filter((l) => l && !l.startsWith('kubectl kustomize') && !l.startsWith('kubectl config'));
  } catch { /* no call at all */ }
  const applied = readdirSync(state).filter((f) => f.startsWith('applied.')).sort((a, b) => a.split('.')[1] - b.split('.')[1])
    .map((f) => ({ context: f.split('.')[2], objects: parseAll(readFileSync(join(state, f), 'utf8')) }));
  return { ...result, calls, applied, state };
}

const find = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name.startsWith(name));
const images = (objects) => objects.flatMap((o) => {
  const pod = o.spec?.template?.spec;
  return pod ? [...(pod.initContainers ?? []), ...pod.containers].map((c) => c.image) : [];
});

// Index of the first call matching pattern at or after `from`; fails if none.
function callIndex(calls, pattern, from = 0) {
  const i = calls.findIndex((c, n) => n >= from && pattern.test(c));
  check(i >= 0, `no call matching ${pattern} after call ${from}; calls:\n  ${calls.join('\n  ')}`);
  return i;
}

function oneLineError(r, pattern) {
  check(r.status !== 0, `it exited 0 (stderr: ${r.stderr})`);
  const lines = r.stderr.trim().split('\n');
  check(lines.length === 1 && pattern.test(lines[0]), `want one line matching ${pattern} on stderr, got:\n${r.stderr}`);
}

await main({
  happy_path() {
    const r = deploy();
    check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
    check(r.stdout.trim().split('\n').pop() === `Playground is deployed: http://${gkeAddress}/`, `stdout: ${r.stdout}`);
    // The sequence: build, push, AKS, its address, GKE, rollouts, the URL.
    let at = callIndex(r.calls, /^build-images c0ffee$/);
    for (const image of ['playground-backend', 'playground-frontend']) {
      at = callIndex(r.calls, new RegExp(`^docker tag ${image}:c0ffee ${registry}/${image}:c0ffee$`), at);
      at = callIndex(r.calls, new RegExp(`^docker push ${registry}/${image}:c0ffee$`), at);
    }
    at = callIndex(r.calls, /^kubectl --context aks-ctx apply --server-side/, at);
    at = callIndex(r.calls, /^kubectl --context aks-ctx -n playground get service playground-backend/, at);
    at = callIndex(r.calls, /^kubectl --context gke-ctx apply --server-side/, at);
    at = callIndex(r.calls, /^kubectl --context aks-ctx -n playground rollout status deployment\/playground-backend/, at);
    at = callIndex(r.calls, /^kubectl --context gke-ctx -n playground rollout status deployment\/playground-backend/, at);
    at = callIndex(r.calls, /^kubectl --context gke-ctx -n playground rollout status deployment\/playground-frontend/, at);
    callIndex(r.calls, /^kubectl --context gke-ctx -n playground get service playground-frontend/, at);
    check(r.calls.every((c) => !/other-ctx/.test(c) && !/^kubectl (?!--context)/.test(c)), 'a cluster call without its context');

    // Per cluster: the namespace, the token Secret, then every object.
    check(r.applied.map((a) => a.context).join() === 'aks-ctx,aks-ctx,aks-ctx,gke-ctx,gke-ctx,gke-ctx',
      `applied: ${r.applied.map((a) => a.context)}`);
    check(r.applied[0].objects.map((o) => o.kind).join() === 'Namespace', 'the namespace is not applied first');
    check(r.applied[1].objects.map((o) => o.kind).join() === 'Secret', 'the Secret is not applied second');
    const [aks, gke] = [r.applied[2].objects, r.applied[5].objects];
    check(!aks.concat(gke).some((o) => o.kind === 'Secret'), 'the Secret is among the objects');
    const tokenOf = (n) => find(r.applied[n].objects, 'Secret', 'playground-token').data.token;
    check(!find(aks, 'Deployment', 'playground-frontend'), 'a frontend in AKS');
    const backends = find(gke, 'ConfigMap', 'playground-frontend-config').data.PLAYGROUND_BACKENDS;
    check(backends === `gke=http://playground-backend:6000,aks=http://${aksAddress}`, `PLAYGROUND_BACKENDS=${backends}`);
    const egress = find(gke, 'NetworkPolicy', 'playground-frontend').spec.egress;
    check(JSON.stringify(egress[2].to) === JSON.stringify([{ ipBlock: { cidr: `${aksAddress}/32` } }]),
      `the frontend's egress is not narrowed to the AKS address: ${JSON.stringify(egress)}`);
    for (const objects of [aks, gke]) {
      for (const image of images(objects)) {
        check(/^registry\.example\/playground\/playground-(backend|frontend):c0ffee$/.test(image), `image ${image}`);
      }
    }
    check(tokenOf(1) && tokenOf(1) === tokenOf(4), 'the two clusters got different tokens');
    check(Buffer.from(tokenOf(1), 'base64').toString().length === 64, 'the token is not 32 random bytes in hex');
    // What was applied keeps the policy (the Secret is the script's to add).
    for (const [objects, overlay] of [[aks, 'aks'], [gke, 'gke']]) {
      const found = violations(objects.filter((o) => o.kind !== 'Secret'), overlay);
      check(found.length === 0, `${overlay}: ${found.join('; ')}`);
    }
  },

  second_run_changes_nothing() {
    const first = deploy();
    check(first.status === 0, first.stderr);
    const second = deploy([], {}, first.state);
    check(second.status === 0, second.stderr);
    // The first run: namespace, Secret, objects per cluster (0-5); the second
    // leaves the Secret that holds the token alone (6-9).
    check(second.applied.length === 10, `applied ${second.applied.length} times`);
    check(!second.applied.slice(6).some((a) => a.objects.some((o) => o.kind === 'Secret')), 'the second run rewrote the Secret');
    const text = (n) => JSON.stringify(second.applied[n].objects);
    check(text(2) === text(7) && text(5) === text(9), 'the second run applied different objects (a new token?)');
    // And a given token replaces the clusters' one, rolling the pods (10-15).
    const third = deploy([], { PLAYGROUND_TOKEN: 'a-token-given-by-the-operator' }, first.state);
    const secret = find(third.applied[14].objects, 'Secret', 'playground-token');
    check(Buffer.from(secret.data.token, 'base64').toString() === 'a-token-given-by-the-operator', 'PLAYGROUND_TOKEN not used');
    const annotation = (o) => find(o, 'Deployment', 'playground-backend').spec.template.metadata.annotations['playground/token-sha256'];
    check(annotation(third.applied[15].objects) !== annotation(second.applied[9].objects), 'a new token does not roll the pods');
  },

  dry_run() {
    const r = deploy(['--dry-run'], { PLAYGROUND_TOKEN: 'never-printed-token' });
    check(r.status === 0, `exit ${r.status}: ${r.stderr}`);
    check(r.calls.length === 0, `--dry-run touched something:\n  ${r.calls.join('\n  ')}`);
    check(r.applied.length === 0, '--dry-run applied');
    const out = r.stdout;
    check(!out.includes('never-printed-token') && !out.includes(Buffer.from('never-printed-token').toString('base64')),
      'the token was printed');
    const commands = out.split('\n').filter((l) => l.startsWith('+ '));
    const want = [/build-images(\.sh)? c0ffee$/, /^\+ docker tag playground-backend:c0ffee/, /^\+ docker push .*playground-backend:c0ffee/,
      /^\+ docker tag playground-frontend/, /^\+ docker push .*playground-frontend:c0ffee/,
      /--context aks-ctx apply .*playground-multicloud-namespace -f -/, /--context aks-ctx -n playground create secret generic playground-token --from-file=token=<the token>/,
      /--context aks-ctx apply .*=playground-multicloud -f -/,
      /--context aks-ctx -n playground get service playground-backend/,
      /--context gke-ctx apply .*playground-multicloud-namespace -f -/, /--context gke-ctx -n playground create secret generic playground-token --from-file=token=<the token>/,
      /--context gke-ctx apply .*=playground-multicloud -f -/,
      /aks-ctx .*rollout status deployment\/playground-backend/, /gke-ctx .*rollout status deployment\/playground-backend/,
      /gke-ctx .*rollout status deployment\/playground-frontend/, /gke-ctx -n playground get service playground-frontend/];
    check(commands.length === want.length && want.every((p, i) => p.test(commands[i])),
      `the printed commands:\n  ${commands.join('\n  ')}`);
    // Every object of both clusters is printed.
    const objects = parseAll(out.split('\n').filter((l) => !l.startsWith('+ ') && !/^(EOF|Dry run)/.test(l)).join('\n'));
    const kinds = objects.map((o) => o.kind);
    // The token is never among them: the Secret is written apart (see
    // ensure_secret in deploy/multicloud.sh).
    check(kinds.filter((k) => k === 'Deployment').length === 3 && !kinds.includes('Secret'), `printed objects: ${kinds}`);
    check(/^Dry run: nothing was built, pushed or applied\.$/m.test(out), 'no dry-run closing line');
  },

  default_tag_is_the_commit() {
    const commit = spawnSync('git', ['-C', source, 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
    const noTag = deploy(['--dry-run'], {}, undefined, args.slice(0, -2));
    check(noTag.status === 0, noTag.stderr);
    check(commit && noTag.stdout.includes(`+ docker push ${registry}/playground-backend:${commit}\n`), `not tagged ${commit}`);
    const latest = deploy(['--tag', 'latest']);
    oneLineError(latest, /^multicloud: the tag 'latest' names no particular build/);
  },

  missing_context() {
    const r = deploy([], { FAKE_CONTEXTS: 'gke-ctx other-ctx' });
    oneLineError(r, /^multicloud: no kubectl context 'aks-ctx'/);
    check(r.calls.length === 0, `it went on: ${r.calls}`);
    oneLineError(deploy(['--dry-run'], { FAKE_CONTEXTS: 'aks-ctx' }), /^multicloud: no kubectl context 'gke-ctx'/);
    const noRegistry = spawnSync('bash', [script, '--gke', 'a', '--aks', 'b'], { encoding: 'utf8' });
    oneLineError(noRegistry, /^multicloud: --registry PREFIX is required/);
    const same = deploy([], {}, undefined, ['--gke', 'aks-ctx', ...args.slice(2)]);
    oneLineError(same, /^multicloud: --gke and --aks name the same context/);
  },

  missing_tool() {
    const r = deploy([], { KUBECTL: 'playground-no-such-kubectl' });
    oneLineError(r, /^multicloud: kubectl is not installed/);
    check(r.calls.length === 0, `it went on: ${r.calls}`);
    const d = deploy([], { DOCKER: 'playground-no-such-docker' });
    oneLineError(d, /^multicloud: docker is not installed/);
    check(d.calls.length === 0, `it went on: ${d.calls}`);
    const b = deploy([], { PLAYGROUND_BUILD_SCRIPT: '/nonexistent/build-images.sh' });
    oneLineError(b, /^multicloud: no image build script at \/nonexistent/);
    // --skip-build needs none, and builds nothing.
    const skip = deploy(['--skip-build'], { PLAYGROUND_BUILD_SCRIPT: '/nonexistent/build-images.sh' });
    check(skip.status === 0 && !skip.calls.some((c) => c.startsWith('build-images')), `--skip-build: ${skip.stderr}`);
    callIndex(skip.calls, /^docker push registry.example\/playground\/playground-frontend:c0ffee$/);
  },

  load_balancer_timeout() {
    const started = Date.now();
    const r = deploy(['--timeout', '1'], { FAKE_ADDRESSES: '' });
    check(r.status !== 0, 'it exited 0');
    const last = r.stderr.trim().split('\n').pop();
    check(/^multicloud: the load balancer of playground-backend in aks-ctx got no external address in 1 s/.test(last),
      `last line: ${last}`);
    check(Date.now() - started < 20000, 'it waited far longer than --timeout');
    check(r.applied.length === 3 && r.applied.every((a) => a.context === 'aks-ctx'),
      'it went on to GKE without the AKS address');
    check(!r.stdout.includes('deployed'), 'it printed a URL');
  },

  rollout_failure() {
    const r = deploy([], { FAKE_ROLLOUT_FAIL: 'gke-ctx/deployment/playground-frontend' });
    check(r.status !== 0, 'it exited 0');
    const last = r.stderr.trim().split('\n').pop();
    check(/^multicloud: deployment\/playground-frontend in gke-ctx did not roll out/.test(last), `last line: ${last}`);
    check(!r.stdout.includes('deployed'), 'it printed a URL');
    check(!r.calls.some((c) => /get service playground-frontend/.test(c)), 'it went on after the failure');
  },
});
