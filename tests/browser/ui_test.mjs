// Browser tests of the web UI: the real page, served by the real
// playground-frontend in front of two real playground-backends ("gke" and
// "aks"), in Debian's headless Chromium driven by playwright-core. One case
// per run; CTest registers each as browser.<case> (label "browser"):
//   node tests/browser/ui_test.mjs run_button
// Each case saves a screenshot to $PLAYGROUND_SCREENSHOT_DIR/<case>.png (also
// when it fails, showing where) and fails on any console error or CSP
// violation it did not expect. Every process it started is stopped at the end,
// whatever happened, and dies with this process if it is killed.
// Environment: PLAYGROUND_BIN_DIR (the programs), PLAYGROUND_SCREENSHOT_DIR,
// PLAYGROUND_UI_DIR (ui/, where npm installed playwright-core), CHROMIUM.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { browserEnv, until as poll } from "./harness.mjs";
import { Stack } from "./stack.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const env = {
  ...browserEnv,
  exercises: path.resolve(here, "../../exercises"), // the repository's examples
};
const WAIT_MS = 10000;

// --- Waiting and reading the page --------------------------------------------

// Polls check() until it returns a truthy value (see harness.mjs).
function until(what, check, timeout = WAIT_MS) {
  return poll(what, check, timeout);
}

async function expectText(page, selector, expected, timeout = WAIT_MS) {
  let text;
  await until(`${selector} to show ${expected}`, async () => {
    text = await page.locator(selector).textContent();
    return typeof expected === "string" ? text === expected : expected.test(text);
  }, timeout).catch((e) => {
    throw new Error(`${e.message}\n  ${selector} shows: ${JSON.stringify(text)}`);
  });
  return text;
}

// The run has finished: the status line left "running" for this state.
async function expectOutcome(page, state, message, timeout = WAIT_MS) {
  await until(`the run to end as ${state}`, async () =>
    (await page.locator("#status").getAttribute("data-state")) === state, timeout).catch(async (e) => {
    throw new Error(`${e.message}\n  status line: ${await page.locator("#status").textContent()}`);
  });
  await expectText(page, "#status", message);
  assert.equal(await page.locator("#run").getAttribute("aria-disabled"), null, "Run is enabled again");
  assert.equal(await page.locator("#elapsed").textContent(), "", "the elapsed time is gone");
}

async function editorText(page) {
  return (await page.locator("#code .cm-line").allTextContents()).join("\n");
}

// Replaces the editor's code as a paste would (no auto-indent, no brackets).
async function setCode(page, code) {
  await page.locator("#code .cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
  await until("the editor to hold the code", async () => (await editorText(page)) === code);
}

async function clearEditor(page) {
  await page.locator("#code .cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await until("an empty editor", async () => (await editorText(page)) === "");
}

async function stdoutOf(page) {
  return page.locator("#stdout").textContent();
}

// WCAG contrast of an element's text against the first opaque background behind it.
async function contrastOf(page, selector) {
  return page.locator(selector).first().evaluate((el) => {
    const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const luminance = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    let bg = null;
    for (let n = el; n && !bg; n = n.parentElement) {
      const c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || c[3] === 1) bg = c.slice(0, 3);
    }
    bg = bg || [255, 255, 255];
    const [a, b] = [luminance(rgb(getComputedStyle(el).color)), luminance(bg)];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  });
}

async function expectReadable(page, selectors) {
  for (const selector of selectors) {
    const ratio = await contrastOf(page, selector);
    assert.ok(ratio >= 4.5, `${selector}: contrast ${ratio.toFixed(2)} is under 4.5:1`);
  }
}

// --- Exercises -------------------------------------------------------------------

const SUM_TWO_STARTER = "a, b = map(int, input().split())\nprint(a + b)\n";

// The test has ended as graded (or, with kind "error", graded with failures).
async function expectGraded(page, kind, message) {
  await until("the test to be graded", async () =>
    (await page.locator("#status").getAttribute("data-state")) === "graded").catch(async (e) => {
    throw new Error(`${e.message}\n  status line: ${await page.locator("#status").textContent()}`);
  });
  await expectText(page, "#status", message);
  assert.equal(await page.locator("#status").getAttribute("class"), `status ${kind}`);
  assert.equal(await page.locator("#test").getAttribute("aria-disabled"), null, "Test is enabled again");
  assert.equal(await page.locator("#test").textContent(), "Test");
}

// Each row of the results: [case, verdict, points], or [text] for a detail row.
async function gradeRows(page) {
  return page.locator("#grade-rows tr").evaluateAll((rows) => rows.map((tr) =>
    tr.classList.contains("detail") ? [tr.textContent] : [...tr.cells].slice(0, 3).map((c) => c.textContent)));
}

// sum-two's hidden cases ("large": 123456789012345678901234567890 1) are
// nowhere in the page: not their input, not their expected output.
async function expectNoHiddenCase(page) {
  assert.ok(!(await page.content()).includes("1234567890123456789012345678"), "no hidden case's data in the page");
  const statement = await page.locator("#statement-pane").textContent();
  assert.ok(!/large|zeros/.test(statement), "no hidden case in the statement");
}

// An exercise whose statement tries Markdown and HTML, in a directory of its own.
function markupExercises() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "pg-browser-exercises-"));
  writeFileSync(path.join(dir, "markup.json"), JSON.stringify({
    id: "markup",
    title: "Markup <b>stays</b> text",
    statement: [
      "# A heading", "",
      "Some *emphasis*, **strong** and `<i>code</i>`.", "",
      "- one item", "- two items", "",
      "1. first", "2. second", "",
      "```", "for i in range(3):", "    print('<script>')", "```", "",
      '<img src=x onerror="window.__pwned = 1">', "",
    ].join("\n"),
    starter_code: "print(1)\n",
    compare: "lines",
    tests: [{ name: "one", stdin: "", expected_stdout: "1\n" }],
  }));
  return dir;
}

