#!/usr/bin/env node
// `npm run figures`: draws the notebooks' model diagrams, notebooks/figures/*.svg, from the code below.
// One small vocabulary (boxes by kind, embeddings, arrows, a stop-gradient mark, text, a legend built
// from what a figure uses) and one style, so every diagram reads the same way:
//   blue box = trainable network          purple dashed box = EMA copy (gets no gradient)
//   green pill = embedding                 orange box = loss or cost
//   grey box = input / data / world        yellow box = search or optimiser (no weights)
//   ──▶ data flow (gradients flow back)    ═╪═ gradient stops here    purple - -▶ EMA of weights
//   ···▶ configures (sets another module up)
// A notebook shows its figure with a relative link: ![what it shows](figures/03-mini-jepa.svg).
//   node scripts/figures.js            writes notebooks/figures/*.svg
//   node scripts/figures.js --check    exits 1 if a committed SVG differs from what this file draws
//   node scripts/figures.js --png      also renders test-output/figures/*.png in Chromium and reports
//                                      text that leaves its box or overlaps other text
// test/unit/infra/figures.test.ts keeps the committed files equal to this file's output.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const outDir = path.join(root, "notebooks", "figures");

// ---------------------------------------------------------------------------------------------
// Style
// ---------------------------------------------------------------------------------------------

/** Font, sizes and ink shared by every figure. DejaVu Sans is the widest of the fallbacks: sized for it, text fits in all. */
const style = {
  font: "'DejaVu Sans', Verdana, Arial, Helvetica, sans-serif",
  size: 13, // box labels
  small: 11, // notes, arrow labels, legend
  ink: "#222",
  muted: "#555",
  arrow: "#333",
  pad: 5, // text keeps this far from a box's sides
};

/** Box kinds: fill, stroke, dash, legend text. The colours are Okabe–Ito hues (colour-blind safe). */
const kinds = {
  net: { fill: "#d6e6f4", stroke: "#0072b2", legend: "trainable network" },
  ema: { fill: "#f4e1ec", stroke: "#a8457f", dash: "5 3", legend: "EMA copy (no gradient)" },
  latent: { fill: "#d9f0e6", stroke: "#009e73", legend: "embedding" },
  loss: { fill: "#fbe0cc", stroke: "#d55e00", legend: "loss / cost" },
  data: { fill: "#f0f0f0", stroke: "#777777", legend: "data / world" },
  search: { fill: "#fff3c4", stroke: "#a67c00", legend: "search / optimiser (no weights)" },
  op: { fill: "#ffffff", stroke: "#777777", legend: "fixed op (no weights)" },
  zvar: { fill: "#fff3c4", stroke: "#a67c00" }, // a latent variable z: the search's colour, labelled in the figure
};

/** Arrow styles. `flow`: data flows (gradients flow back unless a stop mark cuts it). */
const arrows = {
  flow: { stroke: style.arrow, width: 1.4 },
  ema: { stroke: kinds.ema.stroke, width: 1.6, dash: "6 4", legend: "EMA of weights" },
  config: { stroke: "#777777", width: 1.3, dash: "2 3", legend: "configures" },
};

// ---------------------------------------------------------------------------------------------
// Text: escaping, sub/superscripts, width estimate
// ---------------------------------------------------------------------------------------------

const escapeXml = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const num = (v) => String(Math.round(v * 10) / 10);

/** Splits "z_{t+1} and x_t" into runs: { text, shift: 0 | "sub" | "sup" }. `_x`/`^x` take one character. */
function richRuns(s) {
  const runs = [];
  let i = 0;
  let plain = "";
  const flush = () => plain && (runs.push({ text: plain, shift: 0 }), (plain = ""));
  while (i < s.length) {
    const c = s[i];
    if ((c === "_" || c === "^") && i + 1 < s.length) {
      flush();
      const shift = c === "_" ? "sub" : "sup";
      if (s[i + 1] === "{") {
        const end = s.indexOf("}", i + 2);
        if (end < 0) throw new Error(`figures: unclosed ${c}{ in ${JSON.stringify(s)}`);
        runs.push({ text: s.slice(i + 2, end), shift });
        i = end + 1;
      } else {
        runs.push({ text: s[i + 1], shift });
        i += 2;
      }
    } else {
      plain += c;
      i++;
    }
  }
  flush();
  return runs;
}

/** DejaVu Sans advance widths (em) of common characters; others count as 0.65 em. */
const advance = (() => {
  const w = {};
  const set = (chars, v) => [...chars].forEach((ch) => (w[ch] = v));
  set("ijl'|", 0.28);
  set(" .,:;!·", 0.32);
  set("ft()[]{}/\\", 0.37);
  set("r", 0.41);
  set("Ir\"", 0.42);
  set("sz", 0.53);
  set("cJ", 0.56);
  set("kvxy", 0.6);
  set("abdeghnopqu0123456789ŝẑĥ#$?", 0.64);
  set("ELFPTZ", 0.62);
  set("ABKRSVXY", 0.69);
  set("CDGHNOQUw", 0.77);
  set("mMW", 0.98);
  set("−+=×→←↑↓≥≤∂∑ΣΠ<>~∈", 0.84);
  set("…⋯—", 1.0);
  set("–‖²¹", 0.5);
  return (ch) => w[ch] ?? 0.65;
})();

/** Estimated width in px of one line of rich text at a font size. */
function textWidth(s, size) {
  return richRuns(s).reduce((sum, r) => sum + [...r.text].reduce((a, ch) => a + advance(ch), 0) * (r.shift ? size * 0.72 : size), 0);
}

/** SVG <text> for one line of rich text: sub/superscripts as smaller tspans shifted with dy. */
function textSvg(x, y, s, o = {}) {
  const size = o.size ?? style.size;
  const attrs = [`x="${num(x)}"`, `y="${num(y)}"`];
  if ((o.anchor ?? "middle") !== "start") attrs.push(`text-anchor="${o.anchor ?? "middle"}"`);
  if (size !== style.size) attrs.push(`font-size="${size}"`);
  if (o.color && o.color !== style.ink) attrs.push(`fill="${o.color}"`);
  if (o.bold) attrs.push(`font-weight="bold"`);
  if (o.italic) attrs.push(`font-style="italic"`);
  if (o.rotate) attrs.push(`transform="rotate(${o.rotate} ${num(x)} ${num(y)})"`);
  const small = num(size * 0.72);
  const shiftOf = { sub: size * 0.3, sup: -size * 0.4, 0: 0 };
  let body = "";
  let at = 0; // current baseline shift
  for (const r of richRuns(s)) {
    const want = shiftOf[r.shift];
    const dy = want - at;
    at = want;
    const t = escapeXml(r.text);
    if (!r.shift && !dy) body += t;
    else body += `<tspan${dy ? ` dy="${num(dy)}"` : ""}${r.shift ? ` font-size="${small}"` : ""}>${t}</tspan>`;
  }
  return `<text ${attrs.join(" ")}>${body}</text>`;
}

// ---------------------------------------------------------------------------------------------
// The figure vocabulary
// ---------------------------------------------------------------------------------------------

