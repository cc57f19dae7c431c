// The rules every rendered manifest must keep; violations(objects, overlay)
// lists each broken one as a sentence (none: the list is empty). The
// contract's Service ports and the backend's capabilities (deploy/compose.yaml,
// the container issue's one list) are read from one place each.
import { YAML, readText } from './lib.mjs';

// Each overlay's Services: type and [port, container port] pairs.
export const serviceContract = {
  base: {
    'playground-backend': { type: 'ClusterIP', ports: [[6000, 6000]] },
    'playground-frontend': { type: 'ClusterIP', ports: [[80, 5000]] },
  },
  gke: {
    'playground-backend': { type: 'LoadBalancer', ports: [[6000, 6000]] },
    // Local: the frontend rate-limits per client address and must see it.
    'playground-frontend': { type: 'LoadBalancer', ports: [[80, 5000]], externalTrafficPolicy: 'Local' },
  },
  aks: {
    'playground-backend': { type: 'LoadBalancer', ports: [[80, 6000]] },
  },
};

// The probes each program answers, by container name.
const probePaths = {
  backend: { startupProbe: '/healthz', livenessProbe: '/healthz', readinessProbe: '/readyz' },
  // Readiness on /healthz: /readyz is 503 while no backend is healthy.
  frontend: { startupProbe: '/healthz', livenessProbe: '/healthz', readinessProbe: '/healthz' },
};

export function backendCapabilities() {
  const compose = YAML.parse(readText('deploy', 'compose.yaml'));
  return compose['x-backend'].cap_add;
}

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

function podSpecOf(o) {
  if (o.kind === 'Pod') return o.spec;
  if (o.kind === 'CronJob') return o.spec?.jobTemplate?.spec?.template?.spec;
  return o.spec?.template?.spec;
}

function matches(selector = {}, labels = {}) {
  const want = Object.entries(selector);
  return want.length > 0 && want.every(([k, v]) => labels[k] === v);
}

function imageProblem(image) {
  if (typeof image !== 'string' || image === '') return 'has no image';
  if (image.includes('@sha256:')) return null;
  const lastPart = image.split('/').pop();
  if (!lastPart.includes(':')) return `image ${image} has no tag (which means latest)`;
  if (lastPart.endsWith(':latest')) return `image ${image} is :latest`;
  return null;
}

function containerProblems(c, pod, { init }) {
  const out = [];
  const say = (s) => out.push(`container ${c.name}: ${s}`);
  const img = imageProblem(c.image);
  if (img) say(img);
  for (const kind of ['requests', 'limits']) {
    for (const r of ['cpu', 'memory']) {
      if (!c.resources?.[kind]?.[r]) say(`no ${kind}.${r}`);
    }
  }
  const sc = c.securityContext;
  if (!sc) {
    say('no securityContext');
    return out;
  }
  if (sc.privileged === true) say('privileged');
  if (sc.allowPrivilegeEscalation !== false) say('allowPrivilegeEscalation is not false');
  if (sc.readOnlyRootFilesystem !== true) say('root filesystem is writable');
  if (!(sc.capabilities?.drop ?? []).includes('ALL')) say('does not drop ALL capabilities');
  const seccomp = sc.seccompProfile ?? pod.securityContext?.seccompProfile;
  if (!seccomp || seccomp.type === 'Unconfined') say('no seccomp profile');
  const added = sc.capabilities?.add ?? [];
  if (c.name === 'backend' && !init) {
    const want = backendCapabilities();
    if ([...added].sort().join() !== [...want].sort().join()) {
      say(`adds capabilities [${added}], deploy/compose.yaml grants [${want}]`);
    }
  } else if (added.length) {
    say(`adds capabilities [${added}]`);
  }
  if (c.name === 'frontend') {
    const user = sc.runAsUser ?? pod.securityContext?.runAsUser;
    const nonRoot = sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
    if (nonRoot !== true || user !== 10001) say('does not run as the non-root user 10001');
  }
  if (!init) {
    const ports = new Set((c.ports ?? []).flatMap((p) => [p.name, p.containerPort]));
    for (const [probe, path] of Object.entries(probePaths[c.name] ?? {})) {
      const get = c[probe]?.httpGet;
      if (!get) say(`no ${probe} (httpGet)`);
      else if (get.path !== path || !ports.has(get.port)) {
        say(`${probe} asks ${get.path} on ${get.port}, not ${path} on its port`);
      }
    }
    if (!probePaths[c.name]) say('is neither backend nor frontend: no probe rules for it');
    if (!c.lifecycle?.preStop) say('no preStop');
  }
  return out;
}

function configValue(objects, configMapRefs, key) {
  for (const ref of configMapRefs) {
    const cm = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === ref);
    if (cm?.data?.[key] !== undefined) return cm.data[key];
  }
  return undefined;
}

