// Offline checks of deploy/k8s: every kustomization renders, every rendered
// object is valid against the Kubernetes schemas (kubernetes-models), and the
// policy in policy.mjs holds, which also must catch deliberate breakages.
//   node manifests_test.mjs [render|schema|policy|policy_catches_breakage]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { check, main, overlays, readText, render, require } from './lib.mjs';
import { violations } from './policy.mjs';

const expectedKinds = {
  base: ['ConfigMap', 'ConfigMap', 'ConfigMap', 'ConfigMap', 'Deployment', 'Deployment', 'HorizontalPodAutoscaler',
    'HorizontalPodAutoscaler', 'Namespace', 'NetworkPolicy', 'NetworkPolicy', 'PodDisruptionBudget',
    'PodDisruptionBudget', 'Service', 'Service'],
  aks: ['ConfigMap', 'ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Namespace', 'NetworkPolicy',
    'PodDisruptionBudget', 'Service'],
};
expectedKinds.gke = expectedKinds.base;

// The kubernetes-models class of an object: apps/v1 Deployment is
// kubernetes-models/apps/v1/Deployment, core v1 Service is .../v1/Service.
function modelOf(o) {
  const cls = require(`kubernetes-models/${o.apiVersion}/${o.kind}`)[o.kind];
  check(cls, `kubernetes-models has no ${o.apiVersion} ${o.kind}`);
  return cls;
}

function validate(o) {
  const Model = modelOf(o);
  try {
    new Model(o).validate();
    return null;
  } catch (e) {
    return `${o.kind} ${o.metadata?.name}: ${e.message}`;
  }
}

function mustBreak(objects, overlay, what, mutate, pattern) {
  const copy = structuredClone(objects);
  mutate(copy);
  const found = violations(copy, overlay);
  check(found.some((v) => pattern.test(v)), `the policy missed: ${what} (it said: ${found.join('; ') || 'nothing'})`);
}

const byName = (objects, kind, name) => objects.find((o) => o.kind === kind && o.metadata.name === name);
const backendPod = (objects) => byName(objects, 'Deployment', 'playground-backend').spec.template.spec;
const frontendPod = (objects) => byName(objects, 'Deployment', 'playground-frontend').spec.template.spec;

