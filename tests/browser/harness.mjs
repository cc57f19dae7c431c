// What the browser tests (tests/browser, tests/compat) share: where the
// programs, the UI's npm packages, Chromium and the screenshots are, and
// polling for what a page does in its own time.
//
//   const { bin, chromium } = browserEnv;
//   await until("the status to say Done", async () => (await status()) === "Done", 10000);

import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// From the environment CTest sets, else the default build's places.
export const browserEnv = {
  bin: process.env.PLAYGROUND_BIN_DIR || path.join(repo, "build/release/bin"),
  shots: process.env.PLAYGROUND_SCREENSHOT_DIR || path.join(repo, "build/release/screenshots"),
  ui: process.env.PLAYGROUND_UI_DIR || path.join(repo, "ui"), // playwright-core
  chromium: process.env.CHROMIUM || "/usr/bin/chromium",
};

// Polls check() every 50 ms until it returns a truthy value (returned) or
// `timeout` ms pass; the error then says what was awaited and what the
// last check gave (its value, or its exception's message).
export async function until(what, check, timeout) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
