// Testing code against an exercise: POST /api/exercises/<id>/grade, and what
// its answer means. Like runCode (run.js), every outcome, a network failure
// too, becomes an Outcome with a sentence; result is the grading's JSON
// ({tests, passed, total, score, max_score}) when it happened, else null.
//
//   const outcome = await gradeCode({id, code});

import { failure, parseJson, refusal } from "./run.js";

// Every case runs on the backend one after another: more than one run's time.
const CLIENT_DEADLINE_MS = 120000;

export async function gradeCode({ id, code }) {
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), CLIENT_DEADLINE_MS);
  try {
    const response = await fetch(`/api/exercises/${encodeURIComponent(id)}/grade`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code }),
      signal: controller.signal,
    });
    return interpretGrade(response.status, response.headers, await response.text());
  } catch {
    if (controller.signal.aborted) {
      return failure("no_answer", `No answer from the Playground service within ${CLIENT_DEADLINE_MS / 1000} s. Test again in a moment.`);
    }
    return failure("unreachable", "Cannot reach the Playground service: check your connection, then test again.");
  } finally {
    clearTimeout(deadline);
  }
}

export function interpretGrade(status, headers, text) {
  const body = parseJson(text);
  const backend = headers.get("X-Playground-Backend");
  if (status !== 200) {
    return refusal(status, headers, body, backend, { what: "requests", again: "test again" });
  }
  if (!body || !Array.isArray(body.tests) || typeof body.score !== "number") {
    return failure("bad_answer", "The Playground service sent an answer this page cannot read.", backend);
  }
  const all = body.passed === body.total;
  return {
    kind: all ? "ok" : "error",
    state: "graded",
    // The score itself is in the results' summary, announced there.
    message: all
      ? `Tested: all ${body.total} cases passed.`
      : `Tested: ${body.total - body.passed} of ${body.total} cases failed; see each case below.`,
    result: body,
    backend,
  };
}