function workloadProblems(o, objects) {
  const out = [];
  const name = `${o.kind} ${o.metadata.name}`;
  const say = (s) => out.push(`${name}: ${s}`);
  const pod = podSpecOf(o);
  if (!pod) return [`${name}: no pod template`];
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (pod[f]) say(`${f} is set`);
  const hostPathVolumes = new Set((pod.volumes ?? []).filter((v) => v.hostPath).map((v) => v.name));
  for (const c of pod.containers ?? []) {
    out.push(...containerProblems(c, pod, { init: false }).map((s) => `${name}: ${s}`));
    for (const m of c.volumeMounts ?? []) {
      if (hostPathVolumes.has(m.name)) say(`container ${c.name} mounts the host path ${m.name}`);
    }
    // preStop, then the program's own drain, must fit in the grace period.
    const refs = (c.envFrom ?? []).map((e) => e.configMapRef?.name).filter(Boolean);
    const drainMs = Number(configValue(objects, refs, 'PLAYGROUND_SHUTDOWN_GRACE') ?? 30000);
    const preStop = c.lifecycle?.preStop?.sleep?.seconds ?? 0;
    const grace = pod.terminationGracePeriodSeconds ?? 30;
    if (grace < preStop + drainMs / 1000 + 5) {
      say(`terminationGracePeriodSeconds ${grace} < preStop ${preStop} s + drain ${drainMs / 1000} s + 5 s`);
    }
  }
  for (const c of pod.initContainers ?? []) {
    out.push(...containerProblems(c, pod, { init: true }).map((s) => `${name}: init ${s}`));
  }
  if (o.kind !== 'Deployment') return out;
  if (o.spec.replicas !== undefined) say('sets replicas, which the autoscaler owns');
  const keys = (pod.topologySpreadConstraints ?? []).map((t) => t.topologyKey);
  for (const key of ['topology.kubernetes.io/zone', 'kubernetes.io/hostname']) {
    if (!keys.includes(key)) say(`no spread over ${key}`);
  }
  const hpa = objects.find((h) => h.kind === 'HorizontalPodAutoscaler' && h.spec?.scaleTargetRef?.kind === 'Deployment' &&
    h.spec.scaleTargetRef.name === o.metadata.name);
  if (!hpa) say('no HorizontalPodAutoscaler');
  else {
    const cpu = (hpa.spec.metrics ?? []).find((m) => m.type === 'Resource' && m.resource?.name === 'cpu' &&
      m.resource.target?.type === 'Utilization' && m.resource.target.averageUtilization > 0);
    if (hpa.apiVersion !== 'autoscaling/v2') say(`autoscaler is ${hpa.apiVersion}, not autoscaling/v2`);
    if (!cpu) say('autoscaler has no CPU utilisation target');
    if (!(hpa.spec.minReplicas >= 2 && hpa.spec.maxReplicas > hpa.spec.minReplicas)) {
      say(`autoscaler min ${hpa.spec.minReplicas} / max ${hpa.spec.maxReplicas}: want min >= 2 < max`);
    }
  }
  const labels = o.spec.template.metadata?.labels;
  if (!objects.some((p) => p.kind === 'PodDisruptionBudget' && matches(p.spec?.selector?.matchLabels, labels))) {
    say('no PodDisruptionBudget');
  }
  return out;
}

function serviceProblems(objects, overlay) {
  const out = [];
  const contract = serviceContract[overlay] ?? {};
  const services = objects.filter((o) => o.kind === 'Service');
  const names = services.map((s) => s.metadata.name).sort();
  if (names.join() !== Object.keys(contract).sort().join()) {
    out.push(`Services are [${names}], the contract for ${overlay} is [${Object.keys(contract).sort()}]`);
  }
  for (const s of services) {
    const want = contract[s.metadata.name];
    if (!want) continue;
    const say = (x) => out.push(`Service ${s.metadata.name}: ${x}`);
    if ((s.spec.type ?? 'ClusterIP') !== want.type) say(`type ${s.spec.type}, not ${want.type}`);
    if (want.externalTrafficPolicy && s.spec.externalTrafficPolicy !== want.externalTrafficPolicy) {
      say(`externalTrafficPolicy ${s.spec.externalTrafficPolicy}, not ${want.externalTrafficPolicy}`);
    }
    // A named targetPort is resolved through the pods the Service selects.
    const workload = objects.find((o) => o.kind === 'Deployment' && matches(s.spec.selector, o.spec.template.metadata?.labels));
    const containerPorts = (workload ? podSpecOf(workload).containers : []).flatMap((c) => c.ports ?? []);
    const resolve = (t) => (typeof t === 'number' ? t : containerPorts.find((p) => p.name === t)?.containerPort);
    const got = (s.spec.ports ?? []).map((p) => [p.port, resolve(p.targetPort ?? p.port)]);
    if (JSON.stringify(got) !== JSON.stringify(want.ports)) {
      say(`ports ${JSON.stringify(got)}, the contract is ${JSON.stringify(want.ports)}`);
    }
  }
  return out;
}

function networkProblems(objects) {
  const out = [];
  const backend = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'playground-backend');
  if (!backend) return out;
  const labels = backend.spec.template.metadata.labels;
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && matches(o.spec.podSelector?.matchLabels, labels));
  if (policies.length !== 1) return [`the backend has ${policies.length} NetworkPolicies, want 1`];
  const p = policies[0].spec;
  const say = (x) => out.push(`NetworkPolicy ${policies[0].metadata.name}: ${x}`);
  if (!(p.policyTypes ?? []).includes('Ingress') || !(p.policyTypes ?? []).includes('Egress')) {
    say('does not govern both Ingress and Egress');
  }
  if ((p.egress ?? []).length) say('allows egress');
  const ports = (p.ingress ?? []).map((r) => (r.ports ?? [{ port: 'any' }]).map((x) => `${x.protocol ?? 'TCP'}/${x.port}`).join(','));
  if (!ports.length || ports.some((x) => x !== 'TCP/6000')) {
    say(`ingress on ${ports.join(' ') || 'nothing'}, want TCP/6000 only`);
  }
  return out;
}

export function violations(objects, overlay) {
  const out = [];
  for (const o of objects) {
    if (workloadKinds.has(o.kind)) out.push(...workloadProblems(o, objects));
    // The token is made per cluster, never committed.
    if (o.kind === 'Secret') out.push(`Secret ${o.metadata.name} is in the manifests`);
  }
  out.push(...serviceProblems(objects, overlay));
  out.push(...networkProblems(objects));
  return out;
}
