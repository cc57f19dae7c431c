// The backends panel: each backend from GET /api/backends (healthy or not),
// and which one answered the last run, so the round-robin can be watched.
//
//   const panel = createBackendsPanel(listElement, summaryElement);
//   panel.refresh();             // also every REFRESH_MS while the page is visible
//   panel.setLastRun("gke");     // null: the last run reached no backend

import { formatMs } from "./run.js";

const REFRESH_MS = 2000;
const REQUEST_TIMEOUT_MS = 4000;

export function createBackendsPanel(list, summary) {
  let lastRun = null;
  let backends = null; // the last list received, or null when unavailable
  let restricted = false; // the service keeps its backends to operators
  let pending = false;

  function item(b) {
    const healthy = b.healthy === true;
    const li = document.createElement("li");
    li.className = "backend " + (healthy ? "healthy" : "unhealthy");
    li.dataset.name = String(b.name);
    const dot = document.createElement("span");
    dot.className = "dot";
    dot.setAttribute("aria-hidden", "true");
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = String(b.name);
    const state = document.createElement("span");
    state.className = "state";
    state.textContent = healthy ? "healthy" : "unhealthy";
    const meta = document.createElement("span");
    meta.className = "meta";
    const facts = [];
    if (typeof b.answered === "number") facts.push(`${b.answered} answered`);
    if (healthy && b.answered > 0 && b.latency_ms > 0) facts.push(formatMs(b.latency_ms));
    if (!healthy && b.last_error) facts.push(String(b.last_error));
    meta.textContent = facts.join(" · ");
    li.append(dot, name, state, meta);
    if (b.name === lastRun) {
      li.classList.add("last");
      const tag = document.createElement("span");
      tag.className = "tag";
      tag.textContent = "served the last run";
      li.append(tag);
    }
    return li;
  }

  function render() {
    if (restricted) {
      summary.textContent = "not shown: this service keeps its backends to its operators";
      summary.className = "summary";
      list.replaceChildren();
      return;
    }
    if (backends === null) {
      summary.textContent = "status unavailable: cannot reach the service";
      summary.className = "summary error";
      list.replaceChildren();
      return;
    }
    const healthy = backends.filter((b) => b.healthy === true).length;
    summary.textContent = backends.length
      ? `${healthy} of ${backends.length} healthy`
      : "no backend configured";
    summary.className = "summary " + (healthy === 0 ? "error" : healthy < backends.length ? "warn" : "ok");
    list.replaceChildren(...backends.map(item));
  }

  async function refresh() {
    if (pending) return;
    pending = true;
    const controller = new AbortController();
    const deadline = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch("/api/backends", { cache: "no-store", signal: controller.signal });
      // 401: a deployment with a shared token shows its backends only to
      // requests that carry it (--ops-access), never to the browser.
      restricted = response.status === 401;
      const body = response.ok ? await response.json() : null;
      backends = body && Array.isArray(body.backends) ? body.backends : null;
    } catch {
      backends = null;
    } finally {
      clearTimeout(deadline);
      pending = false;
    }
    render();
  }

  setInterval(() => {
    if (!document.hidden) refresh();
  }, REFRESH_MS);

  return {
    refresh,
    setLastRun(name) {
      lastRun = name;
      if (backends !== null) render();
    },
  };
}
