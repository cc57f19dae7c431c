// Keeping the code: a shareable link (#code=<base64url of UTF-8>&stdin=...,
// and &exercise=<id> when one is chosen) and the browser's local storage, so
// a reload loses nothing. Each exercise keeps its own draft too, so moving
// between exercises loses no work.
//
//   const link = shareLink({code, stdin, exercise}); // "http://host/#code=cHJpbnQoMSk"
//   const shared = readFragment(location.hash);      // {code, stdin} or null
//   saveDraft("sum-two", code);  loadDraft("sum-two"); // the code, or null

const STORAGE_KEY = "playground.v1";
const DRAFTS_KEY = "playground.drafts.v1";

export function toBase64Url(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  // Chunks keep String.fromCharCode's argument list short.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// Returns null when the text is not base64url.
export function fromBase64Url(encoded) {
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) return null;
  try {
    const binary = atob(encoded.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return null;
  }
}

export function shareLink({ code, stdin, exercise }, base = location.origin + location.pathname) {
  const params = new URLSearchParams({ code: toBase64Url(code) });
  if (stdin) params.set("stdin", toBase64Url(stdin));
  if (exercise) params.set("exercise", exercise);
  return base + "#" + params.toString();
}

// The code (and stdin) a link carries in its fragment, or null.
export function readFragment(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  if (!params.has("code")) return null;
  const code = fromBase64Url(params.get("code"));
  if (code === null) return null;
  return { code, stdin: fromBase64Url(params.get("stdin") || "") || "" };
}

// Storage can be disabled or full: keeping the code is best effort.
export function loadSaved() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
    if (saved && typeof saved.code === "string") {
      return { code: saved.code, stdin: typeof saved.stdin === "string" ? saved.stdin : "" };
    }
  } catch {
    // Unreadable: start from the default.
  }
  return null;
}

export function save({ code, stdin }) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ code, stdin }));
  } catch {
    // Not kept; the page still works.
  }
}

function loadDrafts() {
  try {
    const drafts = JSON.parse(localStorage.getItem(DRAFTS_KEY) || "{}");
    return drafts && typeof drafts === "object" ? drafts : {};
  } catch {
    return {};
  }
}

export function loadDraft(exercise) {
  const code = loadDrafts()[exercise];
  return typeof code === "string" ? code : null;
}

export function saveDraft(exercise, code) {
  try {
    localStorage.setItem(DRAFTS_KEY, JSON.stringify({ ...loadDrafts(), [exercise]: code }));
  } catch {
    // Not kept; the page still works.
  }
}
