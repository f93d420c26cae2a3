/**
 * A small, strict parser for the markup the renders produce (SVG, and HTML written as
 * well-formed XML apart from void elements), so tests can query elements instead of using regexes.
 * It throws on anything unbalanced, which is itself a check that the output is well formed.
 */

export interface MarkupElement {
  tag: string;
  attrs: Record<string, string>;
  children: MarkupNode[];
}

export type MarkupNode = MarkupElement | string;

const VOID = new Set(["img", "br", "meta", "hr", "input", "link"]);
const RAW_TEXT = new Set(["script", "style"]);

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", apos: "'", nbsp: "\u00a0" };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name in ENTITIES) return ENTITIES[name]!;
    if (name.startsWith("#x")) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(parseInt(name.slice(1), 10));
    throw new Error(`markup: unknown entity ${whole}`);
  });
}

/** Parses a fragment; the result is a synthetic root element holding the top-level nodes. */
export function parseMarkup(source: string): MarkupElement {
  const root: MarkupElement = { tag: "#root", attrs: {}, children: [] };
  const stack: MarkupElement[] = [root];
  let i = 0;
  const top = (): MarkupElement => stack[stack.length - 1]!;
  while (i < source.length) {
    const lt = source.indexOf("<", i);
    if (lt < 0) {
      top().children.push(decodeEntities(source.slice(i)));
      break;
    }
    if (lt > i) top().children.push(decodeEntities(source.slice(i, lt)));
    if (source.startsWith("<!--", lt)) {
      const end = source.indexOf("-->", lt);
      if (end < 0) throw new Error("markup: unterminated comment");
      i = end + 3;
      continue;
    }
    if (source.startsWith("<!", lt) || source.startsWith("<?", lt)) {
      i = source.indexOf(">", lt) + 1;
      continue;
    }
    if (source[lt + 1] === "/") {
      const end = source.indexOf(">", lt);
      const tag = source.slice(lt + 2, end).trim().toLowerCase();
      const open = stack.pop();
      if (!open || open.tag !== tag) throw new Error(`markup: </${tag}> closes <${open?.tag}> at offset ${lt}`);
      i = end + 1;
      continue;
    }
    const tagMatch = /^<([a-zA-Z][\w:-]*)/.exec(source.slice(lt, lt + 100));
    if (!tagMatch) throw new Error(`markup: stray '<' at offset ${lt}`);
    const tag = tagMatch[1]!.toLowerCase();
    let j = lt + tagMatch[0].length;
    const attrs: Record<string, string> = {};
    for (;;) {
      while (/\s/.test(source[j] ?? "")) j++;
      if (source[j] === ">" || source.startsWith("/>", j)) break;
      const nameMatch = /^[^\s=>/]+/.exec(source.slice(j, j + 200));
      if (!nameMatch) throw new Error(`markup: bad attribute in <${tag}> at offset ${j}`);
      const name = nameMatch[0];
      j += name.length;
      if (source[j] === "=") {
        const quote = source[j + 1];
        if (quote !== '"' && quote !== "'") throw new Error(`markup: unquoted attribute ${name} in <${tag}>`);
        const end = source.indexOf(quote, j + 2);
        attrs[name] = decodeEntities(source.slice(j + 2, end));
        j = end + 1;
      } else {
        attrs[name] = "";
      }
    }
    const selfClosing = source.startsWith("/>", j);
    i = j + (selfClosing ? 2 : 1);
    const el: MarkupElement = { tag, attrs, children: [] };
    top().children.push(el);
    if (selfClosing || VOID.has(tag)) continue;
    if (RAW_TEXT.has(tag)) {
      const end = source.toLowerCase().indexOf(`</${tag}`, i);
      if (end < 0) throw new Error(`markup: unterminated <${tag}>`);
      el.children.push(source.slice(i, end));
      i = source.indexOf(">", end) + 1;
      continue;
    }
    stack.push(el);
  }
  if (stack.length !== 1) throw new Error(`markup: <${top().tag}> is never closed`);
  return root;
}

export function isElement(node: MarkupNode): node is MarkupElement {
  return typeof node !== "string";
}

/** Every element below `node` (depth first) that satisfies `pred`. */
export function findAll(node: MarkupElement, pred: (el: MarkupElement) => boolean): MarkupElement[] {
  const out: MarkupElement[] = [];
  const walk = (el: MarkupElement): void => {
    for (const child of el.children) {
      if (!isElement(child)) continue;
      if (pred(child)) out.push(child);
      walk(child);
    }
  };
  walk(node);
  return out;
}

export function byTag(node: MarkupElement, tag: string): MarkupElement[] {
  return findAll(node, (el) => el.tag === tag);
}

export function hasClass(el: MarkupElement, name: string): boolean {
  return (el.attrs["class"] ?? "").split(/\s+/).includes(name);
}

export function byClass(node: MarkupElement, name: string): MarkupElement[] {
  return findAll(node, (el) => hasClass(el, name));
}

export function textContent(node: MarkupNode): string {
  return isElement(node) ? node.children.map(textContent).join("") : node;
}

/** A table's body cells as text, row by row. */
export function tableCells(table: MarkupElement): string[][] {
  const body = byTag(table, "tbody")[0] ?? table;
  return byTag(body, "tr").map((tr) => tr.children.filter(isElement).filter((c) => c.tag === "td" || c.tag === "th").map((c) => textContent(c).trim()));
}

const SVG_DATA_URL = /^data:image\/svg\+xml;base64,(.+)$/;

/** The SVG documents shown as `<img src="data:image/svg+xml;base64,...">` under `node`, each parsed. */
export function svgPictures(node: MarkupElement): MarkupElement[] {
  return byTag(node, "img").flatMap((img) => {
    const data = SVG_DATA_URL.exec(img.attrs["src"] ?? "");
    return data ? [byTag(parseMarkup(Buffer.from(data[1]!, "base64").toString("utf8")), "svg")[0]!] : [];
  });
}

/** The text of every SVG picture in an HTML fragment (for regex checks on what the pictures say). */
export function svgPictureText(html: string): string {
  return [...html.matchAll(/src="data:image\/svg\+xml;base64,([^"]+)"/g)].map((m) => Buffer.from(m[1]!, "base64").toString("utf8")).join("\n");
}