// --- The cases ----------------------------------------------------------------
// Each gets t = {page, context, front, backends: {gke, aks}, stack, shot(name)}.

const CASES = {
  // The editor's features, then a run with the Run button.
  async run_button({ page }) {
    assert.equal(await page.title(), "Playground — Python");
    await clearEditor(page);
    await page.keyboard.type("for i in range(3):\nprint(i * 2)");
    // Enter after ':' indented the next line; brackets were closed as typed.
    assert.equal(await editorText(page), "for i in range(3):\n    print(i * 2)");
    await page.keyboard.press("Shift+Tab");
    assert.equal(await editorText(page), "for i in range(3):\nprint(i * 2)", "Shift+Tab dedents");
    await page.keyboard.press("Tab");
    assert.equal(await editorText(page), "for i in range(3):\n    print(i * 2)", "Tab indents");
    assert.deepEqual(await page.locator("#code .cm-lineNumbers .cm-gutterElement:visible").allTextContents(),
      ["1", "2"], "line numbers");
    // Python highlighting: "for" is coloured unlike plain text.
    const [keyword, plain] = await page.locator("#code .cm-line").first().evaluate((line) => {
      const span = [...line.querySelectorAll("span")].find((s) => s.textContent === "for");
      return [span && getComputedStyle(span).color, getComputedStyle(line).color];
    });
    assert.ok(keyword && keyword !== plain, `"for" is highlighted (${keyword} vs ${plain})`);

    await page.locator("#run").click();
    await expectOutcome(page, "ok", /Finished/);
    assert.equal(await stdoutOf(page), "0\n2\n4\n");
    assert.equal(await page.locator("#stderr").textContent(), "");
    assert.equal(await page.locator("#stderr-pane.has-error").count(), 0);
    assert.equal(await page.locator("#fact-status").textContent(), "ok");
    assert.equal(await page.locator("#fact-exit").textContent(), "0");
    assert.match(await page.locator("#fact-wall").textContent(), /^\d+\.\d+ m?s$/);
    assert.match(await page.locator("#fact-cpu").textContent(), /^\d+\.\d+ m?s$/);
    assert.match(await page.locator("#fact-memory").textContent(), /^\d+(\.\d)? (KiB|MiB)$/);
    assert.match(await page.locator("#fact-backend").textContent(), /^(gke|aks)$/);
    await expectReadable(page, ["#status", ".hint", "#stdout", ".facts dt", ".facts dd", "#backends .state",
      "#backends .meta", "#run"]);
  },

  // Ctrl+Enter runs from the editor (without adding a line) and from stdin.
  async ctrl_enter({ page }) {
    await clearEditor(page);
    await page.keyboard.type('print("hi from the keyboard", input())');
    await page.locator("#stdin").fill("1");
    await page.locator("#code .cm-content").click();
    await page.keyboard.press("Control+Enter");
    await expectOutcome(page, "ok", /Finished/);
    assert.equal(await stdoutOf(page), "hi from the keyboard 1\n");
    assert.equal(await editorText(page), 'print("hi from the keyboard", input())', "Ctrl+Enter added no line");
    await page.locator("#stdin").fill("2");
    await page.locator("#stdin").press("Control+Enter");
    await expectOutcome(page, "ok", /Finished/);
    assert.equal(await stdoutOf(page), "hi from the keyboard 2\n");
    assert.equal(await page.locator("#stdin").inputValue(), "2", "Ctrl+Enter added no line to stdin");
  },

  // An uncaught exception: the traceback in the stderr pane, shown as an error.
  async exception({ page }) {
    await setCode(page, [
      "def average(values):",
      "    return sum(values) / len(values)",
      "",
      "",
      'print("average of [1, 2, 3]:", average([1, 2, 3]))',
      'print("average of []:", average([]))',
      "",
    ].join("\n"));
    await page.locator("#run").click();
    await expectOutcome(page, "error", /raised an exception \(exit code 1\)/);
    assert.equal(await stdoutOf(page), "average of [1, 2, 3]: 2.0\n");
    const stderr = await page.locator("#stderr").textContent();
    assert.match(stderr, /^Traceback \(most recent call last\):/);
    assert.match(stderr, /File "\/tmp\/main\.py", line 2, in average/);
    assert.match(stderr, /ZeroDivisionError: division by zero\n$/);
    await page.locator("#stderr-pane.has-error").waitFor();
    assert.equal(await page.locator("#status").getAttribute("class"), "status error");
    const [errColor, outColor] = await Promise.all(["#stderr", "#stdout"].map((s) =>
      page.locator(s).evaluate((el) => getComputedStyle(el).color)));
    assert.notEqual(errColor, outColor, "stderr is coloured as an error");
    assert.equal(await page.locator("#fact-exit").textContent(), "1");
    // The line the traceback points at is marked, and one click away.
    assert.equal(await page.locator("#code .cm-errorLine").textContent(), "    return sum(values) / len(values)");
    await page.locator("#goto-error").click();
    await expectText(page, "#code .cm-activeLine", "    return sum(values) / len(values)");
    await expectReadable(page, ["#stderr", "#status", "#stderr-label"]);
  },

  // stdin reaches the program: an example that reads it, then input().
  async stdin({ page }) {
    await page.locator("#examples").selectOption({ label: "Read stdin" });
    await until("the example's stdin", async () => (await page.locator("#stdin").inputValue()) === "3\n14\n15\n92\n");
    assert.match(await editorText(page), /numbers = \[int\(line\) for line in sys\.stdin/);
    await page.locator("#run").click();
    await expectOutcome(page, "ok", /Finished/);
    assert.equal(await stdoutOf(page), "4 numbers, sum 124, max 92\n");

    await setCode(page, 'name = input()\nprint(f"hello {name}")\n');
    await page.locator("#stdin").fill("Ada\n");
    await page.locator("#run").click();
    await expectOutcome(page, "ok", /Finished/);
    assert.equal(await stdoutOf(page), "hello Ada\n");
  },

  // A run that never ends: the running state, then the time limit's message.
  async timeout({ page }) {
    await setCode(page, "while True:\n    pass\n");
    await page.locator("#run").click();
    await until("the running state", async () =>
      (await page.locator("#status").getAttribute("data-state")) === "running");
    assert.equal(await page.locator("#run").getAttribute("aria-disabled"), "true", "Run is disabled while running");
    assert.equal(await page.locator("#run").textContent(), "Running…");
    // The elapsed time counts up.
    await until("the elapsed time to pass 0.3 s", async () =>
      parseFloat(await page.locator("#elapsed").textContent()) >= 0.3);
    await expectOutcome(page, "timeout", /^Time limit reached: the program ran too long and was stopped\.$/, 15000);
    assert.equal(await page.locator("#fact-status").textContent(), "timeout");
    assert.equal(await page.locator("#status").getAttribute("class"), "status error");
  },

  // Memory and output limits: their messages, and the truncation notice.
  async limits({ page }) {
    await page.locator("#examples").selectOption({ label: "Too much memory (memory limit)" });
    await page.locator("#run").click();
    await expectOutcome(page, "memory_limit", /^Memory limit reached/, 15000);
    assert.equal(await page.locator("#notice").isHidden(), true);

    await page.locator("#examples").selectOption({ label: "Too much output (output limit)" });
    await page.locator("#run").click();
    await expectOutcome(page, "output_limit", /^Output limit reached/, 15000);
    await expectText(page, "#notice", /^Output truncated/);
    assert.equal(await page.locator("#notice").isVisible(), true);
    assert.match(await stdoutOf(page), /^0 spam spam/);
  },

  // Round-robin: two runs in a row are answered by the two backends, and
  // the panel shows which one answered last.
  // A deployment with a shared token keeps its backends (addresses, health)
  // to its operators: the panel says so, and runs work as always.
  async backends_private({ page }) {
    await expectText(page, "#backends-summary", "not shown: this service keeps its backends to its operators");
    assert.equal(await page.locator("#backends li").count(), 0);
    await setCode(page, 'print("still runs")\n');
    await page.locator("#run").click();
    await expectOutcome(page, "ok", /Finished/);
    assert.equal(await stdoutOf(page), "still runs\n");
  },

  async round_robin({ page }) {
    await expectText(page, "#backends-summary", "2 of 2 healthy");
    assert.equal(await page.locator("#backends li.healthy").count(), 2);
    await setCode(page, 'print("which cloud?")\n');
    const served = [];
    for (let i = 0; i < 2; i++) {
      await page.locator("#run").click();
      await expectOutcome(page, "ok", /Finished/);
      const backend = await page.locator("#fact-backend").textContent();
      served.push(backend);
      await page.locator(`#backends li.last[data-name="${backend}"]`).waitFor();
      await expectText(page, "#backends li.last .tag", "served the last run");
      assert.equal(await page.locator("#backends li.last").count(), 1);
    }
    assert.deepEqual([...served].sort(), ["aks", "gke"], `two runs, two backends (${served})`);
  },

  // Both backends stopped: a clear service error; the frontend stopped too:
  // the page says it cannot reach the service. Never a silent failure.
  async service_down({ page, backends, front, shot }) {
    await setCode(page, 'print("still there?")\n');
    await page.locator("#run").click();
    await expectOutcome(page, "ok", /Finished/);
    await Promise.all([backends.gke.stop(), backends.aks.stop()]);

    await page.locator("#run").click();
    await expectOutcome(page, "unavailable", /^The Playground service is unavailable: no backend could be reached/);
    assert.equal(await page.locator("#status").getAttribute("class"), "status error");
    assert.equal(await stdoutOf(page), "");
    await expectText(page, "#backends-summary", "0 of 2 healthy");
    assert.equal(await page.locator("#backends li.unhealthy").count(), 2);
    assert.equal(await page.locator("#backends li.last").count(), 0, "no backend served the failed run");
    await shot("service_down-backends");

    await front.stop();
    await page.locator("#run").click();
    await expectOutcome(page, "unreachable", /^Cannot reach the Playground service/);
    await expectText(page, "#backends-summary", /^status unavailable/);
  },

  // The code survives a reload (local storage) and travels in a link.
  async share_and_keep({ page, context, front }) {
    const code = 'print("héllo, 世界 🐍")\n';
    await setCode(page, code);
    await page.locator("#stdin").fill("line one\n");
    await until("the code to be saved", () => page.evaluate(() => localStorage.getItem("playground.v1")));
    await page.reload();
    await page.locator("#code .cm-content").waitFor();
    assert.equal(await editorText(page), code);
    assert.equal(await page.locator("#stdin").inputValue(), "line one\n");

    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: front.url });
    await page.locator("#share").click();
    await expectText(page, "#share-status", "Copied to the clipboard.");
    const link = await page.locator("#share-link").inputValue();
    assert.match(link, new RegExp(`^${front.url}/#code=[A-Za-z0-9_-]+&stdin=[A-Za-z0-9_-]+$`));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);

    // The link opened in the same tab replaces the code there too.
    await setCode(page, 'print("something else")\n');
    await page.goto(link);
    await until("the shared code in the same tab", async () => (await editorText(page)) === code);
    assert.equal(page.url(), `${front.url}/`, "the link's fragment is dropped once applied");

    // A fresh browser profile (no storage) opens the link.
    const other = await context.browser().newContext();
    try {
      const fresh = await other.newPage();
      await fresh.goto(link);
      await fresh.locator("#code .cm-content").waitFor();
      await until("the shared code", async () => (await editorText(fresh)) === code);
      assert.equal(await fresh.locator("#stdin").inputValue(), "line one\n");
      assert.equal(fresh.url(), `${front.url}/`, "the link's fragment is dropped once applied");
      await fresh.locator("#run").click();
      await expectOutcome(fresh, "ok", /Finished/);
      assert.equal(await stdoutOf(fresh), "héllo, 世界 🐍\n");
    } finally {
      await other.close();
    }
  },

  // Too many runs: the rate limit's message (the frontend allows 1 a second here).
  async rate_limit({ page }) {
    await setCode(page, 'print("again")\n');
    await until("a run to be refused by the rate limit", async () => {
      await page.locator("#run").click();
      await until("the run to end", async () =>
        (await page.locator("#status").getAttribute("data-state")) !== "running");
      return (await page.locator("#status").getAttribute("data-state")) === "rate_limited";
    });
    await expectOutcome(page, "rate_limited", /^Too many runs in a short time: wait \d+ s, then run again\.$/);
    assert.equal(await page.locator("#fact-backend").textContent(), "—");
  },

  // Keyboard only: the focus order, leaving the editor, and every control's name.
  async keyboard_and_labels({ page }) {
    await page.getByRole("textbox", { name: "Python code" }).waitFor();
    await page.getByLabel("stdin").waitFor();
    await page.getByLabel("Examples").waitFor();
    await page.getByRole("button", { name: "Run" }).waitFor();
    await page.getByRole("button", { name: "Copy link" }).waitFor();
    const focused = () => page.evaluate(() => {
      let el = document.activeElement;
      while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
      return el ? el.id || el.className : null;
    });
    await page.locator("#examples").focus();
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "share");
    await page.keyboard.press("Tab");
    assert.match(await focused(), /cm-content/, "the editor follows");
    const code = await editorText(page);
    await page.keyboard.press("Tab");
    assert.match(await focused(), /cm-content/, "Tab indents inside the editor");
    assert.equal(await editorText(page), "    " + code);
    await page.keyboard.press("Shift+Tab");
    assert.equal(await editorText(page), code);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "stdin", "Esc then Tab leaves the editor");
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "run");
    await page.keyboard.press("Enter");
    await expectOutcome(page, "ok", /Finished/);
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "stdout");
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "stderr");
  },

  // A phone, in dark mode: one column, nothing wider than the screen, dark colours.
  async phone_dark({ page }) {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page fits a 390 px screen (it is ${width} px wide)`);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, "rgb(13, 17, 23)", "dark background");
    const editorBg = await page.locator("#code .cm-editor").evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(editorBg, "rgb(21, 27, 35)", "dark editor");
    const run = await page.locator("#run").boundingBox();
    assert.ok(run.height >= 44 && run.x >= 0 && run.x + run.width <= 390, "Run is a full-size target on screen");
    const editor = await page.locator("#code").boundingBox();
    assert.ok(editor.y + editor.height <= run.y, "one column: the editor above Run");
    await page.locator("#examples").selectOption({ label: "An exception (traceback)" });
    await page.locator("#run").tap();
    await expectOutcome(page, "error", /raised an exception/);
    assert.equal(await stdoutOf(page), "2.0\n");
    await expectReadable(page, ["#status", ".hint", "#stdout", "#stderr", ".facts dt", "#backends .state",
      "#backends .meta", "#run", "#code .cm-lineNumbers .cm-gutterElement"]);
    const after = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(after <= 390, `still fits with a traceback shown (${after} px)`);
  },

  // --- Exercises (the frontend started with --exercises <repo>/exercises) ---

  // The picker lists the exercises; choosing one loads its starter code and
  // statement beside the editor, and puts it in the address, which a reload
  // or a link opens again. "No exercise" goes back to plain coding.
  async exercise_picker({ page, context, front }) {
    const picker = page.getByLabel("Exercise", { exact: true });
    await picker.waitFor();
    assert.deepEqual(await page.locator("#exercise option").allTextContents(),
      ["No exercise (free coding)", "FizzBuzz", "Mean and standard deviation", "Sum of two numbers"]);
    assert.equal(await page.locator("#statement-pane").isHidden(), true, "no statement before a choice");
    assert.equal(await page.locator("#test").isHidden(), true, "no Test before a choice");

    await picker.selectOption({ label: "Sum of two numbers" });
    await until("the starter code", async () => (await editorText(page)) === SUM_TWO_STARTER);
    await expectText(page, "#statement-title", "Sum of two numbers");
    await expectText(page, "#statement-text p >> nth=0", /^Read two integers from standard input/);
    assert.equal(await page.locator("#statement-text strong").textContent(), "Example");
    assert.deepEqual(await page.locator("#statement-text code").allTextContents(), ["1 2", "3"]);
    assert.deepEqual(await page.locator("#statement-cases h4").allTextContents(), ["small", "negative"]);
    assert.deepEqual(await page.locator("#statement-cases pre").allTextContents(), ["1 2\n", "3\n", "-5 3\n", "-2\n"]);
    await expectText(page, "#statement-about", /2 hidden cases \(3 points\)\..*line by line.*Maximum score: 5\./);
    await expectNoHiddenCase(page);
    assert.equal(await page.locator("#stdin").inputValue(), "1 2\n", "the first case's input is in stdin");
    assert.equal(page.url(), `${front.url}/#exercise=sum-two`);
    assert.equal(await page.locator("#test").isVisible(), true);
    await expectText(page, "#code-hint", /Ctrl\+Shift\+Enter tests against the exercise/);
    // Wide: the statement is a column of its own, left of the editor.
    const [statement, editor] = await Promise.all(["#statement-pane", "#code"].map((s) => page.locator(s).boundingBox()));
    assert.ok(statement.x + statement.width <= editor.x && statement.y < editor.y + editor.height,
      `the statement beside the editor (${JSON.stringify(statement)} / ${JSON.stringify(editor)})`);
    await expectReadable(page, ["#statement-text p", "#statement-about", ".io-label", "#statement-cases pre", "#test"]);

    // Run runs the first case; "Use this input" puts another in stdin.
    await page.locator("#run").click();
    await expectOutcome(page, "ok", /Finished/);
    assert.equal(await stdoutOf(page), "3\n");
    await page.getByRole("button", { name: 'Use the input of case "negative" as stdin' }).click();
    assert.equal(await page.locator("#stdin").inputValue(), "-5 3\n");

    // An edit survives a reload: the address keeps the exercise, the draft the code.
    const edited = "a, b = map(int, input().split())\nprint(a + b)  # mine\n";
    await setCode(page, edited);
    await until("the draft to be saved", () => page.evaluate(() =>
      (localStorage.getItem("playground.drafts.v1") || "").includes("# mine")));
    await page.reload();
    await until("the exercise after a reload", async () =>
      (await page.locator("#statement-title").textContent()) === "Sum of two numbers");
    assert.equal(await editorText(page), edited, "the draft, not the starter code");
    assert.equal(await picker.inputValue(), "sum-two");

    // A link opens the exercise in a fresh browser profile, with its starter code.
    const other = await context.browser().newContext();
    try {
      const fresh = await other.newPage();
      await fresh.goto(`${front.url}/#exercise=fizzbuzz`);
      await expectText(fresh, "#statement-title", "FizzBuzz");
      await until("fizzbuzz's starter code", async () =>
        (await editorText(fresh)) === "n = int(input())\nfor i in range(1, n + 1):\n    print(i)\n");
      assert.equal(await fresh.locator("#exercise").inputValue(), "fizzbuzz");
      assert.equal(fresh.url(), `${front.url}/#exercise=fizzbuzz`);
    } finally {
      await other.close();
    }

    // "Copy link" carries the exercise with the code.
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: front.url });
    await page.locator("#share").click();
    await expectText(page, "#share-status", "Copied to the clipboard.");
    assert.match(await page.locator("#share-link").inputValue(), /#code=[A-Za-z0-9_-]+&stdin=[A-Za-z0-9_-]+&exercise=sum-two$/);

    // Back to no exercise: the code stays, the statement and Test go.
    await picker.selectOption({ label: "No exercise (free coding)" });
    await until("the statement to go", () => page.locator("#statement-pane").isHidden());
    assert.equal(await page.locator("#test").isHidden(), true);
    assert.equal(await page.locator("#test-hint").isHidden(), true);
    assert.equal(page.url(), `${front.url}/`);
    assert.equal(await editorText(page), edited);
    // Chosen again: the draft is back, not the starter code.
    await picker.selectOption({ label: "Sum of two numbers" });
    await until("the draft again", async () => (await editorText(page)) === edited);
    await page.getByRole("button", { name: "Start over from the starter code" }).click();
    assert.equal(await editorText(page), SUM_TWO_STARTER);
  },

  // Test grades the editor's code: every case a row with its verdict, points
  // and time, the score announced; hidden cases give their verdict and nothing else.
  async exercise_test_results({ page }) {
    await page.locator("#exercise").selectOption("sum-two");
    await until("the starter code", async () => (await editorText(page)) === SUM_TWO_STARTER);
    await expectText(page, "#grade-summary", "Not tested yet: press Test or Ctrl+Shift+Enter.");
    assert.equal(await page.locator("#grade-summary").getAttribute("role"), "status");

    // The starter code is a solution: every row passes.
    await page.locator("#test").click();
    await expectGraded(page, "ok", "Tested: all 4 cases passed.");
    await expectText(page, "#grade-summary", "Score 5 / 5: 4 of 4 cases passed.");
    assert.deepEqual(await gradeRows(page), [
      ["small", "✓ Passed", "1 / 1"],
      ["negative", "✓ Passed", "1 / 1"],
      ["large hidden", "✓ Passed", "2 / 2"],
      ["zeros hidden", "✓ Passed", "1 / 1"],
    ]);
    assert.equal(await page.locator("#grade-rows tr.case.passed").count(), 4);
    assert.equal(await page.locator("#grade-rows tr.detail").count(), 0);
    for (const time of await page.locator("#grade-rows tr.case td:nth-child(4)").allTextContents()) {
      assert.match(time, /^\d+\.\d+ m?s$/);
    }
    assert.equal(await page.locator("#grade-table caption").count(), 1);
    assert.deepEqual(await page.locator("#grade-table thead th").allTextContents(), ["Case", "Verdict", "Points", "Time"]);
    const [passBg, pageBg] = await Promise.all(["#grade-rows tr.passed", "body"].map((s) =>
      page.locator(s).first().evaluate((el) => getComputedStyle(el).backgroundColor)));
    assert.notEqual(passBg, pageBg, "passed rows are green");
    await expectReadable(page, ["#grade-summary", "#grade-rows tr.passed .verdict", "#grade-table caption"]);

    // An extra line: the first difference is where the expected output ended.
    await setCode(page, "a, b = map(int, input().split())\nprint(a + b)\nprint(\"extra\")\n");
    await page.locator("#test").click();
    await expectGraded(page, "error", "Tested: 4 of 4 cases failed; see each case below.");
    await expectText(page, "#grade-summary", "Score 0 / 5: 0 of 4 cases passed.");
    assert.deepEqual(await page.locator("#grade-rows tr.detail").first().locator("dd").allTextContents(),
      ["(output ended)", "extra"]);
    await expectText(page, "#grade-rows tr.detail >> nth=0", /^First difference, line 2:/);

    // An exception: a visible case shows its traceback, a hidden one nothing.
    await setCode(page, 'raise ValueError("no sums today")\n');
    await page.locator("#test").click();
    await expectGraded(page, "error", "Tested: 4 of 4 cases failed; see each case below.");
    assert.deepEqual((await gradeRows(page)).filter((row) => row.length === 3).map((row) => row[1]),
      Array(4).fill("✗ Error (exit code 1)"));
    assert.equal(await page.locator("#grade-rows tr.detail").count(), 2, "details for the visible cases only");
    await expectText(page, "#grade-rows tr.detail >> nth=0", /^stderr:Traceback[^]*ValueError: no sums today\n$/);
    await expectReadable(page, ["#grade-rows .case-stderr"]);

    // Right, wrong, and two hidden failures (one with a message on stderr).
    await setCode(page, [
      "a, b = map(int, input().split())",
      "if a == 0:",
      '    raise SystemExit("zero is not allowed here")',
      "if a < 0:",
      "    print(a - b)",
      "elif a < 10:",
      "    print(a + b)",
      "else:",
      "    print(a * b)",
      "",
    ].join("\n"));
    await page.locator("#test").click();
    await expectGraded(page, "error", "Tested: 3 of 4 cases failed; see each case below.");
    await expectText(page, "#grade-summary", "Score 1 / 5: 1 of 4 cases passed.");
    assert.deepEqual(await gradeRows(page), [
      ["small", "✓ Passed", "1 / 1"],
      ["negative", "✗ Wrong answer", "0 / 1"],
      ["First difference, line 1:Expected-2Got-8"],
      ["large hidden", "✗ Wrong answer", "0 / 2"],
      ["zeros hidden", "✗ Error (exit code 1)", "0 / 1"],
    ]);
    assert.equal(await page.locator("#grade-rows tr.failed").count(), 3);
    const [failBg, failColor] = await page.locator("#grade-rows tr.failed .verdict").first().evaluate((el) =>
      [getComputedStyle(el.parentElement).backgroundColor, getComputedStyle(el).color]);
    assert.notEqual(failBg, passBg, "failed rows are not green");
    assert.notEqual(failColor, await page.locator("#grade-rows tr.passed .verdict").evaluate((el) =>
      getComputedStyle(el).color), "failed verdicts are red");
    await expectReadable(page, ["#grade-rows tr.failed .verdict", "#grade-rows tr.detail dt", "#grade-rows tr.detail dd code"]);
    // Nothing of the hidden cases anywhere in the page: input, expected output, stderr.
    await expectNoHiddenCase(page);
    const html = await page.content();
    assert.ok(!html.includes("zero is not allowed here"), "a hidden case's stderr is not in the page");
  },

  // Keyboard only: the picker, the statement's buttons, Test and Ctrl+Shift+Enter.
  async exercise_keyboard({ page }) {
    await page.locator("#exercise-pick").waitFor();
    const focused = () => page.evaluate(() => {
      let el = document.activeElement;
      while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
      return el ? el.id || el.className : null;
    });
    // The header's order: exercise, examples, Copy link.
    await page.locator("#exercise").focus();
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "examples");
    await page.keyboard.press("Shift+Tab");
    assert.equal(await focused(), "exercise");
    // Arrow keys choose in a closed select; the editor then has the focus.
    await page.keyboard.press("ArrowDown");
    await expectText(page, "#statement-title", "FizzBuzz");
    await until("the editor to have the focus", async () => /cm-content/.test(await focused()));
    const code = await editorText(page);
    assert.equal(code, "n = int(input())\nfor i in range(1, n + 1):\n    print(i)\n");

    // Ctrl+Shift+Enter in the editor tests (and adds no line).
    await page.keyboard.press("Control+Shift+Enter");
    await expectGraded(page, "error", "Tested: 3 of 4 cases failed; see each case below.");
    await expectText(page, "#grade-summary", "Score 1 / 5: 1 of 4 cases passed.");
    assert.equal(await editorText(page), code, "Ctrl+Shift+Enter added no line");
    assert.deepEqual(await page.locator("#grade-rows tr.detail").first().locator("dd").allTextContents(), ["Fizz", "3"]);

    // Ctrl+Enter still runs; Ctrl+Shift+Enter tests from stdin too.
    await page.keyboard.press("Control+Enter");
    await expectOutcome(page, "ok", /Finished/);
    assert.equal(await stdoutOf(page), "1\n2\n3\n4\n5\n");
    await page.locator("#stdin").press("Control+Shift+Enter");
    await expectGraded(page, "error", "Tested: 3 of 4 cases failed; see each case below.");

    // Tab order: the statement (scrollable, so focusable), its buttons, then the editor.
    await page.locator("#share").focus();
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "statement-pane");
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "link", "the first case's button");
    await page.keyboard.press("Enter");
    assert.equal(await focused(), "stdin", "its input is in stdin, with the focus");
    assert.equal(await page.locator("#stdin").inputValue(), "5\n");
    // stdin, Run, then Test: a real button, Enter and Space press it, focus visible.
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "run");
    await page.keyboard.press("Tab");
    assert.equal(await focused(), "test");
    const outline = await page.locator("#test").evaluate((el) => getComputedStyle(el).outlineStyle);
    assert.notEqual(outline, "none", "the focused Test button shows it");
    await page.keyboard.press("Space");
    await expectGraded(page, "error", "Tested: 3 of 4 cases failed; see each case below.");
    assert.equal(await focused(), "test", "Test keeps the focus");
    await page.keyboard.press("Enter");
    await expectGraded(page, "error", "Tested: 3 of 4 cases failed; see each case below.");
    await page.getByRole("button", { name: "Test" }).waitFor();
    await page.getByRole("table", { name: /Each case of the exercise/ }).waitFor();
    await page.getByRole("columnheader", { name: "Verdict" }).waitFor();
    await page.getByRole("rowheader", { name: "to 5" }).waitFor();
  },

  // A 375 px phone in dark mode: the statement above the editor, Test and
  // the results usable with a finger, nothing wider than the screen.
  async exercise_phone({ page }) {
    await page.locator("#exercise").selectOption("sum-two");
    await expectText(page, "#statement-title", "Sum of two numbers");
    const box = (s) => page.locator(s).boundingBox();
    const [statement, editor, test] = [await box("#statement-pane"), await box("#code"), await box("#test")];
    assert.ok(statement.y + statement.height <= editor.y, "the statement above the editor");
    assert.ok(statement.x >= 0 && statement.x + statement.width <= 375, "the statement fits the width");
    assert.ok(editor.y + editor.height <= test.y, "Test below the editor");
    assert.ok(test.height >= 44 && test.x >= 0 && test.x + test.width <= 375, "Test is a full-size target on screen");
    const fits = async (when) => {
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 375, `no horizontal scroll ${when} (${width} px)`);
    };
    await fits("with the statement");

    await setCode(page, "a, b = map(int, input().split())\nprint(a - b if a < 0 else a + b)\n");
    await page.locator("#test").tap();
    await expectGraded(page, "error", "Tested: 1 of 4 cases failed; see each case below.");
    await expectText(page, "#grade-summary", "Score 4 / 5: 3 of 4 cases passed.");
    await page.locator("#grade-table").scrollIntoViewIfNeeded();
    const table = await box("#grade-table");
    assert.ok(table.x >= 0 && table.x + table.width <= 375, `the results fit (${JSON.stringify(table)})`);
    assert.equal(await page.locator("#grade-rows tr.detail").isVisible(), true);
    await fits("with the results");
    await expectReadable(page, ["#grade-summary", "#grade-rows tr.failed .verdict", "#grade-rows tr.passed .verdict",
      "#grade-rows tr.detail dd code", "#statement-text p", "#statement-about", "#statement-cases pre", "#test"]);
  },

  // A statement's Markdown becomes headings, lists, emphasis and code, and
  // its HTML stays text: nothing in it becomes markup.
  async exercise_markdown({ page }) {
    await page.locator("#exercise").selectOption("markup");
    await expectText(page, "#statement-title", "Markup <b>stays</b> text");
    const text = page.locator("#statement-text");
    assert.deepEqual(await text.locator("h3").allTextContents(), ["A heading"]);
    assert.deepEqual(await text.locator("ul li").allTextContents(), ["one item", "two items"]);
    assert.deepEqual(await text.locator("ol li").allTextContents(), ["first", "second"]);
    assert.deepEqual(await text.locator("em").allTextContents(), ["emphasis"]);
    assert.deepEqual(await text.locator("strong").allTextContents(), ["strong"]);
    assert.deepEqual(await text.locator("p code").allTextContents(), ["<i>code</i>"]);
    assert.equal(await text.locator("pre code").textContent(), "for i in range(3):\n    print('<script>')");
    assert.equal(await text.locator("img, script, style, b, i, iframe, a").count(), 0, "no markup from the statement");
    await expectText(page, "#statement-text", /<img src=x onerror="window.__pwned = 1">/);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
  },

  // A service without exercises: no picker, no Test, no statement; an
  // exercise in the address is dropped, and Ctrl+Shift+Enter runs as before.
  async exercise_none({ page, front }) {
    assert.deepEqual(await (await fetch(`${front.url}/api/exercises`)).json(), { exercises: [] });
    await page.goto("about:blank");
    const listed = page.waitForResponse((r) => r.url().endsWith("/api/exercises"));
    await page.goto(`${front.url}/#exercise=sum-two`);
    await listed;
    await until("the exercise to leave the address", () => page.url() === `${front.url}/`);
    for (const id of ["#exercise-pick", "#test", "#statement-pane", "#grade-pane", "#test-hint"]) {
      assert.equal(await page.locator(id).isHidden(), true, `${id} is hidden`);
    }
    await setCode(page, 'print("plain")\n');
    await page.keyboard.press("Control+Shift+Enter");
    await expectOutcome(page, "ok", /Finished/);
    assert.equal(await stdoutOf(page), "plain\n");
  },

  // Testing's failures are said like Run's: the rate limit, no backend, no service.
  async exercise_errors({ page, backends, front }) {
    await page.locator("#exercise").selectOption("sum-two");
    await page.locator("#test").waitFor();
    await until("a test to be refused by the rate limit", async () => {
      await page.locator("#test").click();
      await until("the test to end", async () =>
        (await page.locator("#status").getAttribute("data-state")) !== "testing");
      return (await page.locator("#status").getAttribute("data-state")) === "rate_limited";
    });
    await expectText(page, "#status", /^Too many requests in a short time: wait \d+ s, then test again\.$/);
    await expectText(page, "#grade-summary", /^No score: the cases could not be run/);
    assert.equal(await page.locator("#grade-table").isHidden(), true);

    await Promise.all([backends.gke.stop(), backends.aks.stop()]);
    await until("a test to reach the frontend past the rate limit", async () => {
      await page.locator("#test").click();
      await until("the test to end", async () =>
        (await page.locator("#status").getAttribute("data-state")) !== "testing");
      return (await page.locator("#status").getAttribute("data-state")) === "unavailable";
    });
    await expectText(page, "#status", /^The Playground service is (unavailable|busy)/);
    assert.equal(await page.locator("#status").getAttribute("class"), "status error");

    await front.stop();
    await page.locator("#test").click();
    await until("the test to end", async () =>
      (await page.locator("#status").getAttribute("data-state")) === "unreachable");
    await expectText(page, "#status", /^Cannot reach the Playground service: check your connection, then test again\.$/);
    assert.equal(await page.locator("#test").getAttribute("aria-disabled"), null, "Test is enabled again");
  },
};

