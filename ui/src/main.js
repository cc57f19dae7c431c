// Playground's page: wires the editor, running, results, examples, the
// shareable link, local storage and the backends panel to index.html.

import { createBackendsPanel } from "./backends.js";
import { createEditor } from "./editor.js";
import { EXAMPLES } from "./examples.js";
import { errorLine, formatKb, formatMs, runCode } from "./run.js";
import { loadSaved, readFragment, save, shareLink } from "./share.js";

const $ = (id) => document.getElementById(id);
const ui = {
  code: $("code"), stdin: $("stdin"), run: $("run"), elapsed: $("elapsed"), status: $("status"),
  notice: $("notice"), stdout: $("stdout"), stderr: $("stderr"), stderrPane: $("stderr-pane"),
  gotoError: $("goto-error"), examples: $("examples"), share: $("share"), shareBox: $("share-box"),
  shareLink: $("share-link"), shareStatus: $("share-status"),
  facts: {
    status: $("fact-status"), exit: $("fact-exit"), wall: $("fact-wall"), cpu: $("fact-cpu"),
    memory: $("fact-memory"), backend: $("fact-backend"),
  },
};

const isMac = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
if (isMac) document.querySelectorAll("kbd.mod").forEach((k) => (k.textContent = "⌘"));

// The code: from a shared link, else as it was left, else the first example.
const fromLink = readFragment(location.hash);
const initial = fromLink || loadSaved() || { code: EXAMPLES[0].code, stdin: "" };
ui.stdin.value = initial.stdin;

let saveTimer = 0;
function saveSoon() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(saveNow, 300);
}
function saveNow() {
  clearTimeout(saveTimer);
  save({ code: editor.code(), stdin: ui.stdin.value });
}

const editor = createEditor(ui.code, {
  doc: initial.code,
  label: "Python code",
  description: $("code-hint").textContent.replace(/\s+/g, " ").trim(),
  onRun: () => run(),
  onChange: () => {
    saveSoon();
    hideErrorLine();
  },
});
ui.stdin.addEventListener("input", saveSoon);
addEventListener("pagehide", saveNow);

// A shared link is applied once, then dropped from the address bar: a
// reload afterwards shows the code as edited, not as shared.
function forgetLink() {
  saveNow();
  history.replaceState(null, "", location.pathname + location.search);
}
if (fromLink) forgetLink();
addEventListener("hashchange", () => {
  const shared = readFragment(location.hash);
  if (!shared) return;
  editor.setCode(shared.code);
  ui.stdin.value = shared.stdin;
  forgetLink();
});

const backends = createBackendsPanel($("backends"), $("backends-summary"));
backends.refresh();

// --- Running ---------------------------------------------------------------

let running = false;

function setStatus(kind, text, state = kind) {
  ui.status.className = "status " + kind;
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

function showFacts(result, backend) {
  const f = ui.facts;
  f.status.textContent = result ? result.status : "—";
  f.exit.textContent = result && typeof result.exit_code === "number" ? String(result.exit_code) : "—";
  f.wall.textContent = result ? formatMs(result.time_ms) : "—";
  f.cpu.textContent = result ? formatMs(result.cpu_ms) : "—";
  f.memory.textContent = result ? formatKb(result.memory_kb) : "—";
  f.backend.textContent = backend || "—";
}

function hideErrorLine() {
  ui.gotoError.hidden = true;
  ui.gotoError.dataset.line = "";
}

async function run() {
  if (running) return;
  running = true;
  saveNow();
  // aria-disabled rather than disabled: a disabled button would drop the
  // keyboard focus of someone who pressed it.
  ui.run.setAttribute("aria-disabled", "true");
  ui.run.textContent = "Running…";
  setStatus("running", "Running…");
  ui.notice.hidden = true;
  ui.stdout.textContent = "";
  ui.stderr.textContent = "";
  ui.stderrPane.classList.remove("has-error");
  hideErrorLine();
  editor.markLine(null);
  showFacts(null, null);

  const started = performance.now();
  const tick = () => {
    ui.elapsed.textContent = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  };
  tick();
  const ticker = setInterval(tick, 100);
  try {
    const outcome = await runCode({ code: editor.code(), stdin: ui.stdin.value });
    show(outcome);
  } finally {
    clearInterval(ticker);
    ui.elapsed.textContent = "";
    ui.run.removeAttribute("aria-disabled");
    ui.run.textContent = "Run";
    running = false;
    backends.refresh();
  }
}

function show(outcome) {
  setStatus(outcome.kind, outcome.message, outcome.state);
  const r = outcome.result;
  showFacts(r, outcome.backend);
  backends.setLastRun(outcome.backend);
  if (!r) return;
  ui.stdout.textContent = typeof r.stdout === "string" ? r.stdout : "";
  ui.stderr.textContent = typeof r.stderr === "string" ? r.stderr : "";
  ui.stderrPane.classList.toggle("has-error", ui.stderr.textContent !== "");
  if (r.truncated) {
    ui.notice.textContent = "Output truncated: the output limit was reached, so only its beginning is shown.";
    ui.notice.hidden = false;
  }
  const line = r.status === "ok" ? null : errorLine(r.stderr);
  if (line !== null) {
    editor.markLine(line);
    ui.gotoError.textContent = `Go to line ${line}`;
    ui.gotoError.dataset.line = String(line);
    ui.gotoError.hidden = false;
  }
}

ui.run.addEventListener("click", () => run());
ui.gotoError.addEventListener("click", () => editor.goToLine(Number(ui.gotoError.dataset.line)));
// Ctrl/Cmd+Enter from anywhere on the page (the editor handles its own).
document.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
    e.preventDefault();
    run();
  }
});

// --- Examples and the link ---------------------------------------------------

EXAMPLES.forEach((example, i) => ui.examples.add(new Option(example.name, String(i))));
ui.examples.addEventListener("change", () => {
  const example = EXAMPLES[Number(ui.examples.value)];
  if (!example) return;
  editor.setCode(example.code);
  ui.stdin.value = example.stdin || "";
  saveNow();
  ui.examples.value = "";
  editor.focus();
});

ui.share.addEventListener("click", async () => {
  const link = shareLink({ code: editor.code(), stdin: ui.stdin.value });
  ui.shareLink.value = link;
  ui.shareBox.hidden = false;
  try {
    await navigator.clipboard.writeText(link);
    ui.shareStatus.textContent = "Copied to the clipboard.";
  } catch {
    // No clipboard (plain http, or refused): the link is there to copy.
    ui.shareLink.focus();
    ui.shareLink.select();
    ui.shareStatus.textContent = `Copy the link with ${isMac ? "⌘" : "Ctrl"}+C.`;
  }
});
