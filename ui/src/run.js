// Running a snippet: POST /python, and what its answer means to a person.
// Every outcome, including a network failure, becomes an Outcome with a
// sentence to show: nothing fails silently.
//
//   const outcome = await runCode({code, stdin});
//   outcome.kind     // "ok" | "warn" | "error": how the status line looks
//   outcome.state    // the run's status ("ok", "timeout", ...) or the failure ("rate_limited", ...)
//   outcome.message  // the sentence
//   outcome.result   // the backend's JSON for a run that happened, else null
//   outcome.backend  // X-Playground-Backend, when a backend answered

// Above the frontend's upstream timeout (30 s): the service answers first.
const CLIENT_DEADLINE_MS = 60000;

const RUN_MESSAGES = {
  timeout: ["error", "Time limit reached: the program ran too long and was stopped."],
  memory_limit: ["error", "Memory limit reached: the program used too much memory and was stopped."],
  output_limit: ["warn", "Output limit reached: the program printed too much and was stopped."],
};

export async function runCode({ code, stdin }) {
  const answer = await postJson("/python", { code, stdin }, { deadlineMs: CLIENT_DEADLINE_MS, again: "run again" });
  return answer.outcome ?? interpret(answer.status, answer.headers, answer.text);
}

// POSTs `body` as JSON to `path`. The answer ({status, headers, text}), or
// {outcome} when none came: the deadline passed or the service was out of
// reach, worded for a person ("... then <again>").
export async function postJson(path, body, { deadlineMs, again }) {
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), deadlineMs);
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch {
    const Again = again[0].toUpperCase() + again.slice(1);
    if (controller.signal.aborted) {
      return { outcome: failure("no_answer", `No answer from the Playground service within ${deadlineMs / 1000} s. ${Again} in a moment.`) };
    }
    return { outcome: failure("unreachable", `Cannot reach the Playground service: check your connection, then ${again}.`) };
  } finally {
    clearTimeout(deadline);
  }
}

export function failure(state, message, backend = null) {
  return { kind: "error", state, message, result: null, backend };
}

export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function retryAfter(headers) {
  const value = (headers.get("Retry-After") || "").trim();
  return /^\d+$/.test(value) ? Number(value) : null;
}

// What an answer of the frontend means (see README, "POST /python").
export function interpret(status, headers, text) {
  const body = parseJson(text);
  const backend = headers.get("X-Playground-Backend");
  if (status === 200) {
    if (!body || typeof body !== "object" || typeof body.status !== "string") {
      return failure("bad_answer", "The Playground service sent an answer this page cannot read.", backend);
    }
    return { ...describeRun(body), result: body, backend };
  }
  return refusal(status, headers, body, backend);
}

// What an error answer (not 200) means; the grading of an exercise shares
// these sentences, with its own words for what is tried again.
export function refusal(status, headers, body, backend, { what = "runs", again = "run again" } = {}) {
  const detail = body && typeof body.error === "string" ? body.error : "";
  const wait = retryAfter(headers);
  switch (status) {
    case 429:
      return failure("rate_limited",
        `Too many ${what} in a short time: wait ${wait ?? "a few"} s, then ${again}.`);
    case 502:
    case 504:
      return failure("unavailable",
        "The Playground service is unavailable: no backend could be reached. Try again in a moment.", backend);
    case 503:
      return failure("unavailable",
        `The Playground service is busy: every backend is full or down. Try again in ${wait ?? "a few"} s.`, backend);
    case 413:
      return failure("too_large", "The code and stdin are too large to send (over the request limit).");
    case 400:
    case 415:
      return failure("refused", `The service refused the request: ${detail || "HTTP " + status}.`);
    default:
      return failure("http_error",
        `Unexpected answer from the Playground service (HTTP ${status}${detail ? ": " + detail : ""}).`, backend);
  }
}

function describeRun(result) {
  if (result.status === "ok") {
    return { kind: "ok", state: "ok", message: "Finished: the program exited normally (exit code 0)." };
  }
  if (RUN_MESSAGES[result.status]) {
    const [kind, message] = RUN_MESSAGES[result.status];
    return { kind, state: result.status, message };
  }
  if (result.status === "error") {
    const message = /^Traceback \(most recent call last\):/m.test(result.stderr || "")
      ? `The program raised an exception (exit code ${result.exit_code}): see the traceback under stderr.`
      : `The program exited with code ${result.exit_code}.`;
    return { kind: "error", state: "error", message };
  }
  if (result.status === "killed") {
    return { kind: "error", state: "killed", message: `The program was killed (signal ${-result.exit_code}).` };
  }
  return { kind: "error", state: result.status, message: `The program ended with status "${result.status}".` };
}

// The line of main.py where the last traceback frame points, or null. The
// program runs as /tmp/main.py (older backends said "main.py").
export function errorLine(stderr) {
  const frames = [...(stderr || "").matchAll(/File "(?:\/tmp\/)?main\.py", line (\d+)/g)];
  return frames.length ? Number(frames[frames.length - 1][1]) : null;
}

export function formatMs(ms) {
  if (typeof ms !== "number") return "—";
  return ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatKb(kb) {
  if (typeof kb !== "number") return "—";
  return kb < 1024 ? `${kb} KiB` : `${(kb / 1024).toFixed(1)} MiB`;
}