/** A diagram under construction. Coordinates in px, origin top left. */
class Figure {
  /** @param {{ file: string, width: number, height: number, title: string, desc: string }} o  height: the drawing's; the legend goes below it. */
  constructor(o) {
    for (const k of ["file", "width", "height", "title", "desc"]) if (!o[k]) throw new Error(`figures: a figure needs ${k}`);
    Object.assign(this, o);
    this.back = []; // containers, drawn first
    this.items = [];
    this.boxes = {};
    this.used = new Set(); // legend entries this figure needs
    this.stops = 0;
  }

  /** Where to check a label fits; throws naming the figure, the label and the sizes. */
  fits(label, size, room) {
    const w = textWidth(label, size);
    if (w > room) throw new Error(`figures: ${this.file}: "${label}" needs ~${Math.ceil(w)} px at ${size} px, the box leaves ${Math.floor(room)}`);
  }

  /**
   * A box of a kind ("net", "ema", "latent" (drawn as a pill), "loss", "data", "search") with a
   * centred label (lines split by "\n") and an optional smaller note under it. Registers `id` for
   * arrow anchors ("id.l", "id.r", "id.t", "id.b", with an optional offset: "id.b+20", "id.r-6").
   */
  box(id, kind, x, y, w, h, label, note) {
    const k = kinds[kind];
    if (!k) throw new Error(`figures: ${this.file}: unknown box kind ${kind}`);
    if (id && this.boxes[id]) throw new Error(`figures: ${this.file}: box id ${id} used twice`);
    this.used.add(kind);
    const pill = kind === "latent" || kind === "zvar";
    const rx = pill ? h / 2 : 5;
    const dash = k.dash ? ` stroke-dasharray="${k.dash}"` : "";
    this.items.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="${num(rx)}" fill="${k.fill}" stroke="${k.stroke}" stroke-width="1.5"${dash}/>`);
    const lines = label ? label.split("\n") : [];
    const notes = note ? note.split("\n") : [];
    const room = w - 2 * (pill ? style.pad + 4 : style.pad);
    lines.forEach((l) => this.fits(l, style.size, room));
    notes.forEach((l) => this.fits(l, style.small, room));
    const lineH = style.size * 1.2;
    const noteH = style.small * 1.2;
    const total = lines.length * lineH + notes.length * noteH;
    let yy = y + (h - total) / 2;
    if (total > h) throw new Error(`figures: ${this.file}: box ${id || label} is ${h} px high, its text needs ${Math.ceil(total)}`);
    for (const l of lines) {
      this.items.push(textSvg(x + w / 2, yy + lineH * 0.8, l));
      yy += lineH;
    }
    for (const l of notes) {
      this.items.push(textSvg(x + w / 2, yy + noteH * 0.8, l, { size: style.small, color: style.muted }));
      yy += noteH;
    }
    if (id) this.boxes[id] = { x, y, w, h };
    return this;
  }

  /** A labelled container behind other boxes (e.g. "planner: CEM or MPPI"), header at its top left. */
  group(kind, x, y, w, h, header) {
    const k = kinds[kind];
    this.used.add(kind);
    this.back.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="8" fill="${k.fill}" fill-opacity="0.45" stroke="${k.stroke}" stroke-width="1.2"/>`);
    if (header) {
      this.fits(header, style.small, w - 16);
      this.back.push(textSvg(x + 8, y + 15, header, { size: style.small, anchor: "start", bold: true, color: k.stroke }));
    }
    return this;
  }

  /** A neutral frame around a panel of a multi-panel figure, with a bold header at its top left. */
  panel(x, y, w, h, header) {
    this.back.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" rx="6" fill="none" stroke="#cccccc" stroke-width="1"/>`);
    if (header) {
      this.fits(header, 12, w - 16);
      this.back.push(textSvg(x + 8, y + 16, header, { size: 12, anchor: "start", bold: true }));
    }
    return this;
  }

  /** A point from [x, y] or an anchor "id.side[+-offset]". */
  point(p) {
    if (Array.isArray(p)) return p;
    const m = /^([\w-]+)\.([lrtb])([+-]\d+(?:\.\d+)?)?$/.exec(p);
    if (!m || !this.boxes[m[1]]) throw new Error(`figures: ${this.file}: unknown anchor ${JSON.stringify(p)}`);
    const b = this.boxes[m[1]];
    const off = Number(m[3] || 0);
    const cx = b.x + b.w / 2;
    const cy = b.y + b.h / 2;
    return { l: [b.x, cy + off], r: [b.x + b.w, cy + off], t: [cx + off, b.y], b: [cx + off, b.y + b.h] }[m[2]];
  }

  /**
   * An arrow along a polyline of points/anchors. `o.kind`: "flow" (default), "ema", "config";
   * `o.stop`: put the stop-gradient mark at this fraction of the arrow's length (0..1);
   * `o.head: false` draws a plain line (e.g. the first leg of a fork).
   */
  arrow(points, o = {}) {
    const a = arrows[o.kind ?? "flow"];
    if (!a) throw new Error(`figures: ${this.file}: unknown arrow kind ${o.kind}`);
    if (a.legend) this.used.add(`arrow:${o.kind}`);
    const pts = points.map((p) => this.point(p));
    const d = pts.map((p, i) => `${i ? "L" : "M"}${num(p[0])} ${num(p[1])}`).join("");
    const dash = a.dash ? ` stroke-dasharray="${a.dash}"` : "";
    const head = o.head === false ? "" : ` marker-end="url(#${this.id(`head-${o.kind ?? "flow"}`)})"`;
    this.items.push(`<path d="${d}" fill="none" stroke="${a.stroke}" stroke-width="${a.width}"${dash}${head}/>`);
    if (o.stop !== undefined) this.stopMark(pts, o.stop);
    return this;
  }

  /** The stop-gradient mark: the line cut by two bars, at fraction t of a polyline's length. */
  stopMark(pts, t) {
    const segs = pts.slice(1).map((p, i) => ({ a: pts[i], b: p, len: Math.hypot(p[0] - pts[i][0], p[1] - pts[i][1]) }));
    let left = t * segs.reduce((s, g) => s + g.len, 0);
    const seg = segs.find((g) => (left -= g.len) <= 1e-9) ?? segs[segs.length - 1];
    const f = (seg.len + left) / seg.len;
    const x = seg.a[0] + f * (seg.b[0] - seg.a[0]);
    const y = seg.a[1] + f * (seg.b[1] - seg.a[1]);
    const angle = (Math.atan2(seg.b[1] - seg.a[1], seg.b[0] - seg.a[0]) * 180) / Math.PI;
    this.used.add("stop");
    this.items.push(this.stopSvg(x, y, angle));
    return this;
  }

  stopSvg(x, y, angle) {
    return `<g transform="translate(${num(x)} ${num(y)}) rotate(${num(angle)})"><rect x="-4" y="-8" width="8" height="16" fill="#ffffff"/>` +
      `<path d="M-4 -8L-4 8M4 -8L4 8" stroke="#000000" stroke-width="2.6"/></g>`;
  }

  /** Free text (rich: "z_{t+1}"), centred unless `o.anchor` says "start" or "end". */
  text(x, y, s, o = {}) {
    if (o.max) this.fits(s, o.size ?? style.small, o.max);
    this.items.push(textSvg(x, y, s, { size: style.small, color: style.muted, ...o }));
    return this;
  }

  /** A little patch grid: `cells` is a list of strings, one per row, "c" context, "t" target, "." neither. */
  grid(x, y, cell, cells) {
    const fill = { c: "#9cc7e6", t: "#f0a56e", ".": "#ffffff" };
    cells.forEach((row, r) => [...row].forEach((ch, c) => {
      if (!fill[ch]) throw new Error(`figures: ${this.file}: grid cell ${ch} is not c, t or .`);
      this.items.push(`<rect x="${num(x + c * cell)}" y="${num(y + r * cell)}" width="${num(cell)}" height="${num(cell)}" fill="${fill[ch]}" stroke="#888888" stroke-width="0.6"/>`);
    }));
    this.used.add("grid");
    return this;
  }

  /** Raw SVG for a one-off shape (a sparkline); keep it rare. */
  raw(svg) {
    this.items.push(svg);
    return this;
  }

  /** Ids inside this SVG, prefixed by the file name so two inlined figures cannot clash. */
  id(s) {
    return `${this.file.replace(/\.svg$/, "")}-${s}`;
  }

  /** The legend row(s) at the bottom: every kind, arrow and mark this figure used. */
  legend() {
    const entries = [];
    for (const [name, k] of Object.entries(kinds)) if (this.used.has(name) && k.legend) entries.push({ label: k.legend, draw: (x, y) => `<rect x="${num(x)}" y="${num(y - 6)}" width="20" height="12" rx="${name === "latent" || name === "zvar" ? 6 : 3}" fill="${k.fill}" stroke="${k.stroke}" stroke-width="1.3"${k.dash ? ` stroke-dasharray="3 2"` : ""}/>` });
    if (this.used.has("grid")) {
      entries.push({ label: "context patch", draw: (x, y) => `<rect x="${num(x + 5)}" y="${num(y - 5)}" width="10" height="10" fill="#9cc7e6" stroke="#888888" stroke-width="0.6"/>` });
      entries.push({ label: "target patch", draw: (x, y) => `<rect x="${num(x + 5)}" y="${num(y - 5)}" width="10" height="10" fill="#f0a56e" stroke="#888888" stroke-width="0.6"/>` });
    }
    for (const [name, a] of Object.entries(arrows)) {
      if (!this.used.has(`arrow:${name}`)) continue;
      entries.push({ label: a.legend, draw: (x, y) => `<path d="M${num(x)} ${num(y)}L${num(x + 18)} ${num(y)}" stroke="${a.stroke}" stroke-width="${a.width}"${a.dash ? ` stroke-dasharray="${a.dash}"` : ""} marker-end="url(#${this.id(`head-${name}`)})"/>` });
    }
    if (this.used.has("stop")) entries.push({ label: "gradient stops here", draw: (x, y) => `<path d="M${num(x)} ${num(y)}L${num(x + 22)} ${num(y)}" stroke="${style.arrow}" stroke-width="1.4"/>${this.stopSvg(x + 11, y, 0)}` });
    const out = [];
    const rowH = 18;
    const rows = [[]];
    let xx = 10;
    for (const e of entries) {
      const w = 26 + textWidth(e.label, style.small) + 14;
      if (xx + w > this.width - 6 && rows[rows.length - 1].length) {
        rows.push([]);
        xx = 10;
      }
      rows[rows.length - 1].push({ ...e, x: xx });
      xx += w;
    }
    const top = this.height + 2;
    out.push(`<path d="M8 ${num(top)}L${num(this.width - 8)} ${num(top)}" stroke="#dddddd" stroke-width="1"/>`);
    rows.forEach((row, r) => row.forEach((e) => {
      const y = top + rowH * (r + 0.5) + 3;
      out.push(e.draw(e.x, y));
      out.push(textSvg(e.x + 26, y + 4, e.label, { size: style.small, anchor: "start", color: style.muted }));
    }));
    const height = entries.length ? top + rows.length * rowH + 6 : this.height;
    return { svg: out.join("\n"), height };
  }

  /** The finished SVG document. */
  svg() {
    const legend = this.legend();
    const [W, H] = [this.width, legend.height];
    const heads = Object.entries(arrows).map(([name, a]) =>
      `<marker id="${this.id(`head-${name}`)}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 1L10 5L0 9z" fill="${a.stroke}"/></marker>`);
    return [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="${this.id("title")} ${this.id("desc")}" font-family="${escapeXml(style.font)}" font-size="${style.size}" fill="${style.ink}">`,
      `<title id="${this.id("title")}">${escapeXml(this.title)}</title>`,
      `<desc id="${this.id("desc")}">${escapeXml(this.desc)}</desc>`,
      `<defs>${heads.join("")}</defs>`,
      `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
      ...this.back,
      ...this.items,
      legend.svg,
      "</svg>",
      "",
    ].join("\n");
  }
}

