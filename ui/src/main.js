// Playground's page: wires the editor, running, results, examples,
// exercises and their tests, the shareable link, local storage and the
// backends panel to index.html.

import { createBackendsPanel } from "./backends.js";
import { createEditor } from "./editor.js";
import { EXAMPLES } from "./examples.js";
import { exerciseInHash, hashWithExercise, listExercises, loadExercise, showStatement } from "./exercises.js";
import { gradeCode } from "./grade.js";
import { createResults } from "./results.js";
import { errorLine, formatKb, formatMs, runCode } from "./run.js";
import { loadDraft, loadSaved, readFragment, save, saveDraft, shareLink } from "./share.js";

const $ = (id) => document.getElementById(id);
const ui = {
  code: $("code"), stdin: $("stdin"), run: $("run"), elapsed: $("elapsed"), status: $("status"),
  notice: $("notice"), stdout: $("stdout"), stderr: $("stderr"), stderrPane: $("stderr-pane"),
  gotoError: $("goto-error"), examples: $("examples"), share: $("share"), shareBox: $("share-box"),
  shareLink: $("share-link"), shareStatus: $("share-status"),
  main: $("main"), exercisePick: $("exercise-pick"), exercise: $("exercise"), test: $("test"),
  testHint: $("test-hint"), starter: $("starter"), statementPane: $("statement-pane"), gradePane: $("grade-pane"),
  statement: {
    title: $("statement-title"), text: $("statement-text"), cases: $("statement-cases"), about: $("statement-about"),
  },
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

let exercises = []; // what the service offers ([]: none, the page is a plain playground)
let current = null; // the chosen exercise (GET /api/exercises/<id>), or null
let opening = 0; // the latest choice: a slower, earlier one must not win

let saveTimer = 0;
function saveSoon() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(saveNow, 300);
}
function saveNow() {
  clearTimeout(saveTimer);
  save({ code: editor.code(), stdin: ui.stdin.value });
  if (current) saveDraft(current.id, editor.code());
}

const editor = createEditor(ui.code, {
  doc: initial.code,
  label: "Python code",
  description: $("code-hint").textContent.replace(/\s+/g, " ").trim(),
  onRun: () => run(),
  // Without an exercise there is nothing to test against: it runs, as before.
  onTest: () => (current ? test() : run()),
  onChange: () => {
    saveSoon();
    hideErrorLine();
  },
});
ui.stdin.addEventListener("input", saveSoon);
addEventListener("pagehide", saveNow);

// A shared link is applied once, then dropped from the address bar: a
// reload afterwards shows the code as edited, not as shared. The exercise
// stays there, so a reload opens it again.
function forgetLink() {
  saveNow();
  history.replaceState(null, "", location.pathname + location.search + hashWithExercise("", exerciseInHash(location.hash)));
}
if (fromLink) forgetLink();
addEventListener("hashchange", async () => {
  const shared = readFragment(location.hash);
  const id = exerciseInHash(location.hash);
  // The exercise first: its draft is kept before a shared code replaces it.
  if (id !== (current && current.id)) await openExercise(id, { keepCode: Boolean(shared) });
  if (!shared) return;
  editor.setCode(shared.code);
  ui.stdin.value = shared.stdin;
  forgetLink();
});

const backends = createBackendsPanel($("backends"), $("backends-summary"));
backends.refresh();

// --- Running ---------------------------------------------------------------

let running = false; // a run or a test: one at a time, they share the status line

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

// Run and Test share the page: while one works both buttons are marked busy,
// the ticker counts and `button` says what is happening.
async function whileBusy(button, label, work) {
  if (running) return;
  running = true;
  saveNow();
  const idle = button.textContent;
  // aria-disabled rather than disabled: a disabled button would drop the
  // keyboard focus of someone who pressed it.
  ui.run.setAttribute("aria-disabled", "true");
  ui.test.setAttribute("aria-disabled", "true");
  button.textContent = label;
  clearOutput();
  const stopTicker = startTicker();
  try {
    await work();
  } finally {
    stopTicker();
    ui.run.removeAttribute("aria-disabled");
    ui.test.removeAttribute("aria-disabled");
    button.textContent = idle;
    running = false;
    backends.refresh();
  }
}

function run() {
  return whileBusy(ui.run, "Running…", async () => {
    setStatus("running", "Running…");
    show(await runCode({ code: editor.code(), stdin: ui.stdin.value }));
  });
}

