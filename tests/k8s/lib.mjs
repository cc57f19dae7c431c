// What the k8s tests share: the repository's paths, the kubectl that renders
// (the pinned one setup.sh unpacks, so every machine renders with the same
// Kustomize), rendering an overlay into objects, and a tiny test runner.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const source = process.env.PLAYGROUND_SOURCE_DIR ?? join(here, '..', '..');
export const k8sDir = join(source, 'deploy', 'k8s');
export const require = createRequire(join(here, 'package.json'));
export const YAML = require('yaml');

// Each kustomization the tests render, and what each must contain.
export const overlays = {
  base: join(k8sDir, 'base'),
  gke: join(k8sDir, 'overlays', 'gke'),
  aks: join(k8sDir, 'overlays', 'aks'),
};

function runs(path) {
  try {
    execFileSync(path, ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// PLAYGROUND_KUBECTL, else the pinned kubectl, else one on PATH: never a
// silent skip, a clear failure when there is none.
export function kubectl() {
  const pinned = join(here, 'node_modules', '.bin-kubectl', 'kubectl');
  const candidates = [process.env.PLAYGROUND_KUBECTL, pinned, 'kubectl'].filter(Boolean);
  const found = candidates.find(runs);
  if (!found) {
    throw new Error(
      `no kubectl runs here (tried ${candidates.join(', ')}): run tests/k8s/setup.sh ` +
        '(the pinned kubectl is Linux x86-64) or set PLAYGROUND_KUBECTL to a kubectl 1.30+');
  }
  return found;
}

export function renderText(dir) {
  return execFileSync(kubectl(), ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function parseAll(text) {
  return YAML.parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
}

export function render(dir) {
  return parseAll(renderText(dir));
}

export function readText(...parts) {
  return readFileSync(join(source, ...parts), 'utf8');
}

export { existsSync };

// Runs named cases: `node x.mjs` runs all, `node x.mjs name` one. Prints
// "N passed, N failed" and exits non-zero on any failure.
export async function main(cases) {
  const wanted = process.argv[2];
  const names = wanted ? [wanted] : Object.keys(cases);
  let passed = 0;
  let failed = 0;
  for (const name of names) {
    if (!cases[name]) {
      console.error(`unknown case ${name}; cases: ${Object.keys(cases).join(' ')}`);
      process.exit(2);
    }
    try {
      await cases[name]();
      console.log(`ok ${name}`);
      passed++;
    } catch (e) {
      console.log(`FAIL ${name}: ${e.stack ?? e}`);
      failed++;
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}