// ---------------------------------------------------------------------------------------------
// The diagrams, one per model. Each names the code it draws; labels use the notebooks' symbols.
// ---------------------------------------------------------------------------------------------

const drawings = [];
/** Registers a drawing: `draw(f)` fills a Figure made from `meta`. */
const diagram = (meta, draw) => drawings.push({ meta, draw });

diagram({
  file: "01-autoregressive-vs-jepa.svg", width: 700, height: 226,
  title: "Auto-regressive pixel prediction beside a JEPA",
  desc: "Left: a next-frame pixel predictor takes frames t-1 and t, an MLP body and a pixel decoder output the " +
    "pixels of frame t+1, the loss is the squared error against the real frame t+1 in pixel space; rolled out, " +
    "its own predicted frame is fed back as input. Right: a JEPA encodes frames x_t into an embedding z_t, a " +
    "predictor maps z_t to a predicted embedding of the next step, and the loss (VICReg) compares it with the " +
    "encoding z_t+1 of the real next frames, in embedding space; rolled out, the predicted embedding is fed " +
    "back into the predictor. Both roll out; only the pixel model generates pixels.",
}, (f) => {
  // Left: lib/models/next-frame-predictor.ts (notebook 01 builds it inline first).
  f.text(10, 17, "Auto-regressive: predict the next frame's pixels", { anchor: "start", bold: true, size: 12, color: style.ink });
  f.box("in", "data", 12, 52, 84, 40, "frames", "t−1 and t");
  f.box("px", "net", 122, 52, 100, 40, "predictor", "MLP + decoder");
  f.box("out", "data", 248, 52, 90, 40, "frame t+1", "predicted");
  f.box("real", "data", 122, 156, 100, 40, "frame t+1", "real");
  f.box("mse", "loss", 244, 156, 96, 40, "squared", "error per pixel");
  f.arrow(["in.r", "px.l"]).arrow(["px.r", "out.l"]).arrow(["out.b", "mse.t"]).arrow(["real.r", "mse.l"]);
  f.arrow(["out.t", [293, 38], [54, 38], "in.t"]);
  f.text(174, 33, "roll out: its own frame fed back");
  // Right: lib/models/transition-jepa.ts with actionDim 0 and regularizer "vicreg".
  f.text(362, 17, "JEPA: predict the next embedding", { anchor: "start", bold: true, size: 12, color: style.ink });
  f.box("x", "data", 358, 46, 58, 40, "x_t", "frames");
  f.box("enc", "net", 436, 46, 90, 40, "encoder");
  f.box("z", "latent", 540, 52, 44, 28, "z_t");
  f.box("pred", "net", 604, 46, 86, 52, "predictor");
  f.box("zh", "latent", 620, 110, 54, 26, "ẑ_{t+1}");
  f.box("y", "data", 358, 156, 58, 40, "x_{t+1}", "frames");
  f.box("enc2", "net", 436, 156, 90, 40, "encoder", "same weights");
  f.box("zy", "latent", 538, 162, 48, 28, "z_{t+1}");
  f.box("loss", "loss", 604, 156, 86, 40, "VICReg", "ẑ_{t+1} vs z_{t+1}");
  f.arrow(["x.r", "enc.l"]).arrow(["enc.r", "z.l"]).arrow(["z.r", "pred.l-6"]).arrow(["pred.b+2", "zh.t+2"]);
  f.arrow(["zh.b+2", "loss.t+2"]).arrow(["y.r", "enc2.l"]).arrow(["enc2.r", "zy.l"]).arrow(["zy.r", "loss.l"]);
  f.arrow(["zh.l", [594, 123], [594, 86], "pred.l+14"]);
  f.text(350, 218, "Both roll out by feeding predictions back; only the left one has to generate every pixel.", { size: 11.5, color: style.ink });
});

