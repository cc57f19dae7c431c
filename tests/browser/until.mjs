// Polling for the browser tests (tests/browser, tests/compat): waits for
// what a page does in its own time.
//
//   await until("the status to say Done", async () => (await status()) === "Done");

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
