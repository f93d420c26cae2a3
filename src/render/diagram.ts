// The architecture diagram: an SVG drawn from the checked network, volumes as boxes sized by their
// shape (height by spatial size, depth by channels, on log scales, like the lecture figures),
// branches stacked between a fork and a concatenation, skip connections drawn as arcs.
// Each layer kind says whether it is drawn, and in which colour (src/layers): batch norm, dropout
// and activations change no shape and are left out of the picture.
import { kindDefinition } from "../layers/registry.js";
import { formatShape } from "../layers/shape.js";
import type { CheckedLayer, CheckedNetwork, CheckedNode } from "../shapes/network.js";
import { escapeHtml } from "./html.js";
import { MIME_HTML, MIME_SVG, mimeBundle, svgImage, type MimeBundle } from "./mime.js";

interface Block {
  width: number;
  height: number;
  /** Distance from the top to the line that arrows follow. */
  mid: number;
  draw(x: number, top: number): string;
}

/** The colour of a drawn layer; undefined for kinds left out of the picture. */
const colourOf = (layer: CheckedLayer) => kindDefinition(layer.kind).diagram?.colour;
const gap = 16;
const charWidth = 6;

interface Scale {
  spatial: number;
  units: number;
}

function textWidth(text: string): number {
  return text.length * charWidth;
}

function label(x: number, y: number, text: string, bold = false): string {
  return `<text x="${x}" y="${y}" text-anchor="middle" font-size="10"${bold ? ' font-weight="bold"' : ""}>${escapeHtml(text)}</text>`;
}

function arrow(x1: number, x2: number, y: number): string {
  return x2 > x1 ? `<line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" stroke="#555" marker-end="url(#arrow)"/>` : "";
}

function layerBlock(node: CheckedLayer, colour: string, scale: Scale): Block {
  const shape = node.outputShape;
  const volume = shape.length > 1;
  // A size known only when the network runs (?) is drawn as the largest.
  const size = Number.isFinite(shape[0]!) ? shape[0]! : volume ? scale.spatial : scale.units;
  const faceHeight = volume ? 14 + (70 * Math.log2(1 + size)) / Math.log2(1 + scale.spatial) : 14 + (50 * Math.log2(1 + size)) / Math.log2(1 + scale.units);
  const depth = volume ? 4 + 3 * Math.log2(shape[shape.length - 1]!) : 6;
  const slant = volume ? Math.min(faceHeight / 3, 12) : 0;
  const caption = [node.name, `[${formatShape(shape)}]`];
  const boxWidth = depth + slant;
  const width = Math.max(boxWidth, ...caption.map(textWidth));
  const height = slant + faceHeight + 26;
  return {
    width,
    height,
    mid: slant + faceHeight / 2,
    draw(x, top) {
      const left = x + (width - boxWidth) / 2;
      const faceTop = top + slant;
      const parts = [
        `<g><title>${escapeHtml(`${node.name} ${node.label}: [${formatShape(shape)}], ${node.params.toLocaleString("en-US")} parameters`)}</title>`,
        `<rect x="${left.toFixed(1)}" y="${faceTop.toFixed(1)}" width="${depth.toFixed(1)}" height="${faceHeight.toFixed(1)}" fill="${colour}" stroke="#333" stroke-width="0.7"/>`,
      ];
      if (slant > 0) {
        const r = left + depth;
        parts.push(
          `<polygon points="${left},${faceTop} ${left + slant},${top} ${r + slant},${top} ${r},${faceTop}" fill="${colour}" stroke="#333" stroke-width="0.7" opacity="0.8"/>`,
          `<polygon points="${r},${faceTop} ${r + slant},${top} ${r + slant},${top + faceHeight} ${r},${faceTop + faceHeight}" fill="${colour}" stroke="#333" stroke-width="0.7" opacity="0.6"/>`,
        );
      }
      const textTop = faceTop + faceHeight + 11;
      parts.push(label(x + width / 2, textTop, caption[0]!, true), label(x + width / 2, textTop + 11, caption[1]!), "</g>");
      return parts.join("");
    },
  };
}

function sequenceBlock(blocks: Block[]): Block {
  if (blocks.length === 0) return { width: 0, height: 0, mid: 0, draw: () => "" };
  const mid = Math.max(...blocks.map((b) => b.mid));
  const below = Math.max(...blocks.map((b) => b.height - b.mid));
  const width = blocks.reduce((sum, b) => sum + b.width, 0) + gap * (blocks.length - 1);
  return {
    width,
    height: mid + below,
    mid,
    draw(x, top) {
      let cursor = x;
      const parts: string[] = [];
      blocks.forEach((block, i) => {
        if (i > 0) parts.push(arrow(cursor - gap, cursor - 2, top + mid));
        parts.push(block.draw(cursor, top + mid - block.mid));
        cursor += block.width + gap;
      });
      return parts.join("");
    },
  };
}

function mergeDot(x: number, y: number, symbol: string, title: string): string {
  return `<g><title>${escapeHtml(title)}</title><circle cx="${x}" cy="${y}" r="7" fill="#fff" stroke="#333"/>${label(x, y + 3.5, symbol, true)}</g>`;
}