/**
 * One transition JEPA of notebook 02 (lib/models/transition-jepa.ts) in a panel at (ox, oy): the
 * online path x_t -> encoder -> z_t -> predictor (with a_t) -> ẑ_{t+1}, the target path x_{t+1} ->
 * encoder (or its EMA copy) -> z_{t+1}, and the loss of one regularizer.
 */
function transitionPanel(f, ox, oy, r) {
  const id = (s) => `${r.key}-${s}`;
  f.panel(ox, oy, 342, 140, r.header);
  f.box(id("x"), "data", ox + 6, oy + 28, 40, 32, "x_t");
  f.box(id("enc"), "net", ox + 60, oy + 28, 66, 32, "encoder");
  f.box(id("z"), "latent", ox + 140, oy + 30, 40, 28, "z_t");
  f.box(id("pred"), "net", ox + 194, oy + 28, 70, 32, "predictor");
  f.box(id("zh"), "latent", ox + 278, oy + 30, 58, 28, "ẑ_{t+1}");
  f.box(id("y"), "data", ox + 6, oy + 84, 40, 32, "x_{t+1}");
  if (r.key === "ema") f.box(id("enc2"), "ema", ox + 60, oy + 84, 66, 32, "target");
  else f.box(id("enc2"), "net", ox + 60, oy + 84, 66, 32, "encoder");
  f.box(id("zy"), "latent", ox + 140, oy + 86, 50, 28, "z_{t+1}");
  const lx = r.key === "ema" ? 222 : 204; // room for the stop mark
  f.box(id("loss"), "loss", ox + lx, oy + 84, 336 - lx, 32, r.loss, r.lossNote);
  f.text(ox + 223, oy + 19, "a_t", { anchor: "end", size: 12, color: style.ink });
  f.arrow([[ox + 229, oy + 10], id("pred.t")]);
  f.arrow([id("x.r"), id("enc.l")]).arrow([id("enc.r"), id("z.l")]).arrow([id("z.r"), id("pred.l")]).arrow([id("pred.r"), id("zh.l")]);
  f.arrow([id("zh.b"), [ox + 307, oy + 84]]);
  f.arrow([id("y.r"), id("enc2.l")]).arrow([id("enc2.r"), id("zy.l")]);
  f.arrow([id("zy.r"), id("loss.l")], r.key === "ema" ? { stop: 0.35 } : {});
  if (r.key === "ema") {
    f.arrow([id("enc.b"), id("enc2.t")], { kind: "ema" });
    f.text(ox + 98, oy + 75, "EMA", { anchor: "start", color: kinds.ema.stroke });
  }
  if (r.key === "sigreg") f.arrow([id("z.b"), [ox + 160, oy + 72], [ox + 222, oy + 72], [ox + 222, oy + 84]]);
  f.text(ox + 8, oy + 133, r.note, { anchor: "start", max: 326 });
}

diagram({
  file: "02-collapse-four-ways.svg", width: 700, height: 294,
  title: "One transition JEPA, four ways to stop collapse",
  desc: "Four panels show the same world model: x_t is encoded to z_t, a predictor takes z_t and the action a_t " +
    "and outputs a predicted embedding of the next step, compared with the encoding z_t+1 of x_t+1. None: the " +
    "loss is the prediction error alone, so mapping every input to one point gives loss 0 (collapse). EMA + " +
    "stop-gradient: z_t+1 comes from a target encoder, an exponential moving average of the encoder's weights, " +
    "and no gradient flows into it. VICReg: the loss is VICReg between the predictions and z_t+1: invariance, " +
    "variance (std of each dimension at least 1) and covariance (dimensions decorrelated). SIGReg: the prediction " +
    "error plus SIGReg on all embeddings, which tests random one-dimensional slices against a standard Gaussian " +
    "with the Epps-Pulley statistic.",
}, (f) => {
  transitionPanel(f, 6, 4, { key: "none", header: "none", loss: "‖ẑ − z_{t+1}‖²", lossNote: "prediction error",
    note: "Nothing pushes back: enc(x) = constant gives loss 0." });
  transitionPanel(f, 352, 4, { key: "ema", header: "EMA target + stop-gradient", loss: "‖ẑ − z_{t+1}‖²", lossNote: "prediction error",
    note: "Targets from a slow copy of the encoder, no gradient." });
  transitionPanel(f, 6, 150, { key: "vicreg", header: "VICReg", loss: "VICReg(ẑ, z_{t+1})", lossNote: "inv + var + cov",
    note: "Std of each dimension ≥ 1, dimensions decorrelated." });
  transitionPanel(f, 352, 150, { key: "sigreg", header: "SIGReg", loss: "‖ẑ − z_{t+1}‖²", lossNote: "+ λ·SIGReg(all z)",
    note: "All z towards N(0, I): random slices, Epps–Pulley." });
});

