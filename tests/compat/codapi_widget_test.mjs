// Codapi's widget, the real one (@antonz/codapi from npm, pinned by
// package-lock.json), against our frontend: a test page on another origin
// (its own small server on 127.0.0.1), so every request is a real
// cross-origin one with its CORS preflight, loads dist/snippet.js and points
// <codapi-settings url> at the frontend's /v1. Debian's headless Chromium,
// driven by playwright-core, clicks Run and reads what the widget shows.
//   node tests/compat/codapi_widget_test.mjs            # every case
//   node tests/compat/codapi_widget_test.mjs run_shows_output
// A case fails on any console error, page error or failed request it did
// not expect (a CORS refusal is all three). Every process it started is
// stopped at the end, whatever happened.
// Environment: PLAYGROUND_BIN_DIR, PLAYGROUND_UI_DIR (where npm installed
// playwright-core), PLAYGROUND_SCREENSHOT_DIR, CHROMIUM.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { browserEnv, until as poll } from "../browser/harness.mjs";
import { Stack } from "../browser/stack.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const env = {
  ...browserEnv,
  widget: path.join(here, "node_modules/@antonz/codapi/dist"),
};
const WAIT_MS = 15000;

// Polls check() until it returns a truthy value (see ../browser/harness.mjs).
function until(what, check, timeout = WAIT_MS) {
  return poll(what, check, timeout);
}

// --- The test page's site -------------------------------------------------------

const escapeHtml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

// One <pre> block per snippet, each followed by its <codapi-snippet>, as the
// widget's README shows.
function pageHtml(apiUrl, snippets) {
  const blocks = snippets.map(({ id, code, sandbox = "python" }) => `
<pre><code>${escapeHtml(code)}</code></pre>
<codapi-snippet id="${id}" sandbox="${sandbox}" editor="basic"></codapi-snippet>`).join("\n");
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Codapi widget test</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/snippet.css"></head>
<body>
<codapi-settings url="${apiUrl}"></codapi-settings>
${blocks}
<script src="/snippet.js"></script>
</body>
</html>`;
}

// Serves the page at / (html(), once the API's address is known) and the
// widget's files, on a port of its own: the page's origin is not the API's.
async function startSite(html) {
  const files = {
    "/snippet.js": ["text/javascript", readFileSync(path.join(env.widget, "snippet.js"))],
    "/snippet.css": ["text/css", readFileSync(path.join(env.widget, "snippet.css"))],
  };
  const server = http.createServer((req, res) => {
    const file = req.url === "/" ? ["text/html; charset=utf-8", html()] : files[req.url];
    res.writeHead(file ? 200 : 404, { "content-type": file ? file[0] : "text/plain" });
    res.end(file ? file[1] : "not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { server, origin, url: `${origin}/` };
}

// --- What the widget shows ---------------------------------------------------------

async function run(page, id) {
  await page.locator(`#${id} codapi-toolbar button`).click();
}

// The run has ended as `state` ("succeded", the widget's spelling, or
// "failed"); the status line and the output as shown.
async function finished(page, id, state) {
  const snippet = page.locator(`#${id}`);
  await until(`#${id} to end ${state}`, async () => (await snippet.getAttribute("state")) === state).catch(async (e) => {
    throw new Error(`${e.message}\n  state: ${await snippet.getAttribute("state")}` +
      `\n  status: ${await snippet.locator("codapi-status").textContent()}`);
  });
  return {
    status: (await snippet.locator("codapi-status").innerText()).trim(),
    output: await snippet.locator("codapi-output pre > code").textContent(),
    outputShown: await snippet.locator("codapi-output").isVisible(),
  };
}

// The browser really asked first: the frontend logged a preflight.
function sawPreflight(front) {
  return /"method":"OPTIONS","path":"\/v1\/exec","status":200/.test(front.output);
}

// --- Cases ---------------------------------------------------------------------------