function clearOutput() {
  ui.notice.hidden = true;
  ui.stdout.textContent = "";
  ui.stderr.textContent = "";
  ui.stderrPane.classList.remove("has-error");
  hideErrorLine();
  editor.markLine(null);
  showFacts(null, null);
}

// The seconds since the start, counted up beside the buttons; returns the stop.
function startTicker() {
  const started = performance.now();
  const tick = () => {
    ui.elapsed.textContent = `${((performance.now() - started) / 1000).toFixed(1)} s`;
  };
  tick();
  const ticker = setInterval(tick, 100);
  return () => {
    clearInterval(ticker);
    ui.elapsed.textContent = "";
  };
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
// Ctrl/Cmd+Enter from anywhere on the page (the editor handles its own),
// and with Shift, the test when an exercise is chosen.
document.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
    e.preventDefault();
    if (e.shiftKey && current) test();
    else run();
  }
});

// --- Testing against an exercise -----------------------------------------------

const mod = isMac ? "⌘" : "Ctrl";
const NOT_TESTED = `Not tested yet: press Test or ${mod}+Shift+Enter.`;
const results = createResults({ summary: $("grade-summary"), table: $("grade-table"), body: $("grade-rows") });

function test() {
  if (!current) return undefined;
  return whileBusy(ui.test, "Testing…", async () => {
    setStatus("running", "Testing…", "testing");
    results.clear("Testing every case…");
    const outcome = await gradeCode({ id: current.id, code: editor.code() });
    setStatus(outcome.kind, outcome.message, outcome.state);
    backends.setLastRun(outcome.backend);
    if (outcome.result) results.show(outcome.result);
    else results.clear("No score: the cases could not be run (see the message above).");
  });
}
ui.test.addEventListener("click", () => test());

// --- Exercises ---------------------------------------------------------------


function setExerciseInUrl(id) {
  history.replaceState(null, "", location.pathname + location.search + hashWithExercise(location.hash, id));
}

function showExercise(exercise) {
  const on = exercise !== null;
  ui.main.classList.toggle("with-exercise", on);
  ui.statementPane.hidden = !on;
  ui.gradePane.hidden = !on;
  ui.test.hidden = !on;
  ui.testHint.hidden = !on;
  ui.exercise.value = on ? exercise.id : "";
  results.clear(NOT_TESTED);
  if (on) showStatement(ui.statement, exercise, { onUseInput: useInput });
}

function useInput(text) {
  ui.stdin.value = text;
  saveSoon();
  ui.stdin.focus();
}

// Opens exercise `id` (null: none). The editor gets the exercise's draft,
// else its starter code, unless keepCode (a shared link brings its own).
async function openExercise(id, { keepCode = false, firstInput = false } = {}) {
  const ticket = ++opening;
  if (current) saveNow(); // the draft of the one left
  if (!id || !exercises.some((e) => e.id === id)) {
    current = null;
    showExercise(null);
    setExerciseInUrl(null);
    return;
  }
  const exercise = await loadExercise(id);
  if (ticket !== opening) return;
  if (!exercise) {
    setStatus("error", "Cannot load this exercise from the Playground service. Try again in a moment.", "no_exercise");
    ui.exercise.value = current ? current.id : "";
    return;
  }
  current = exercise;
  showExercise(exercise);
  setExerciseInUrl(id);
  if (!keepCode) editor.setCode(loadDraft(id) ?? exercise.starter_code);
  // The first case's input, so that Run right away runs a real case.
  if (firstInput && exercise.tests.length) ui.stdin.value = String(exercise.tests[0].stdin ?? "");
  saveNow();
}

ui.exercise.addEventListener("change", async () => {
  await openExercise(ui.exercise.value || null, { firstInput: true });
  if (current) editor.focus();
});
ui.starter.addEventListener("click", () => {
  if (!current) return;
  editor.setCode(current.starter_code); // undoable: Ctrl+Z brings the draft back
  editor.focus();
});

(async () => {
  exercises = await listExercises();
  exercises.forEach((e) => ui.exercise.add(new Option(e.title, e.id)));
  ui.exercisePick.hidden = exercises.length === 0;
  // One this service does not offer is dropped from the address.
  const id = exerciseInHash(location.hash);
  if (id) await openExercise(id, { keepCode: Boolean(fromLink) });
})();

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
  const link = shareLink({ code: editor.code(), stdin: ui.stdin.value, exercise: current && current.id });
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