diagram({
  file: "03-mini-jepa.svg", width: 700, height: 276,
  title: "The mini JEPA of notebook 03: an action-conditioned world model unrolled over a window",
  desc: "A window of T+1 Two Rooms images x_0 to x_T (16 by 16 pixels) and T actions. Every image goes through " +
    "the same MLP encoder (256 to 256 to 256 to 32) to an embedding z_t. The predictor starts from z_0 and is " +
    "unrolled with the actions: the predicted embedding of step t+1 is the predicted embedding of step t plus an " +
    "MLP of it and the action a_t (a residual step). VICReg compares the predictions with the encoded images " +
    "z_1 to z_T, over all steps and the batch; gradients flow into both the encoder and the predictor.",
}, (f) => {
  // lib/recipes/mini-jepa.ts (transitionJepa + actionPredictor), lib/recipes/mini-jepa-recipe.ts (window T).
  const cols = [{ t: "0", x: 62 }, { t: "1", x: 200 }, { t: "2", x: 338 }, { t: "dots", x: 462 }, { t: "T", x: 606 }];
  const sub = (c) => (c.t === "dots" ? "" : c.t.length > 1 ? `{${c.t}}` : c.t);
  for (const c of cols) {
    if (c.t === "dots") {
      [26, 72, 113].forEach((y) => f.text(c.x, y, "⋯", { size: 16, color: style.ink }));
      continue;
    }
    f.box(`x${c.t}`, "data", c.x - 32, 6, 64, 36, `x_${sub(c)}`, "16×16");
    f.box(`e${c.t}`, "net", c.x - 40, 56, 80, 30, "encoder");
    f.box(`z${c.t}`, "latent", c.x - 22, 98, 44, 24, `z_${sub(c)}`);
    f.arrow([`x${c.t}.b`, `e${c.t}.t`]).arrow([`e${c.t}.b`, `z${c.t}.t`]);
  }
  f.box("vic", "loss", 150, 138, 506, 28, "VICReg(ẑ_t, z_t) over t = 1 … T and the batch");
  // The unrolled predictor: ẑ_1 from z_0, then each ẑ from the previous one and the action.
  const preds = [{ x: 131, a: "a_0" }, { x: 269, a: "a_1" }, { x: 400, a: "a_2" }, { x: 534, a: "a_{T−1}" }];
  preds.forEach((p, i) => {
    f.box(`p${i}`, "net", p.x - 34, 179, 68, 30, "pred");
    f.arrow([[p.x, 232], `p${i}.b`]);
    f.text(p.x, 246, p.a, { size: 12, color: style.ink });
  });
  for (const c of cols.slice(1)) if (c.t !== "dots") f.box(`h${c.t}`, "latent", c.x - 24, 182, 48, 24, `ẑ_${sub(c)}`);
  f.text(462, 199, "⋯", { size: 16, color: style.ink });
  f.arrow(["z0.b", [62, 194], "p0.l"]).arrow(["p0.r", "h1.l"]).arrow(["h1.r", "p1.l"]).arrow(["p1.r", "h2.l"]).arrow(["h2.r", "p2.l"]);
  f.arrow(["p2.r", [446, 194]], { head: false }).arrow([[478, 194], "p3.l"]).arrow(["p3.r", "hT.l"]);
  for (const c of cols.slice(1)) if (c.t !== "dots") f.arrow([`z${c.t}.b`, `vic.t${c.x - 403 >= 0 ? "+" : ""}${c.x - 403}`]).arrow([`h${c.t}.t`, `vic.b${c.x - 403 >= 0 ? "+" : ""}${c.x - 403}`]);
  f.text(350, 268, "ẑ_{t+1} = ẑ_t + MLP(ẑ_t, a_t) (residual; starts at \"no change\").   One encoder for every t: MLP 256 → 256 → 256 → 32.", { color: style.ink, max: 690 });
});

diagram({
  file: "04-image-jepa.svg", width: 700, height: 252,
  title: "I-JEPA in miniature: predict the representation of hidden image blocks",
  desc: "A 28 by 28 MNIST digit is cut into a 7 by 7 grid of 4 by 4 patches. A mask sampler picks two target blocks " +
    "(I-JEPA uses four) and one large context block with the target cells removed. The context encoder sees only the context patches. The target " +
    "encoder, an exponential moving average of the context encoder's weights, sees the full image and gets no " +
    "gradient. The predictor takes the context features plus a learned mask token and a position embedding at " +
    "every target position, and predicts the target features there. The loss is the squared error between the " +
    "predictions and the layer-normalised target features, at the target patches only. No pixel is reconstructed.",
}, (f) => {
  // lib/models/image-jepa.ts, lib/data/masks.ts (multiBlockMasks).
  f.text(50, 58, "7×7 patches", { color: style.ink });
  f.grid(15, 66, 10, ["ccccttt", "ccccttt", "ccccttt", "ctttcc.", "ctttcc.", "ctttcc.", "cccccc."]); // 2 target blocks
  f.text(50, 152, "of a 28×28 digit");
  f.box("ctx", "net", 120, 30, 140, 42, "context encoder", "context patches only");
  f.box("tgt", "ema", 120, 176, 140, 42, "target encoder", "EMA copy, full image");
  f.box("pred", "net", 296, 30, 150, 42, "predictor", "mask tokens + positions");
  f.box("pos", "data", 311, 98, 120, 28, "target positions");
  f.box("ln", "op", 316, 176, 110, 42, "layer norm", "per patch");
  f.box("sh", "latent", 476, 38, 56, 26, "ŝ_y");
  f.box("sy", "latent", 476, 184, 56, 26, "s_y");
  f.box("loss", "loss", 568, 96, 122, 56, "‖ŝ_y − s_y‖²", "target patches only");
  f.arrow([[85, 86], [100, 86], [100, 51], "ctx.l"]);
  f.arrow([[85, 126], [108, 126], [108, 197], "tgt.l"]);
  f.arrow(["ctx.b", "tgt.t"], { kind: "ema" });
  f.text(196, 128, "EMA", { anchor: "start", color: kinds.ema.stroke });
  f.arrow(["ctx.r", "pred.l"]).arrow(["pos.t", "pred.b"]).arrow(["pred.r", "sh.l"]);
  f.arrow(["tgt.r", "ln.l"], { stop: 0.5 }).arrow(["ln.r", "sy.l"]);
  f.arrow(["sh.r", [629, 51], "loss.t"]).arrow(["sy.r", [629, 197], "loss.b"]);
  f.text(350, 244, "Only the predictor is told where the targets are. No pixel is reconstructed.", { color: style.ink, max: 690 });
});

diagram({
  file: "05-latent-variable-energy.svg", width: 700, height: 282,
  title: "A latent-variable energy: z is found by minimising the energy",
  desc: "The context x (two frames) is encoded frame by frame to s. A predictor takes s and a latent variable z and " +
    "predicts the embedding of the future. The observed future y is encoded by the same encoder to s_y. The energy " +
    "E(x, y, z) is the squared distance between the prediction and s_y. z is not observed: it is found by " +
    "minimising E, with gradient steps on z only while the network weights stay fixed. The free energy F(x, y) is " +
    "the minimum of E over z. Training infers z first, then takes one gradient step on the weights with z held " +
    "fixed, on E plus an anti-collapse term (VICReg's variance and covariance) that keeps the encoder from mapping " +
    "every frame to one point.",
}, (f) => {
  // lib/models/latent-variable-jepa.ts (latentVariablePredictor, inferLatent), notebook 05 part 2.
  f.box("x", "data", 10, 70, 66, 40, "x", "2 frames");
  f.box("enc", "net", 96, 70, 92, 40, "encoder", "each frame");
  f.box("s", "latent", 208, 77, 40, 26, "s");
  f.box("pred", "net", 270, 64, 110, 52, "predictor");
  f.box("z", "zvar", 300, 15, 50, 28, "z");
  f.box("sh", "latent", 404, 77, 54, 26, "ŝ_y");
  f.box("y", "data", 10, 170, 66, 40, "y", "future");
  f.box("enc2", "net", 96, 170, 92, 40, "encoder", "same weights");
  f.box("sy", "latent", 208, 177, 48, 26, "s_y");
  f.box("E", "loss", 480, 118, 120, 50, "E(x, y, z)", "‖ŝ_y − s_y‖²");
  f.box("opt", "search", 420, 8, 270, 42, "minimise E over z", "gradient steps on z only, weights fixed");
  f.arrow(["x.r", "enc.l"]).arrow(["enc.r", "s.l"]).arrow(["s.r", "pred.l"]).arrow(["z.b", "pred.t"]).arrow(["pred.r", "sh.l"]);
  f.arrow(["y.r", "enc2.l"]).arrow(["enc2.r", "sy.l"]);
  f.arrow(["sh.r", [540, 90], "E.t"]).arrow(["sy.r", [540, 190], "E.b"]);
  f.arrow(["E.r", [650, 143], "opt.b+95"]).arrow(["opt.l", "z.r"]);
  f.text(672, 100, "∂E/∂z", { anchor: "middle", color: style.ink });
  f.box("reg", "loss", 286, 216, 196, 36, "anti-collapse on enc", "VICReg variance + covariance");
  f.arrow(["sy.b", [232, 234], "reg.l"]);
  f.text(350, 270, "F(x, y) = min_z E(x, y, z).   Training: infer z with the weights fixed, then one weight step on E + anti-collapse.", { color: style.ink, max: 690 });
});