// How each case's stack and browser differ from the default.
const SETUP = {
  timeout: { backend: ["--wall", "1s", "--max-wall", "2s"] },
  limits: { backend: ["--memory", "64M", "--output", "64K"] },
  rate_limit: { frontend: ["--rate-limit", "1", "--rate-burst", "1"], console: /status of 429/ },
  service_down: { console: /Failed to load resource/ },
  backends_private: {
    get backend() { return ["--token-file", tokenFile()]; },
    get frontend() { return ["--token-file", tokenFile()]; },
    token: "browser-test-token",
    console: /status of 401/,
  },
  exercise_picker: { exercises: true },
  exercise_test_results: { exercises: true },
  exercise_keyboard: { exercises: true },
  exercise_phone: {
    exercises: true,
    context: { viewport: { width: 375, height: 740 }, colorScheme: "dark", isMobile: true, hasTouch: true },
  },
  exercise_markdown: { get frontend() { return ["--exercises", markupExercises()]; } },
  exercise_errors: {
    exercises: true,
    frontend: ["--rate-limit", "1", "--rate-burst", "1"],
    console: /Failed to load resource/,
  },
  phone_dark: { context: { viewport: { width: 390, height: 844 }, colorScheme: "dark", isMobile: true, hasTouch: true } },
};