function nodesBlock(nodes: readonly CheckedNode[], scale: Scale): Block {
  const blocks: Block[] = [];
  for (const node of nodes) {
    if (node.type === "layer") {
      const colour = colourOf(node);
      if (colour) blocks.push(layerBlock(node, colour, scale));
    } else if (node.type === "branches") {
      blocks.push(branchesBlock(node.branches.map((b) => nodesBlock(b, scale)), `${node.name}: concatenate to [${formatShape(node.outputShape)}]`));
    } else if (node.type === "aux") {
      blocks.push(auxBlock(nodesBlock(node.body, scale), `${node.name}: a side output (auxiliary classifier) trained with loss weight ${node.weight}, dropped at inference: [${formatShape(node.outputShape)}]`, node.name));
    } else {
      blocks.push(skipBlock(nodesBlock(node.body, scale), node.kind === "add" ? "+" : "C", `${node.name}: ${node.kind === "add" ? "add" : "concatenate"}${node.projection.length > 0 ? " (1x1 projection on the shortcut)" : ""} to [${formatShape(node.outputShape)}]`, node.projection.length > 0));
    }
  }
  return sequenceBlock(blocks);
}

function branchesBlock(branches: Block[], title: string): Block {
  const margin = 14;
  const inner = Math.max(...branches.map((b) => b.width), 10);
  const height = branches.reduce((sum, b) => sum + b.height, 0) + 8 * (branches.length - 1);
  const width = inner + 2 * margin + 14;
  return {
    width,
    height,
    mid: height / 2,
    draw(x, top) {
      const parts: string[] = [];
      let y = top;
      const joinX = x + width - 7;
      for (const branch of branches) {
        const start = x + margin + (inner - branch.width) / 2;
        const lineY = y + branch.mid;
        parts.push(`<polyline points="${x},${top + height / 2} ${x + 6},${lineY} ${start - 2},${lineY}" fill="none" stroke="#555"/>`);
        parts.push(branch.draw(start, y));
        parts.push(`<polyline points="${start + branch.width + 2},${lineY} ${joinX - 8},${lineY} ${joinX},${top + height / 2}" fill="none" stroke="#555"/>`);
        y += branch.height + 8;
      }
      parts.push(mergeDot(joinX, top + height / 2, "C", title));
      return parts.join("");
    },
  };
}

function skipBlock(body: Block, symbol: string, title: string, projected: boolean): Block {
  const rise = 16;
  const width = body.width + 2 * gap + 14;
  return {
    width,
    height: body.height + rise,
    mid: body.mid + rise,
    draw(x, top) {
      const line = top + rise + body.mid;
      const mergeX = x + width - 7;
      const arcY = top + 4;
      return [
        arrow(x, x + gap - 2, line),
        body.draw(x + gap, top + rise),
        arrow(x + gap + body.width, mergeX - 8, line),
        `<polyline points="${x + 2},${line} ${x + 2},${arcY} ${mergeX},${arcY} ${mergeX},${line - 8}" fill="none" stroke="#c1121f"${projected ? ' stroke-dasharray="4 2"' : ""}/>`,
        mergeDot(mergeX, line, symbol, title),
      ].join("");
    },
  };
}

/**
 * An AUX head: the main line passes straight through; the head hangs below it on a dashed line, as
 * a side output that training uses and inference drops, with its name and loss weight under it.
 */
function auxBlock(body: Block, title: string, name: string): Block {
  const drop = 18;
  const lead = 12;
  const caption = `${name} (side output)`;
  const width = Math.max(body.width + lead + 4, textWidth(caption));
  const mid = 8;
  return {
    width,
    height: mid + drop + body.height + 14,
    mid,
    draw(x, top) {
      const line = top + mid;
      const bodyTop = line + drop;
      const bodyLine = bodyTop + body.mid;
      return [
        `<line x1="${x}" y1="${line}" x2="${x + width}" y2="${line}" stroke="#555"/>`,
        `<g><title>${escapeHtml(title)}</title>`,
        `<polyline points="${x + 4},${line} ${x + 4},${bodyLine} ${x + lead - 2},${bodyLine}" fill="none" stroke="#6a4c93" stroke-dasharray="3 2"/>`,
        body.draw(x + lead, bodyTop),
        label(x + width / 2, bodyTop + body.height + 11, caption, true),
        "</g>",
      ].join("");
    },
  };
}

export function diagramSvg(network: CheckedNetwork): string {
  const sizes = (rank: (n: number) => boolean) => network.rows.filter((r) => rank(r.outputShape.length) && Number.isFinite(r.outputShape[0]!)).map((r) => r.outputShape[0]!);
  const spatial = Math.max(1, ...sizes((n) => n > 1));
  const units = Math.max(2, ...sizes((n) => n === 1));
  const scale = { spatial, units };
  const all = nodesBlock([network.input, ...network.nodes], scale);
  const pad = 10;
  const width = Math.ceil(all.width + 2 * pad);
  const height = Math.ceil(all.height + 2 * pad);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>`,
    all.draw(pad, pad),
    "</svg>",
  ].join("");
}

/**
 * The diagram as a picture: image/svg+xml, and HTML that shows it as an <img> (which a notebook's
 * HTML sanitizer keeps, as it does not keep inline SVG), scrolling sideways when it is wide.
 */
export function renderDiagram(network: CheckedNetwork): MimeBundle {
  const svg = diagramSvg(network);
  const drawn = network.rows.filter((r) => r.node.type === "layer" && colourOf(r.node)).length;
  const heads = network.rows.filter((r) => r.kind === "aux").length;
  const side = heads > 0 ? `; ${heads} auxiliary head${heads === 1 ? "" : "s"} hang below the main line` : "";
  const text = `architecture diagram: ${drawn} layers drawn (batch norm, dropout and activations omitted)${side}`;
  return mimeBundle(text, {
    [MIME_HTML]: `<div class="convnote-diagram" style="overflow-x:auto;margin-top:8px">${svgImage(svg, text)}</div>`,
    [MIME_SVG]: svg,
  });
}