diagram({
  file: "06-planning-loop.svg", width: 700, height: 262,
  title: "Planning with a JEPA world model: model-predictive control in latent space",
  desc: "The current observation and the goal image are encoded to z_t and z_goal. A planner, CEM or MPPI, samples " +
    "N candidate action sequences of H actions, imagines each one's latents by applying the predictor step by " +
    "step from z_t, and scores them by the cost: the summed squared distance of the imagined latents to z_goal. " +
    "CEM refits a Gaussian to the cheapest plans, MPPI weights every plan by exp(-cost / lambda), and both repeat. " +
    "The first actions of the plan are executed in the world, the new observation is encoded and the agent " +
    "plans again (model-predictive control). A short-term memory of recent latents notices when the distance " +
    "to the goal stops shrinking and makes the next plan look further ahead.",
}, (f) => {
  // lib/plan/mpc.ts (runMpc, LatentMemory), cem.ts, mppi.ts, cost.ts (goalDistanceCost).
  f.box("mem", "data", 40, 21, 226, 40, "short-term memory", "recent latents; stuck → look further");
  f.box("obs", "data", 20, 81, 96, 40, "observation", "16×16 image");
  f.box("enc", "net", 132, 81, 76, 40, "encoder");
  f.box("zt", "latent", 222, 88, 44, 26, "z_t");
  f.box("goal", "data", 20, 139, 96, 40, "goal image");
  f.box("enc2", "net", 132, 139, 76, 40, "encoder");
  f.box("zg", "latent", 218, 146, 52, 26, "z_{goal}");
  f.arrow(["obs.r", "enc.l"]).arrow(["enc.r", "zt.l"]).arrow(["goal.r", "enc2.l"]).arrow(["enc2.r", "zg.l"]);
  f.group("search", 284, 6, 310, 226, "planner: CEM or MPPI");
  f.box("samp", "search", 298, 28, 244, 26, "N candidate plans a_1 … a_H");
  const chain = [{ id: "p1", x: 298 }, { id: "h1", x: 356, pill: "ẑ_1" }, { id: "p2", x: 404 }, { id: "h2", x: 462, pill: "ẑ_2" }, { id: "hH", x: 530, pill: "ẑ_H" }];
  for (const c of chain) {
    if (c.pill) f.box(c.id, "latent", c.x, 89, 40, 24, c.pill);
    else f.box(c.id, "net", c.x, 86, 46, 30, "pred");
  }
  f.text(515, 106, "⋯", { size: 14, color: style.ink });
  f.box("cost", "loss", 298, 140, 272, 38, "cost = Σ_t ‖ẑ_t − z_{goal}‖²", "imagined latents vs the goal's");
  f.text(300, 200, "CEM: refit a Gaussian to the cheapest plans", { anchor: "start", max: 285 });
  f.text(300, 216, "MPPI: weight every plan by e^{−cost/λ}; repeat", { anchor: "start", max: 285 });
  f.arrow([[321, 54], "p1.t"]).arrow([[427, 54], "p2.t"]);
  f.text(316, 70, "a_1", { anchor: "end", color: style.ink }).text(422, 70, "a_2", { anchor: "end", color: style.ink });
  f.arrow(["zt.r", "p1.l"]).arrow(["zt.t", "mem.b+91"]).arrow(["mem.r", "samp.l"]);
  f.arrow(["p1.r", "h1.l"]).arrow(["h1.r", "p2.l"]).arrow(["p2.r", "h2.l"]);
  for (const h of ["h1", "h2", "hH"]) f.arrow([`${h}.b`, [f.point(`${h}.b`)[0], 140]]);
  f.arrow(["zg.r", "cost.l"]);
  f.arrow(["cost.r", [577, 159], [577, 41], "samp.r"]);
  f.text(580, 100, "refit", { rotate: 90, color: style.ink });
  f.box("world", "data", 610, 150, 82, 46, "world", "first actions");
  f.arrow([[594, 173], "world.l"]);
  f.arrow(["world.b", [651, 248], [8, 248], [8, 101], "obs.l"]);
  f.text(330, 243, "new observation: encode it and plan again (model-predictive control)", { color: style.ink, max: 600 });
});

diagram({
  file: "07-video-jepa.svg", width: 700, height: 262,
  title: "A masked video JEPA: predict the hidden tubelets of a clip, measure surprise",
  desc: "A clip of k = 4 frames of 16 by 16 pixels is cut into 64 tubelets, one frame by 4 by 4 pixels each. The mask " +
    "always hides the newest frame, and in half the clips also a tube: the same spatial blocks in every frame. " +
    "The hidden tubelets are the prediction targets. The encoder embeds each visible tubelet on its own. The " +
    "target encoder, an exponential moving average of the encoder's weights, embeds every tubelet and gets no " +
    "gradient. The predictor gets the visible embeddings and, at each hidden position, a mask token plus a " +
    "learned position, mixes them with space-time convolutions and predicts the target embeddings. The loss is " +
    "the prediction error on the hidden tubelets, plus a variance term on the embeddings. At test time the " +
    "largest patch error of the newest frame is the model's surprise: it spikes at a teleport or a vanishing.",
}, (f) => {
  // lib/models/masked-video-jepa.ts (maskedVideoJepa), lib/data/masks.ts (tubeMask, nextFrameMask).
  f.text(49, 56, "clip: 4 frames", { color: style.ink });
  const tube = ["cccccc", "cttccc", "cttcct", "ccccct", "cccccc", "cttccc"];
  const newest = ["tttttt", "tttttt", "tttttt", "tttttt", "tttttt", "tttttt"];
  [[30, 62, tube], [22, 70, tube], [14, 78, newest]].forEach(([x, y, g]) => f.grid(x, y, 9, g));
  f.text(49, 152, "hidden: newest").text(49, 165, "frame + a tube").text(49, 178, "(half the clips)");
  f.box("ctx", "net", 122, 30, 146, 42, "encoder", "each tubelet alone");
  f.box("tgt", "ema", 122, 176, 146, 42, "target encoder", "EMA copy, all tubelets");
  f.box("pred", "net", 300, 30, 150, 42, "predictor", "space-time conv");
  f.box("pos", "data", 286, 98, 178, 28, "mask tokens + positions");
  f.box("sh", "latent", 474, 38, 54, 26, "ẑ");
  f.box("s", "latent", 474, 184, 54, 26, "z̄");
  f.box("loss", "loss", 556, 30, 134, 42, "prediction error", "hidden tubelets only");
  f.arrow([[84, 90], [102, 90], [102, 51], "ctx.l"]);
  f.arrow([[84, 126], [110, 126], [110, 197], "tgt.l"]);
  f.arrow(["ctx.b", "tgt.t"], { kind: "ema" });
  f.text(200, 128, "EMA", { anchor: "start", color: kinds.ema.stroke });
  f.arrow(["ctx.r", "pred.l"]).arrow(["pos.t", "pred.b"]).arrow(["pred.r", "sh.l"]).arrow(["sh.r", "loss.l"]);
  f.arrow(["tgt.r", "s.l"], { stop: 0.45 }).arrow(["s.r", [681, 197], "loss.b+58"]);
  // Surprise: the largest patch error of the newest frame, over time (a sketch, not data).
  f.text(600, 104, "at test time: largest patch", { color: style.ink });
  f.text(600, 118, "error of the newest frame", { color: style.ink });
  f.raw(`<path d="M548 160L652 160M548 160L548 132" stroke="#888888" stroke-width="1"/>` +
    `<path d="M550 156L560 155L570 157L580 154L590 156L598 155L604 136L610 154L620 156L630 155L640 157L650 155" fill="none" stroke="${kinds.loss.stroke}" stroke-width="1.6"/>`);
  f.text(604, 172, "teleport: surprise", { color: kinds.loss.stroke });
  f.text(350, 248, "Loss on the hidden tubelets (plus a variance term on z); only the predictor knows where they are.", { color: style.ink, max: 690 });
});