// --- Running one case --------------------------------------------------------

async function waitHealthy(front, count, token) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  await until(`${count} healthy backends`, async () => {
    const response = await fetch(`${front.url}/api/backends`, { headers });
    return (await response.json()).healthy === count;
  });
}

// The shared token of the backends_private case, in a file of its own.
let tokenPath = null;
function tokenFile() {
  if (!tokenPath) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "pg-browser-token-"));
    tokenPath = path.join(dir, "token");
    writeFileSync(tokenPath, "browser-test-token\n", { mode: 0o600 });
  }
  return tokenPath;
}

async function main(name) {
  const test = CASES[name];
  if (!test) {
    console.error(`unknown case "${name}"; cases: ${Object.keys(CASES).join(", ")}`);
    return 2;
  }
  if (!existsSync(env.chromium)) {
    console.error(`${env.chromium} not found: scripts/install-deps.sh installs Debian's chromium`);
    return 1;
  }
  const { chromium } = createRequire(path.join(env.ui, "package.json"))("playwright-core");
  const setup = SETUP[name] || {};
  const started = Date.now();
  const stack = new Stack(env.bin);
  const problems = [];
  let browser = null;
  let page = null;
  const shot = async (file) => {
    mkdirSync(env.shots, { recursive: true });
    await page.screenshot({ path: path.join(env.shots, `${file}.png`), fullPage: true });
  };
  const stopEverything = async () => {
    await browser?.close().catch(() => {});
    await stack.stopAll();
  };
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => stopEverything().finally(() => process.exit(1)));
  }
  try {
    const gke = await stack.start("playground-backend", setup.backend);
    const aks = await stack.start("playground-backend", setup.backend);
    const front = await stack.start("playground-frontend",
      ["--backends", `gke=${gke.url},aks=${aks.url}`, "--rate-limit", "0",
        ...(setup.exercises ? ["--exercises", env.exercises] : []), ...(setup.frontend || [])]);
    await waitHealthy(front, 2, setup.token);

    browser = await chromium.launch({
      executablePath: env.chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...setup.context });
    context.setDefaultTimeout(WAIT_MS);
    // CSP violations are reported to the page; collect them before its scripts run.
    await context.addInitScript(() => {
      window.__csp = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));
    });
    page = await context.newPage();
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" && !(setup.console && setup.console.test(m.text()))) {
        problems.push(`console error: ${m.text()}`);
      }
    });
    await page.goto(`${front.url}/`);
    await page.locator("#code .cm-content").waitFor();

    await test({ page, context, front, backends: { gke, aks }, stack, shot });

    problems.push(...(await page.evaluate(() => window.__csp)).map((v) => `CSP violation: ${v}`));
    assert.deepEqual(problems, [], "no console error, page error or CSP violation");
    await shot(name);
    console.log(`browser.${name}: passed in ${Date.now() - started} ms; screenshot ${path.join(env.shots, name + ".png")}`);
    return 0;
  } catch (error) {
    console.error(`browser.${name}: FAILED after ${Date.now() - started} ms`);
    console.error(error);
    if (problems.length) console.error(`also seen:\n  ${problems.join("\n  ")}`);
    if (page) await shot(name).then(() => console.error(`screenshot of the failure: ${name}.png`), () => {});
    console.error(stack.logs());
    return 1;
  } finally {
    await stopEverything();
  }
}

process.exit(await main(process.argv[2]));
