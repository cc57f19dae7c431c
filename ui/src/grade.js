// Testing code against an exercise: POST /api/exercises/<id>/grade, and what
// its answer means. Like runCode (run.js), every outcome, a network failure
// too, becomes an Outcome with a sentence; result is the grading's JSON
// ({tests, passed, total, score, max_score}) when it happened, else null.
//
//   const outcome = await gradeCode({id, code});

import { failure, parseJson, postJson, refusal } from "./run.js";

// Every case runs on the backend one after another: more than one run's time.
const CLIENT_DEADLINE_MS = 120000;

export async function gradeCode({ id, code }) {
  const answer = await postJson(`/api/exercises/${encodeURIComponent(id)}/grade`, { code },
    { deadlineMs: CLIENT_DEADLINE_MS, again: "test again" });
  return answer.outcome ?? interpretGrade(answer.status, answer.headers, answer.text);
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