diagram({
  file: "08-agent.svg", width: 700, height: 270,
  title: "LeCun's autonomous agent: six modules and their arrows",
  desc: "The configurator sets up the other modules for the task: horizon, cost weights, which planner or level. " +
    "Perception, an encoder, turns the world's observation into a latent z_t. The world model, an action-" +
    "conditioned predictor, imagines the latents that candidate actions lead to. The cost scores them: an " +
    "intrinsic cost that is hard-wired (distance to the goal, effort, pain for bumping into a wall) plus a " +
    "trainable critic that predicts the cost-to-go. The actor searches action sequences with CEM or MPPI over " +
    "the world model to minimise the cost, and sends the first action to the world. The short-term memory keeps " +
    "the episode's (latent, action, cost) triples; the critic learns from it.",
}, (f) => {
  // Issue 14: lib/agent/ (intrinsic cost, critic, short-term memory, configurator), lib/plan (actor).
  f.box("conf", "search", 130, 6, 470, 40, "configurator", "sets the others up: horizon, cost weights, planner or level");
  f.box("world", "data", 8, 96, 74, 44, "world");
  f.box("perc", "net", 112, 96, 112, 44, "perception", "encoder");
  f.box("wm", "net", 268, 96, 130, 44, "world model", "predictor (z, a) → z'");
  f.group("loss", 440, 72, 252, 92, "cost = intrinsic + critic");
  f.box("intr", "loss", 450, 92, 128, 62, "intrinsic", "goal distance,\neffort, pain");
  f.box("critic", "net", 590, 92, 94, 62, "critic", "trainable:\ncost-to-go");
  f.box("actor", "search", 230, 200, 200, 44, "actor", "CEM / MPPI over the world model");
  f.box("mem", "data", 470, 200, 222, 44, "short-term memory", "(latent, action, cost) triples");
  f.arrow(["world.r", "perc.l"]).arrow(["perc.r", "wm.l"]).arrow(["wm.r", [440, 118]]);
  f.text(254, 112, "z_t", { color: style.ink });
  f.text(419, 112, "ẑ", { color: style.ink });
  f.arrow(["actor.t-50", "wm.b-53"]);
  f.text(286, 180, "actions to try", { anchor: "start", color: style.ink });
  f.arrow([[514, 164], [514, 186], [400, 186], "actor.t+70"]);
  f.text(462, 180, "cost of each plan", { color: style.ink });
  f.arrow(["actor.l", [45, 222], "world.b"]);
  f.text(137, 216, "first action a_t", { color: style.ink });
  f.arrow(["actor.r", "mem.l"]);
  f.arrow(["mem.t+56", "critic.b"]);
  f.text(643, 184, "trains", { anchor: "start", color: style.ink });
  for (const to of [[168, 96], [333, 96], [566, 72]]) f.arrow([[to[0], 46], to], { kind: "config" });
  f.arrow([[238, 46], [238, 200]], { kind: "config" });
});

diagram({
  file: "09-hierarchical.svg", width: 700, height: 266,
  title: "Hierarchical planning: a high level proposes subgoals, a low level reaches them",
  desc: "Two levels of abstraction and time. The low-level latent z_t is summarised into a high-level state h_t. " +
    "High level: remembered frames (landmarks, each with its h and z) are linked where the predictor over k-step " +
    "jumps says one jump gets from one to the other. Dijkstra from the goal gives every landmark its cost-to-go; " +
    "every k steps the subgoal is the landmark one jump from h_t with the least cost-to-go, and its latent z* is " +
    "handed down. Low level: the one-step predictor takes z and a primitive action; a planner (CEM) searches k " +
    "primitive actions so that the imagined latents reach z*. The first actions are executed; the low level is " +
    "planned again every few steps, the subgoal every k steps.",
}, (f) => {
  // Issue 14 item 2 (notebook 09); lib/plan/landmark-graph.ts, lib/plan/hierarchical.ts.
  f.box("obs", "data", 6, 178, 90, 44, "observation");
  f.box("enc", "net", 108, 184, 72, 32, "encoder");
  f.box("zt", "latent", 196, 187, 40, 26, "z_t");
  f.box("henc", "net", 84, 48, 112, 40, "high-level\nencoder");
  f.box("ht", "latent", 212, 55, 40, 26, "h_t");
  f.group("search", 268, 8, 424, 104, "high level: search on remembered places, k steps per jump");
  f.box("jp", "net", 280, 48, 84, 40, "jump", "predictor");
  f.box("graph", "data", 380, 48, 92, 40, "landmark", "graph");
  f.box("dij", "search", 488, 48, 84, 40, "Dijkstra", "cost-to-go");
  f.box("sub", "latent", 586, 55, 100, 26, "subgoal z*");
  f.text(426, 36, "edges: one jump", { anchor: "middle", color: style.ink });
  f.group("search", 268, 138, 424, 112, "low level: CEM over primitive actions to the subgoal");
  f.box("lp1", "net", 282, 184, 60, 32, "pred");
  f.box("l1", "latent", 356, 187, 56, 26, "ẑ_{t+1}");
  f.box("lp2", "net", 426, 184, 60, 32, "pred");
  f.text(507, 204, "⋯", { size: 14, color: style.ink });
  f.box("lk", "latent", 528, 187, 56, 26, "ẑ_{t+k}");
  f.box("lcost", "loss", 604, 178, 82, 44, "distance", "to z*");
  f.text(306, 180, "a_t", { anchor: "end", color: style.ink }).text(450, 180, "a_{t+1}", { anchor: "end", color: style.ink });
  f.arrow(["obs.r", "enc.l"]).arrow(["enc.r", "zt.l"]).arrow(["zt.t", [216, 130], [140, 130], "henc.b"]);
  f.arrow(["henc.r", "ht.l"]).arrow(["ht.r", "jp.l"]).arrow(["jp.r", "graph.l"]).arrow(["graph.r", "dij.l"]).arrow(["dij.r", "sub.l"]);
  f.arrow(["zt.r", "lp1.l"]).arrow(["lp1.r", "l1.l"]).arrow(["l1.r", "lp2.l"]).arrow(["lk.r", "lcost.l"]);
  f.arrow([[312, 166], "lp1.t"]).arrow([[456, 166], "lp2.t"]);
  f.arrow(["sub.b", "lcost.t"]);
  f.text(455, 131, "subgoal: the reachable landmark with the least cost-to-go", { anchor: "middle", color: style.ink });
  f.text(480, 244, "execute the first action(s); a new subgoal every k steps", { anchor: "middle", color: style.ink });
});

