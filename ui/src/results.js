// The test results: one row per case (name, verdict, points, time), the
// first difference and stderr under a failed visible case, and the score.
// Verdicts are words with a ✓ or ✗, not colour alone. A hidden case shows
// its verdict only: the service sends nothing more about it.
//
//   const results = createResults({summary, table, body});
//   results.show(gradeJson);  results.clear("Not tested yet.");

import { formatMs } from "./run.js";

const VERDICTS = {
  passed: "Passed",
  wrong_answer: "Wrong answer",
  error: "Error",
  timeout: "Time limit",
  memory_limit: "Memory limit",
  output_limit: "Output limit",
};

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function verdictText(t) {
  let text = VERDICTS[t.verdict] || String(t.verdict);
  if (t.verdict === "error" && typeof t.exit_code === "number") text += ` (exit code ${t.exit_code})`;
  return text;
}

// A line of the output as shown; null means the output had already ended.
function lineOf(value) {
  return value === null || value === undefined
    ? el("em", null, "(output ended)")
    : el("code", null, value === "" ? "(empty line)" : value);
}

// What went wrong in a visible case, or null when there is nothing to add.
function details(t) {
  const parts = [];
  const d = t.difference;
  if (t.verdict === "wrong_answer" && d) {
    parts.push(el("p", null, `First difference, line ${d.line}:`));
    const dl = el("dl", "diff");
    for (const [label, value] of [["Expected", d.expected], ["Got", d.got]]) {
      const dd = el("dd");
      dd.append(lineOf(value));
      dl.append(el("dt", null, label), dd);
    }
    parts.push(dl);
  }
  if (t.stderr) {
    parts.push(el("p", null, "stderr:"), el("pre", "case-stderr", t.stderr));
  }
  if (t.truncated) parts.push(el("p", null, "The output was truncated at the output limit."));
  return parts.length ? parts : null;
}

function rows(t) {
  const passed = t.verdict === "passed";
  const tr = el("tr", "case " + (passed ? "passed" : "failed"));
  tr.dataset.verdict = t.verdict;
  const name = el("th", null, String(t.name));
  name.scope = "row";
  if (t.hidden) name.append(" ", el("span", "tag", "hidden"));
  const icon = el("span", "icon", passed ? "✓" : "✗");
  icon.setAttribute("aria-hidden", "true"); // the words say it
  const verdict = el("td", "verdict");
  verdict.append(icon, " ", verdictText(t));
  tr.append(name, verdict, el("td", "num", `${t.points} / ${t.max_points}`), el("td", "num", formatMs(t.time_ms)));
  const more = !t.hidden && !passed ? details(t) : null;
  if (!more) return [tr];
  const detail = el("tr", "detail");
  const cell = el("td");
  cell.colSpan = 4;
  cell.append(...more);
  detail.append(cell);
  return [tr, detail];
}

export function createResults({ summary, table, body }) {
  return {
    show(result) {
      body.replaceChildren(...result.tests.flatMap(rows));
      table.hidden = false;
      const all = result.passed === result.total;
      summary.className = "grade-summary " + (all ? "ok" : "error");
      summary.textContent = `Score ${result.score} / ${result.max_score}: ` +
        `${result.passed} of ${result.total} cases passed.`;
    },
    clear(text) {
      body.replaceChildren();
      table.hidden = true;
      summary.className = "grade-summary";
      summary.textContent = text;
    },
  };
}
