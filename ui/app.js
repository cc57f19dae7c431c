// Playground web UI: runs Python snippets via POST /python and shows backend health from /api/backends.
"use strict";

const $ = (id) => document.getElementById(id);
const els = {
  code: $("code"), stdin: $("stdin"), run: $("run"), stdout: $("stdout"),
  stderr: $("stderr"), status: $("status"), backends: $("backends"),
};
const RUN_TIMEOUT_MS = 60000;
const BACKENDS_INTERVAL_MS = 5000;
const STATUS_TEXT = {
  timeout: "Time limit exceeded",
  memory_limit: "Memory limit exceeded",
  output_limit: "Output limit exceeded",
  killed: "Program was killed",
};
let running = false;
let lastBackend = null;

function setStatus(text, kind) {
  els.status.textContent = text;
  els.status.classList.toggle("error", kind === "error");
  els.status.classList.toggle("warn", kind === "warn");
}

function describeResult(r, backend) {
  const parts = [STATUS_TEXT[r.status] || String(r.status || "unknown")];
  if (typeof r.exit_code === "number") parts.push("exit " + r.exit_code);
  if (typeof r.time_ms === "number") parts.push(r.time_ms.toFixed(1) + " ms");
  if (backend) parts.push("backend " + backend);
  if (r.truncated) parts.push("output truncated at the limit");
  return parts.join(" \u00b7 ");
}

function parseJson(text) {
  try { return JSON.parse(text); } catch { return null; }
}

function httpErrorMessage(res, text) {
  const body = parseJson(text);
  const detail = body && typeof body.error === "string" ? body.error.trim() : "";
  const parts = [];
  if (res.status === 429) {
    let msg = "You are sending too many requests.";
    const retry = (res.headers.get("Retry-After") || "").trim();
    if (/^\d+$/.test(retry)) msg += " Try again in " + retry + " s.";
    parts.push(msg);
  } else if (res.status === 502 || res.status === 503) {
    parts.push("The Playground service is unavailable. Please try again later.");
  }
  if (detail) parts.push(detail);
  if (!parts.length) parts.push("The request failed.");
  return "Error (HTTP " + res.status + "): " + parts.join(" ");
}

async function run() {
  if (running) return;
  running = true;
  els.run.disabled = true;
  els.stdout.textContent = "";
  els.stderr.textContent = "";
  const started = performance.now();
  const tick = () => setStatus("Running\u2026 " + Math.floor((performance.now() - started) / 1000) + " s");
  tick();
  const ticker = setInterval(tick, 1000);
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), RUN_TIMEOUT_MS);
  try {
    const res = await fetch("/python", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code: els.code.value, stdin: els.stdin.value }),
      signal: controller.signal,
    });
    const text = await res.text();
    lastBackend = res.headers.get("X-Playground-Backend") || null;
    if (res.status !== 200) {
      setStatus(httpErrorMessage(res, text), "error");
      return;
    }
    const data = parseJson(text);
    if (!data || typeof data !== "object") {
      setStatus("Error (HTTP 200): the Playground service sent an invalid response.", "error");
      return;
    }
    els.stdout.textContent = typeof data.stdout === "string" ? data.stdout : "";
    els.stderr.textContent = typeof data.stderr === "string" ? data.stderr : "";
    setStatus(describeResult(data, lastBackend), data.status === "ok" ? "" : "warn");
  } catch (err) {
    lastBackend = null;
    if (controller.signal.aborted) {
      setStatus("No response within 60 s: the request was cancelled. Please try again.", "error");
    } else {
      setStatus("Cannot reach the Playground service.", "error");
    }
  } finally {
    clearInterval(ticker);
    clearTimeout(deadline);
    els.run.disabled = false;
    running = false;
    refreshBackends();
  }
}

function backendItem(b) {
  const li = document.createElement("li");
  const healthy = b.healthy === true;
  li.className = healthy ? "healthy" : "unhealthy";
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = String(b.name);
  const state = document.createElement("span");
  state.className = "state";
  state.textContent = healthy ? "\u2713 healthy" : "\u2717 unhealthy";
  li.append(name, " ", state);
  if (typeof b.latency_ms === "number") {
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = " \u00b7 " + b.latency_ms.toFixed(1) + " ms";
    li.append(meta);
  }
  if (lastBackend !== null && b.name === lastBackend) {
    li.classList.add("last");
    const tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = " \u00b7 served last run";
    li.append(tag);
  }
  return li;
}

function showBackendsMessage(text) {
  const li = document.createElement("li");
  li.className = "unavailable";
  li.textContent = text;
  els.backends.replaceChildren(li);
}

let backendsPending = false;
async function refreshBackends() {
  if (backendsPending) return;
  backendsPending = true;
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), BACKENDS_INTERVAL_MS);
  try {
    const res = await fetch("/api/backends", { cache: "no-store", signal: controller.signal });
    if (!res.ok) throw new Error("HTTP " + res.status);
    const data = await res.json();
    if (!data || !Array.isArray(data.backends)) throw new Error("bad body");
    if (data.backends.length) els.backends.replaceChildren(...data.backends.map(backendItem));
    else showBackendsMessage("no backends configured");
  } catch {
    showBackendsMessage("backend list unavailable");
  } finally {
    clearTimeout(deadline);
    backendsPending = false;
  }
}

// Editor keys: Tab inserts 4 spaces (Esc then Tab moves focus); Ctrl/Cmd+Enter runs.
let tabReleased = false;
els.code.addEventListener("keydown", (e) => {
  if (e.key === "Escape") { tabReleased = true; return; }
  const plainTab = e.key === "Tab" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey;
  if (plainTab && !tabReleased) {
    e.preventDefault();
    els.code.setRangeText("    ", els.code.selectionStart, els.code.selectionEnd, "end");
    els.code.dispatchEvent(new Event("input", { bubbles: true }));
  }
  tabReleased = false;
});
els.code.addEventListener("blur", () => { tabReleased = false; });
document.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    run();
  }
});
els.run.addEventListener("click", run);

refreshBackends();
setInterval(() => { if (!document.hidden) refreshBackends(); }, BACKENDS_INTERVAL_MS);