await main({
  render() {
    for (const [name, dir] of Object.entries(overlays)) {
      const kinds = render(dir).map((o) => o.kind).sort();
      check(JSON.stringify(kinds) === JSON.stringify(expectedKinds[name]),
        `${name} renders [${kinds}], want [${expectedKinds[name]}]`);
    }
    // Kustomize reads no file outside the kustomization, so the base holds a
    // copy of the seccomp profile; it must be the generated one.
    check(readText('deploy/k8s/base/backend/seccomp-backend.json') === readText('deploy/docker/seccomp-backend.json'),
      'deploy/k8s/base/backend/seccomp-backend.json differs from deploy/docker/seccomp-backend.json: run make seccomp-profile');
  },

  schema() {
    const errors = Object.entries(overlays).flatMap(([name, dir]) => render(dir).map(validate).filter(Boolean).map((e) => `${name}: ${e}`));
    check(errors.length === 0, `\n  ${errors.join('\n  ')}`);
    // The validator itself must refuse what the API server would.
    const bad = structuredClone(render(overlays.gke));
    backendPod(bad).containers[0].ports[0].containerPort = 'six thousand';
    check(validate(byName(bad, 'Deployment', 'playground-backend')), 'the schema accepted a port that is not a number');
  },

  policy() {
    const found = Object.entries(overlays).flatMap(([name, dir]) => violations(render(dir), name).map((v) => `${name}: ${v}`));
    check(found.length === 0, `\n  ${found.join('\n  ')}`);
  },

  // A policy that cannot fail checks nothing: break each rule and see it said.
  policy_catches_breakage() {
    const gke = render(overlays.gke);
    const aks = render(overlays.aks);
    const cases = [
      ['a privileged backend', (o) => { backendPod(o).containers[0].securityContext.privileged = true; }, /backend: privileged/],
      ['a :latest image', (o) => { frontendPod(o).containers[0].image = 'x/playground-frontend:latest'; }, /is :latest/],
      ['an untagged image', (o) => { backendPod(o).initContainers[0].image = 'playground-backend'; }, /no tag/],
      ['no resources', (o) => { delete frontendPod(o).containers[0].resources; }, /frontend: no requests.cpu/],
      ['no limits on the init container', (o) => { delete backendPod(o).initContainers[0].resources.limits; }, /init container .*no limits.memory/],
      ['no readiness probe', (o) => { delete backendPod(o).containers[0].readinessProbe; }, /no readinessProbe/],
      ['frontend ready on /readyz', (o) => { frontendPod(o).containers[0].readinessProbe.httpGet.path = '/readyz'; }, /readinessProbe asks \/readyz/],
      ['a probe on a wrong port', (o) => { backendPod(o).containers[0].livenessProbe.httpGet.port = 6001; }, /livenessProbe asks/],
      ['no securityContext', (o) => { delete frontendPod(o).containers[0].securityContext; }, /frontend: no securityContext/],
      ['a writable root', (o) => { backendPod(o).containers[0].securityContext.readOnlyRootFilesystem = false; }, /writable/],
      ['an extra capability', (o) => { backendPod(o).containers[0].securityContext.capabilities.add.push('NET_ADMIN'); }, /compose.yaml grants/],
      ['a capability for the frontend', (o) => { frontendPod(o).containers[0].securityContext.capabilities.add = ['KILL']; }, /adds capabilities/],
      ['a root frontend', (o) => { frontendPod(o).containers[0].securityContext.runAsUser = 0; }, /non-root user/],
      ['no seccomp', (o) => { delete backendPod(o).containers[0].securityContext.seccompProfile; }, /backend: no seccomp/],
      ['the host path in the backend', (o) => { backendPod(o).containers[0].volumeMounts.push({ name: 'node-seccomp', mountPath: '/x' }); }, /mounts the host path/],
      ['a short grace period', (o) => { backendPod(o).terminationGracePeriodSeconds = 30; }, /terminationGracePeriodSeconds 30/],
      ['replicas beside the autoscaler', (o) => { byName(o, 'Deployment', 'playground-backend').spec.replicas = 3; }, /sets replicas/],
      ['no autoscaler', (o) => { o.splice(o.indexOf(byName(o, 'HorizontalPodAutoscaler', 'playground-frontend')), 1); }, /frontend: no HorizontalPodAutoscaler/],
      ['no disruption budget', (o) => { o.splice(o.indexOf(byName(o, 'PodDisruptionBudget', 'playground-backend')), 1); }, /no PodDisruptionBudget/],
      ['no zone spread', (o) => { backendPod(o).topologySpreadConstraints.shift(); }, /no spread over topology.kubernetes.io\/zone/],
      ['a frontend port off the contract', (o) => { byName(o, 'Service', 'playground-frontend').spec.ports[0].port = 8080; }, /Service playground-frontend: ports/],
      ['a container port off the contract', (o) => { frontendPod(o).containers[0].ports[0].containerPort = 8080; }, /Service playground-frontend: ports/],
      ['no Local traffic policy', (o) => { delete byName(o, 'Service', 'playground-frontend').spec.externalTrafficPolicy; }, /externalTrafficPolicy/],
      ['backend egress', (o) => { byName(o, 'NetworkPolicy', 'playground-backend').spec.egress = [{}]; }, /allows egress/],
      ['backend ingress on any port', (o) => { byName(o, 'NetworkPolicy', 'playground-backend').spec.ingress = [{}]; }, /want TCP\/6000 only/],
      ['a committed token', (o) => { o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'playground-token' } }); }, /Secret playground-token/],
    ];
    for (const [what, mutate, pattern] of cases) mustBreak(gke, 'gke', what, mutate, pattern);
    mustBreak(aks, 'aks', 'an AKS backend on 6000', (o) => { byName(o, 'Service', 'playground-backend').spec.ports[0].port = 6000; }, /contract is \[\[80,6000\]\]/);
    mustBreak(aks, 'aks', 'a frontend on AKS', (o) => { o.push(...gke.filter((x) => x.kind === 'Service' && x.metadata.name === 'playground-frontend')); }, /Services are/);

    // And through Kustomize: an overlay on the gke one that makes the backend
    // privileged and tags the frontend latest must be refused.
    const dir = mkdtempSync(join(tmpdir(), 'playground-k8s-'));
    try {
      writeFileSync(join(dir, 'kustomization.yaml'), [
        'resources:',
        `  - ${relative(dir, overlays.gke)}`,
        'images:',
        '  - name: europe-west1-docker.pkg.dev/my-project/playground/playground-frontend',
        '    newTag: latest',
        'patches:',
        '  - target: {kind: Deployment, name: playground-backend}',
        '    patch: |-',
        '      - op: add',
        '        path: /spec/template/spec/containers/0/securityContext/privileged',
        '        value: true',
        ''].join('\n'));
      const found = violations(render(dir), 'gke');
      check(found.some((v) => /backend: privileged/.test(v)), `a privileged backend rendered by Kustomize passed: ${found}`);
      check(found.some((v) => /playground-frontend:latest is :latest/.test(v)), `a :latest frontend rendered by Kustomize passed: ${found}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
