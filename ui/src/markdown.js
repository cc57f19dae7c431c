// A tiny Markdown renderer for exercise statements: headings, paragraphs,
// *emphasis*, **strong**, `code`, fenced code blocks and lists. It builds
// DOM nodes and sets only textContent: the statement's text never becomes
// markup, so no HTML in it can run or style anything (the page's CSP would
// refuse inline script and style anyway). Anything else stays plain text.
//
//   container.replaceChildren(renderMarkdown(statement));

export function renderMarkdown(text) {
  const out = document.createDocumentFragment();
  const lines = String(text).replace(/\r\n?/g, "\n").split("\n");
  let paragraph = [];
  let list = null; // the <ul>/<ol> being filled

  const el = (tag, children = []) => {
    const node = document.createElement(tag);
    node.append(...children);
    return node;
  };
  const endParagraph = () => {
    if (paragraph.length) out.append(el("p", inline(paragraph.join(" "))));
    paragraph = [];
  };
  const endList = () => {
    list = null;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m;
    if ((m = line.match(/^\s*(```|~~~)/))) {
      endParagraph();
      endList();
      const code = [];
      for (i++; i < lines.length && !lines[i].trim().startsWith(m[1]); i++) code.push(lines[i]);
      const pre = el("pre", [el("code", [code.join("\n")])]);
      pre.tabIndex = 0; // long code scrolls sideways: keyboard users can too
      out.append(pre);
    } else if ((m = line.match(/^(#{1,6})\s+(.*?)\s*#*\s*$/))) {
      endParagraph();
      endList();
      // Statements sit under the page's h2/h3: their headings start at h3.
      out.append(el(`h${Math.min(6, m[1].length + 2)}`, inline(m[2])));
    } else if ((m = line.match(/^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/))) {
      endParagraph();
      const tag = m[1] ? "ul" : "ol";
      if (!list || list.tagName.toLowerCase() !== tag) {
        list = el(tag);
        if (m[2] && m[2] !== "1") list.start = Number(m[2]);
        out.append(list);
      }
      list.append(el("li", inline(m[3])));
    } else if (line.trim() === "") {
      endParagraph();
      endList();
    } else if (list && /^\s+\S/.test(line)) {
      // An indented line continues the list item above it.
      list.lastChild.append(" ", ...inline(line.trim()));
    } else {
      endList();
      paragraph.push(line.trim());
    }
  }
  endParagraph();
  return out;
}

// `code` first (nothing inside it is Markdown), then **strong**, then
// *emphasis* or _emphasis_. Returns nodes and strings for append().
function inline(text) {
  const parts = [];
  const pattern = /`([^`]+)`|\*\*(.+?)\*\*|__(.+?)__|\*([^*\s](?:[^*]*[^*\s])?)\*|\b_([^_\s](?:[^_]*[^_\s])?)_\b/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    let node;
    if (m[1] !== undefined) {
      node = document.createElement("code");
      node.textContent = m[1];
    } else if (m[2] !== undefined || m[3] !== undefined) {
      node = document.createElement("strong");
      node.append(...inline(m[2] ?? m[3]));
    } else {
      node = document.createElement("em");
      node.append(...inline(m[4] ?? m[5]));
    }
    parts.push(node);
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}
