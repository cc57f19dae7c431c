// The real programs for a browser test: playground-backend(s) and
// playground-frontend on free loopback ports, each stopped by stopAll() and,
// should this process die first, by the kernel (setpriv --pdeathsig KILL).
//
//   const stack = new Stack(binDir);
//   const gke = await stack.start("playground-backend", ["--wall", "1s"]);
//   const front = await stack.start("playground-frontend", ["--backends", `gke=${gke.url}`]);
//   ...
//   await stack.stopAll();

import { spawn } from "node:child_process";

const START_TIMEOUT_MS = 20000;
const STOP_GRACE_MS = 10000;
const LOG_KEEP_CHARS = 20000;

export class Service {
  constructor(name, child) {
    this.name = name;
    this.child = child;
    this.port = null;
    this.output = "";
    this.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
    this.running = true;
    this.exited.then(() => (this.running = false));
    // Always drained, so a chatty service never blocks on a full pipe.
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      this.output = (this.output + chunk).slice(-LOG_KEEP_CHARS);
    });
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  // Resolves once the "listening" log line names the port the kernel picked.
  async ready() {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const m = this.output.match(/"msg":"listening".*"port":(\d+)/);
      if (m) {
        this.port = Number(m[1]);
        return this;
      }
      if (!this.running) break;
      await Promise.race([this.exited, new Promise((r) => setTimeout(r, 50))]);
    }
    throw new Error(`${this.name} did not start listening:\n${this.output}`);
  }

  // SIGTERM (a clean drain), then SIGKILL after the grace time. Returns the exit.
  async stop() {
    if (this.running) {
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), STOP_GRACE_MS);
      await this.exited;
      clearTimeout(timer);
    }
    return this.exited;
  }
}

export class Stack {
  constructor(binDir) {
    this.binDir = binDir;
    this.services = [];
  }

  async start(program, args = []) {
    const child = spawn("/usr/bin/setpriv",
      ["--pdeathsig", "KILL", `${this.binDir}/${program}`, "--port", "0", "--bind", "127.0.0.1", ...args],
      { stdio: ["ignore", "ignore", "pipe"] });
    const service = new Service(program, child);
    this.services.push(service);
    return service.ready();
  }

  // Every service's recent log, for a failure's report.
  logs() {
    return this.services.map((s) => `--- ${s.name} :${s.port} ---\n${s.output}`).join("\n");
  }

  async stopAll() {
    await Promise.all(this.services.map((s) => s.stop()));
  }
}