const CASES = {
  // Run shows the program's output; the basic editor's edit and Ctrl+Enter
  // run again.
  run_shows_output: {
    snippets: [{ id: "hello", code: 'print("hello from the widget")\nprint(6 * 7)' }],
    async test({ page, front }) {
      await run(page, "hello");
      let shown = await finished(page, "hello", "succeded");
      assert.match(shown.status, /^✓ Done/);
      assert.equal(shown.output, "hello from the widget\n42");
      assert.ok(shown.outputShown, "the output is shown");
      assert.ok(sawPreflight(front), `a preflight reached the frontend:\n${front.output}`);

      const code = page.locator("pre code").first();
      await code.click();
      await page.keyboard.press("Control+A");
      await page.keyboard.insertText("print(sum(range(10)))");
      await page.keyboard.press("Control+Enter");
      await until("the edited program's output", async () =>
        (await page.locator("#hello codapi-output pre > code").textContent()) === "45");
      shown = await finished(page, "hello", "succeded");
      assert.match(shown.status, /^✓ Done/);
    },
  },

  // A program that raises: the widget's failure, with the traceback and
  // Codapi's exit status; a timeout the same way with Codapi's message.
  failure_shows_failed: {
    backend: ["--wall", "1s", "--max-wall", "1s"],
    snippets: [
      { id: "raises", code: 'print("about to fail")\nraise ValueError("boom")' },
      { id: "sleeps", code: "import time\ntime.sleep(5)" },
    ],
    async test({ page }) {
      await run(page, "raises");
      let shown = await finished(page, "raises", "failed");
      assert.equal(shown.status, "✘ Failed");
      assert.match(shown.output, /^about to failTraceback \(most recent call last\):/);
      assert.match(shown.output, /ValueError: boom \(exit status 1\)$/);

      await run(page, "sleeps");
      shown = await finished(page, "sleeps", "failed");
      assert.equal(shown.status, "✘ Failed");
      assert.equal(shown.output, "code execution timeout");
    },
  },

  // A 404 answer the browser may read (CORS on errors too): the widget's
  // own words for it, not "request failed".
  unknown_sandbox: {
    snippets: [{ id: "ruby", code: "puts 1", sandbox: "ruby" }],
    console: /status of 404/,
    async test({ page }) {
      await run(page, "ruby");
      const shown = await finished(page, "ruby", "failed");
      assert.equal(shown.status, "✘ Failed");
      assert.equal(shown.output, "404 - Unknown sandbox or command.");
    },
  },

  // The frontend allows only the page's origin (--cors-origin): the browser
  // reads the answers all the same.
  named_origin: {
    frontend: (site) => ["--cors-origin", site.origin],
    snippets: [{ id: "named", code: "print('allowed by name')" }],
    async test({ page, site }) {
      const answer = page.waitForResponse((r) => r.url().endsWith("/v1/exec"));
      await run(page, "named");
      const headers = (await answer).headers();
      assert.equal(headers["access-control-allow-origin"], site.origin);
      assert.equal(headers.vary, "Origin");
      const shown = await finished(page, "named", "succeded");
      assert.equal(shown.output, "allowed by name");
    },
  },

  // Two runs where there is room for one: the second is told busy (429,
  // readable cross-origin), in the widget's words.
  busy: {
    backend: ["--concurrency", "1", "--queue", "0"],
    snippets: [
      { id: "first", code: "import time\ntime.sleep(2)\nprint('first')" },
      { id: "second", code: "print('second')" },
    ],
    console: /status of 429/,
    async test({ page }) {
      await run(page, "first");
      await until("the first run to start", async () =>
        (await page.locator("#first").getAttribute("state")) === "running");
      await new Promise((r) => setTimeout(r, 300));
      await run(page, "second");
      const second = await finished(page, "second", "failed");
      assert.equal(second.output, "429 - Too many requests. Try again in a few seconds.");
      const first = await finished(page, "first", "succeded");
      assert.equal(first.output, "first");
    },
  },
};

// --- One case: its services, its page, the browser ------------------------------

async function runCase(name, chromium) {
  const test = CASES[name];
  const started = Date.now();
  const stack = new Stack(env.bin);
  const problems = [];
  let browser = null;
  let page = null;
  let site = null;
  const stopEverything = async () => {
    await browser?.close().catch(() => {});
    site?.server.close();
    await stack.stopAll();
  };
  try {
    let front = null;
    site = await startSite(() => pageHtml(`${front.url}/v1`, test.snippets));
    const backend = await stack.start("playground-backend", test.backend || []);
    front = await stack.start("playground-frontend",
      ["--backends", `a=${backend.url}`, "--rate-limit", "0", "--runs-per-client", "4",
        ...(test.frontend ? test.frontend(site) : ["--cors-origin", "*"])]);
    await until("the frontend's health", async () => (await fetch(`${front.url}/v1/health`, { method: "HEAD" })).ok);

    browser = await chromium.launch({
      executablePath: env.chromium,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
    });
    const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
    context.setDefaultTimeout(WAIT_MS);
    page = await context.newPage();
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" && !(test.console && test.console.test(m.text()))) {
        problems.push(`console error: ${m.text()}`);
      }
    });
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
    await page.goto(site.url);
    await page.locator("codapi-snippet codapi-toolbar button").first().waitFor();

    await test.test({ page, front, site });

    assert.deepEqual(problems, [], "no console error, page error or failed request");
    mkdirSync(env.shots, { recursive: true });
    await page.screenshot({ path: path.join(env.shots, `codapi_widget_${name}.png`), fullPage: true });
    console.log(`compat.codapi_widget ${name}: passed in ${Date.now() - started} ms`);
    return true;
  } catch (error) {
    console.error(`compat.codapi_widget ${name}: FAILED after ${Date.now() - started} ms`);
    console.error(error);
    if (problems.length) console.error(`also seen:\n  ${problems.join("\n  ")}`);
    if (page) {
      mkdirSync(env.shots, { recursive: true });
      await page.screenshot({ path: path.join(env.shots, `codapi_widget_${name}.png`), fullPage: true }).catch(() => {});
    }
    console.error(stack.logs());
    return false;
  } finally {
    await stopEverything();
  }
}

async function main(names) {
  for (const name of names) {
    if (!CASES[name]) {
      console.error(`unknown case "${name}"; cases: ${Object.keys(CASES).join(", ")}`);
      return 2;
    }
  }
  for (const [what, where] of [["Chromium", env.chromium], ["the widget", env.widget]]) {
    if (!existsSync(where)) {
      console.error(`${what} not found at ${where} (scripts/install-deps.sh; tests/compat/setup.sh)`);
      return 1;
    }
  }
  const { chromium } = createRequire(path.join(env.ui, "package.json"))("playwright-core");
  let failed = 0;
  for (const name of names.length ? names : Object.keys(CASES)) {
    if (!(await runCase(name, chromium))) failed++;
  }
  return failed ? 1 : 0;
}

process.exit(await main(process.argv.slice(2)));
