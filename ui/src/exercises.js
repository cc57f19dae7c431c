// Exercises: the list the service offers (GET /api/exercises), one
// exercise (GET /api/exercises/<id>: statement, starter code, the visible
// cases; never the hidden ones), the statement panel, and the exercise in
// the address (#exercise=<id>), so a reload or a link opens it again.
//
//   const list = await listExercises();          // [] when the service has none
//   const exercise = await loadExercise("sum-two"); // null when it cannot be read
//   showStatement(elements, exercise, {onUseInput});
//   exerciseInHash(location.hash);               // "sum-two" or null
//   hashWithExercise(location.hash, "sum-two");  // "#exercise=sum-two"

import { renderMarkdown } from "./markdown.js";

const REQUEST_TIMEOUT_MS = 10000;

async function getJson(url) {
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    const response = await fetch(url, { cache: "no-store", signal: controller.signal });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  } finally {
    clearTimeout(deadline);
  }
}

// Exercises are optional: any failure reads as "none", and the page is the
// plain playground.
export async function listExercises() {
  const body = await getJson("/api/exercises");
  const list = body && Array.isArray(body.exercises) ? body.exercises : [];
  return list.filter((e) => e && typeof e.id === "string" && typeof e.title === "string");
}

export async function loadExercise(id) {
  const e = await getJson(`/api/exercises/${encodeURIComponent(id)}`);
  if (!e || typeof e.starter_code !== "string" || !Array.isArray(e.tests)) return null;
  return e;
}

export function exerciseInHash(hash) {
  return new URLSearchParams(hash.replace(/^#/, "")).get("exercise") || null;
}

// The fragment with the exercise set (or removed, for null); other
// parameters (a shared link's code) are left as they are.
export function hashWithExercise(hash, id) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  if (id) params.set("exercise", id);
  else params.delete("exercise");
  const text = params.toString();
  return text ? "#" + text : "";
}

// How the output is compared, in words ("lines" is the service's default).
function compareSentence(compare) {
  const mode = typeof compare === "string" ? compare : compare && compare.mode;
  if (mode === "exact") return "Output must match exactly, byte for byte.";
  if (mode === "tokens") {
    const tolerant = compare && (compare.float_abs || compare.float_rel);
    return "Output is compared word by word (spacing and line breaks do not matter)" +
      (tolerant ? "; numbers may differ by a small tolerance." : ".");
  }
  return "Output is compared line by line (spaces at the end of a line do not matter).";
}

const plural = (n, one, many = one + "s") => `${n} ${n === 1 ? one : many}`;

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// One visible case: its input and expected output, and a button that puts
// the input into stdin so Run tries exactly that case.
function caseItem(c, onUseInput) {
  const li = el("li", "sample");
  const head = el("div", "sample-head");
  head.append(el("h4", null, String(c.name)));
  if (typeof c.points === "number") head.append(el("span", "hint", plural(c.points, "point")));
  li.append(head);
  const io = el("div", "io");
  const block = (label, text) => {
    const div = el("div");
    div.append(el("span", "io-label", label), el("pre", null, text));
    return div;
  };
  io.append(block("Input", String(c.stdin ?? "")), block("Expected output", String(c.expected_stdout ?? "")));
  li.append(io);
  if (Array.isArray(c.args) && c.args.length) {
    li.append(el("p", "hint", `Arguments: ${c.args.map(String).join(" ")}`));
  }
  const use = el("button", "link", "Use this input as stdin");
  use.type = "button";
  use.setAttribute("aria-label", `Use the input of case "${c.name}" as stdin`);
  use.addEventListener("click", () => onUseInput(String(c.stdin ?? "")));
  li.append(use);
  return li;
}

export function showStatement({ title, text, cases, about }, exercise, { onUseInput }) {
  title.textContent = exercise.title;
  text.replaceChildren(renderMarkdown(exercise.statement || ""));
  cases.replaceChildren(...exercise.tests.map((c) => caseItem(c, onUseInput)));
  const facts = [];
  if (exercise.hidden_tests > 0) {
    facts.push(`Testing also runs ${plural(exercise.hidden_tests, "hidden case")}` +
      (exercise.hidden_points > 0 ? ` (${plural(exercise.hidden_points, "point")}).` : "."));
  }
  facts.push(compareSentence(exercise.compare));
  facts.push(`Maximum score: ${exercise.max_score}.`);
  about.textContent = facts.join(" ");
}
