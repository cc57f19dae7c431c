// Piston v2 compatibility with Piston's real npm client, piston-client
// 1.0.2, unchanged: it posts JSON as text/plain and asks for the latest
// version of the language it finds in /api/v2/runtimes. Run against a real
// backend alone and against a real frontend in front of it; each case runs
// against both.
//   node tests/compat/piston_test.mjs        (PLAYGROUND_BIN_DIR: the programs)
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import piston from "piston-client";
import { Stack } from "../browser/stack.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = process.env.PLAYGROUND_BIN_DIR || path.resolve(here, "../../build/release/bin");
// The sandbox runs Debian's interpreter; Piston's runtimes must say its version.
const pythonVersion = execFileSync("/usr/bin/python3", ["-c", "import platform; print(platform.python_version())"])
  .toString().trim();

async function post(base, route, body, headers = { "content-type": "application/json" }) {
  const res = await fetch(base + route, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

const program = (content, extra = {}) => ({ language: "python", version: "*", files: [{ content }], ...extra });

const cases = {
  async runtimes_name_the_real_interpreter(url) {
    const runtimes = await piston({ server: url }).runtimes();
    assert.deepEqual(runtimes, [{ language: "python", version: pythonVersion, aliases: ["py", "py3", "python3"] }]);
  },

  async client_execute_with_stdin_and_args(url) {
    const result = await piston({ server: url }).execute("python",
      "import sys\nname = input()\nprint(f'hello {name}', sys.argv[1:])\nprint('to stderr', file=sys.stderr)",
      { stdin: "Ada", args: ["--x", "two words"] });
    assert.equal(result.language, "python");
    assert.equal(result.version, pythonVersion);
    assert.equal(result.run.stdout, "hello Ada ['--x', 'two words']\n");
    assert.equal(result.run.stderr, "to stderr\n");
    assert.equal(result.run.output, result.run.stdout + result.run.stderr);
    assert.equal(result.run.code, 0);
    assert.equal(result.run.signal, null);
    assert.equal(result.run.status, null);
    assert.ok(result.run.wall_time >= 0 && result.run.cpu_time > 0, JSON.stringify(result.run));
    assert.ok(result.run.memory > 1_000_000, "memory is in bytes");
  },

  async client_default_args_and_alias(url) {
    // Without args the client sends ["1", "2", "3"]; "py3" is an alias.
    const result = await piston({ server: url }).execute({ language: "python", files: [{ content: "import sys; print(sys.argv[1:])" }] });
    assert.equal(result.run.stdout, "['1', '2', '3']\n");
    const viaAlias = await post(url, "/api/v2/execute", { ...program("print(2)"), language: "py3", version: "3.x" });
    assert.equal(viaAlias.status, 200);
    assert.equal(viaAlias.body.language, "python");
  },

  async client_files_beside_the_program(url) {
    const result = await piston({ server: url }).execute("python", {
      files: [
        { name: "main.py", content: "import helper\nprint(helper.GREETING, open('data.txt', 'rb').read())" },
        { name: "helper.py", content: "GREETING = 'hi'" },
        { name: "data.txt", content: Buffer.from([0, 1, 255]).toString("base64"), encoding: "base64" },
      ],
    });
    assert.equal(result.run.stdout, "hi b'\\x00\\x01\\xff'\n");
    assert.equal(result.run.code, 0);
  },

  async runtime_error_is_RE_with_the_traceback(url) {
    const { run } = await piston({ server: url }).execute("python", "def f():\n    1 / 0\nf()");
    assert.equal(run.status, "RE");
    assert.equal(run.code, 1);
    assert.equal(run.message, "Exited with error status 1");
    assert.match(run.stderr, /File "\/tmp\/main.py", line 2, in f\n.*ZeroDivisionError: division by zero\n$/s);
  },

  async timeout_is_TO(url) {
    const { run } = await piston({ server: url }).execute("python", "while True: pass", { runTimeout: 300 });
    assert.equal(run.status, "TO");
    assert.equal(run.signal, "SIGKILL");
    assert.equal(run.code, null);
    assert.ok(run.wall_time >= 300 && run.wall_time < 2000, `wall_time ${run.wall_time}`);
  },

  async signal_is_SG(url) {
    const { run } = await piston({ server: url }).execute("python", "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)");
    assert.equal(run.status, "SG");
    assert.equal(run.signal, "SIGSEGV");
    assert.equal(run.message, "Caught fatal signal 11");
    assert.equal(run.code, null);
  },

  async output_flood_is_OL(url) {
    const { run } = await piston({ server: url }).execute("python", "while True: print('x' * 1000)", { runTimeout: 3000 });
    assert.equal(run.status, "OL");
    assert.equal(run.signal, "SIGKILL");
  },

  async the_public_instances_paths(url) {
    const runtimes = await (await fetch(url + "/api/v2/piston/runtimes")).json();
    assert.equal(runtimes[0].version, pythonVersion);
    const { status, body } = await post(url, "/api/v2/piston/execute", program("print(6 * 7)"));
    assert.equal(status, 200);
    assert.equal(body.run.stdout, "42\n");
  },

  async any_content_type_carrying_json(url) {
    for (const headers of [{}, { "content-type": "text/plain" }, { "content-type": "application/json; charset=utf-8" }]) {
      const { status, body } = await post(url, "/api/v2/execute", program("print('ok')"), headers);
      assert.equal(status, 200, JSON.stringify(headers));
      assert.equal(body.run.stdout, "ok\n");
    }
  },

  async errors_as_piston_words_them(url) {
    const expect = async (request, message) => {
      const { status, body } = await post(url, "/api/v2/execute", request);
      assert.equal(status, 400, message);
      assert.deepEqual(body, { message });
    };
    await expect(program("x", { language: "python", version: "2.7" }), "python-2.7 runtime is unknown");
    await expect(program("x", { language: "javascript" }), "javascript-* runtime is unknown");
    await expect({ version: "3" }, "language is required as a string");
    await expect({ language: "python" }, "version is required as a string");
    await expect({ language: "python", version: "3", files: "x" }, "files is required as an array");
    await expect({ language: "python", version: "3", files: [{ name: "a.py" }] }, "files[0].content is required as a string");
    await expect(program("x", { run_timeout: "fast" }), "If specified, run_timeout must be a number");
    // The client's own answer for a language no runtime has: no version to ask for.
    const unknown = await piston({ server: url }).execute("cobol", "x");
    assert.deepEqual(unknown, { message: "version is required as a string" });
    const notJson = await post(url, "/api/v2/execute", "{nope", { "content-type": "application/json" });
    assert.equal(notJson.status, 400);
    assert.match(notJson.body.message, /not valid JSON.*line 1, column 2/);
  },
};

const stack = new Stack(bin);
let failed = 0;
try {
  const backend = await stack.start("playground-backend", ["--wall", "2s", "--output", "64K"]);
  const frontend = await stack.start("playground-frontend", ["--backends", `gke=${backend.url}`, "--rate-limit", "0", "--health-interval", "100ms"]);
  // The frontend knows the Python version from its first health check.
  for (let i = 0; i < 100 && (await fetch(frontend.url + "/api/v2/runtimes")).status !== 200; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const [name, run] of Object.entries(cases)) {
    for (const [where, service] of [["backend", backend], ["frontend", frontend]]) {
      try {
        await run(service.url);
        console.log(`ok   ${name} (${where})`);
      } catch (e) {
        failed++;
        console.log(`FAIL ${name} (${where}): ${e.stack}`);
      }
    }
  }
  // A client over its share of runs gets Piston's shape with 429, and a
  // backend with a token refuses requests without it.
  const tight = await stack.start("playground-frontend", ["--backends", `gke=${backend.url}`, "--rate-limit", "0",
    "--runs-per-client", "1", "--waiting-per-client", "0"]);
  const tokenDir = mkdtempSync(path.join(os.tmpdir(), "piston-test-"));
  const tokenFile = path.join(tokenDir, "token");
  writeFileSync(tokenFile, "s3cret-token-for-the-test\n", { mode: 0o600 });
  const guarded = await stack.start("playground-backend", ["--token-file", tokenFile]);
  rmSync(tokenDir, { recursive: true });  // read at start
  try {
    const sleeper = post(tight.url, "/api/v2/execute", program("import time; time.sleep(1); print('slept')"));
    await new Promise((r) => setTimeout(r, 300));
    const refused = await post(tight.url, "/api/v2/execute", program("print(1)"));
    assert.equal(refused.status, 429);
    assert.match(refused.body.message, /Too many runs from this address/);
    assert.equal((await sleeper).body.run.stdout, "slept\n");
    const noToken = await fetch(guarded.url + "/api/v2/runtimes");
    assert.equal(noToken.status, 401);
    const withToken = await fetch(guarded.url + "/api/v2/runtimes", { headers: { authorization: "Bearer s3cret-token-for-the-test" } });
    assert.equal(withToken.status, 200);
    console.log("ok   over_the_share_is_429_and_the_token_is_required");
  } catch (e) {
    failed++;
    console.log(`FAIL over_the_share_is_429_and_the_token_is_required: ${e.stack}`);
  }
  if (failed) console.log(stack.logs().slice(-6000));
} finally {
  await stack.stopAll();
}
console.log(failed ? `${failed} failed` : "all passed");
process.exit(failed ? 1 : 0);