/** Every diagram as { file, svg }. */
function render() {
  return drawings.map(({ meta, draw }) => {
    const f = new Figure(meta);
    draw(f);
    const svg = f.svg();
    checkXml(svg);
    return { file: meta.file, svg };
  });
}

/**
 * Throws unless `src` is well-formed XML with one root element: balanced, properly nested tags,
 * quoted attributes (none twice), entities that exist. Enough for SVG; no DTDs.
 */
function checkXml(src) {
  const fail = (at, msg) => {
    const before = src.slice(0, at).split("\n");
    throw new Error(`not well-formed XML at line ${before.length}, column ${before[before.length - 1].length + 1}: ${msg}`);
  };
  const entity = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  const stack = [];
  let roots = 0;
  let i = src.startsWith("<?xml") ? src.indexOf("?>") + 2 : 0;
  if (i === 1) fail(0, "unclosed <?xml declaration");
  while (i < src.length) {
    const lt = src.indexOf("<", i);
    const text = src.slice(i, lt < 0 ? src.length : lt);
    const bad = entity.exec(text);
    if (bad) fail(i + bad.index, "a bare & (write &amp;)");
    if (!stack.length && text.trim()) fail(i, "text outside the root element");
    if (lt < 0) break;
    const rest = src.slice(lt);
    let m;
    if (rest.startsWith("<!--")) {
      const end = src.indexOf("-->", lt + 4);
      if (end < 0) fail(lt, "unclosed comment");
      i = end + 3;
    } else if (rest.startsWith("<![CDATA[")) {
      const end = src.indexOf("]]>", lt);
      if (end < 0 || !stack.length) fail(lt, "CDATA outside an element or unclosed");
      i = end + 3;
    } else if ((m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(rest))) {
      const open = stack.pop();
      if (open !== m[1]) fail(lt, open ? `</${m[1]}> closes <${open}>` : `</${m[1]}> closes nothing`);
      i = lt + m[0].length;
    } else if ((m = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(rest))) {
      const names = [...m[2].matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)];
      const seen = new Set();
      for (const a of names) {
        if (seen.has(a[1])) fail(lt, `attribute ${a[1]} twice on <${m[1]}>`);
        seen.add(a[1]);
        if (entity.test(a[2] ?? a[3])) fail(lt, `a bare & in attribute ${a[1]}`);
      }
      if (!stack.length && roots++) fail(lt, "a second root element");
      if (!m[3]) stack.push(m[1]);
      i = lt + m[0].length;
    } else {
      fail(lt, `cannot read the tag starting ${JSON.stringify(rest.slice(0, 30))}`);
    }
  }
  if (stack.length) fail(src.length, `<${stack[stack.length - 1]}> is never closed`);
  if (!roots) fail(0, "no root element");
}

/** Committed files that differ from what this file draws now (or are missing). */
function stale(figs = render()) {
  return figs.filter(({ file, svg }) => {
    const p = path.join(outDir, file);
    return !fs.existsSync(p) || fs.readFileSync(p, "utf8") !== svg;
  }).map((f) => f.file);
}

/**
 * Renders each SVG to test-output/figures/<name>.png in Chromium (as an <img>, the way notebooks show
 * it) and lists text that leaves the box it sits in or overlaps other text: a layout check by eye's
 * proxy. Needs Chromium and playwright-core.
 */
async function renderPngs(figs) {
  const exe = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => p && fs.existsSync(p));
  if (!exe) throw new Error("--png needs Chromium (set CHROMIUM_PATH)");
  const { chromium } = require("playwright-core");
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
  const dir = path.join(root, "test-output", "figures");
  fs.mkdirSync(dir, { recursive: true });
  const problems = [];
  try {
    const page = await browser.newPage({ deviceScaleFactor: 2 });
    for (const { file, svg } of figs) {
      await page.setContent(`<body style="margin:0;background:#fff">${svg}</body>`);
      const found = await page.evaluate(() => {
        const out = [];
        // Glyph boxes include the font's ascent and descent: trim them so stacked lines do not "overlap".
        const trim = (b) => ({ x: b.x, y: b.y + b.height * 0.2, width: b.width, height: b.height * 0.65 });
        // Page boxes (after transforms: rotated labels, the stop mark's rotation).
        const box = (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; };
        const texts = [...document.querySelectorAll("svg text")].map((t) => ({ s: t.textContent, b: trim(box(t)) }));
        const rects = [...document.querySelectorAll("svg rect")].map(box).filter((b) => b.width < 690 && b.width > 20);
        const inside = (b, r) => b.x >= r.x - 0.5 && b.y >= r.y - 0.5 && b.x + b.width <= r.x + r.width + 0.5 && b.y + b.height <= r.y + r.height + 0.5;
        const hits = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        for (const t of texts) {
          const cx = t.b.x + t.b.width / 2;
          const cy = t.b.y + t.b.height / 2;
          const host = rects.filter((r) => cx > r.x && cx < r.x + r.width && cy > r.y && cy < r.y + r.height).sort((p, q) => p.width * p.height - q.width * q.height)[0];
          if (host && !inside(t.b, host)) out.push(`"${t.s}" leaves its box`);
        }
        texts.forEach((a, i) => texts.slice(i + 1).forEach((b) => hits(a.b, b.b) && out.push(`"${a.s}" overlaps "${b.s}"`)));
        return out;
      });
      problems.push(...found.map((p) => `${file}: ${p}`));
      const el = await page.$("svg");
      await el.screenshot({ path: path.join(dir, file.replace(/\.svg$/, ".png")) });
    }
  } finally {
    await browser.close();
  }
  return { dir, problems };
}

async function main(args) {
  const figs = render();
  if (args.includes("--check")) {
    const old = stale(figs);
    if (old.length) {
      console.error(`figures: ${old.join(", ")} differ from scripts/figures.js: run npm run figures`);
      process.exit(1);
    }
    console.log(`figures: ${figs.length} SVGs up to date`);
    return;
  }
  fs.mkdirSync(outDir, { recursive: true });
  for (const { file, svg } of figs) fs.writeFileSync(path.join(outDir, file), svg);
  console.log(`figures: wrote ${figs.length} SVGs to ${path.relative(root, outDir)}/ (${figs.map((f) => `${f.file} ${(f.svg.length / 1024).toFixed(1)} KB`).join(", ")})`);
  if (args.includes("--png")) {
    const { dir, problems } = await renderPngs(figs);
    console.log(`figures: PNGs in ${path.relative(root, dir)}/`);
    problems.forEach((p) => console.log(`  layout: ${p}`));
    if (problems.length) process.exitCode = 1;
  }
}

module.exports = { style, kinds, arrows, Figure, richRuns, textWidth, escapeXml, checkXml, render, stale, outDir };

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`figures: ${err.message}`);
    process.exit(1);
  });
}
