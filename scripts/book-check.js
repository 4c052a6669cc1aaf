#!/usr/bin/env node
// Opens a built book (npm run book) in headless Chromium through a static server on 127.0.0.1, as a
// reader would, and checks:
//   - the index: its notebook map links every notebook page, and every local link of the site resolves;
//   - two notebook pages (the first two whose outputs hold charts): every chart drew with plotly.js
//     (data-drawn="1", no draw error, an SVG with marks), every picture loaded, math rendered without
//     KaTeX errors, prev/next links; no page error; no request leaves 127.0.0.1;
//   - the same pages with JavaScript off: every chart shows its PNG fallback.
// Screenshots go to test-output/book-screenshots/.
//   node scripts/book-check.js [book dir]    (default book/)
const { spawn } = require("child_process");
const fs = require("fs");
const net = require("net");
const path = require("path");
const j = require("./jupyter.js");

const limits = { page: 60000, charts: 60000 };
const shotDir = path.join(j.root, "test-output", "book-screenshots");

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForServer(url, ms) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`static server did not answer at ${url}`);
}

/** Every local href/src of the built site that points at a file which does not exist. */
function brokenLinks(dir) {
  const broken = [];
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".html"))) {
    const html = fs.readFileSync(path.join(dir, f), "utf8").replace(/<script[\s\S]*?<\/script>/g, "");
    for (const m of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
      const url = m[1];
      if (/^(https?:|mailto:|data:|#)/.test(url)) continue;
      const file = decodeURIComponent(url.split("#")[0].split("?")[0]);
      if (file && !fs.existsSync(path.join(dir, file))) broken.push(`${f}: ${url}`);
    }
  }
  return broken;
}

/** Pages whose executed notebook holds charts, in the book's order (from the index). */
function pagesWithCharts(dir) {
  const index = fs.readFileSync(path.join(dir, "index.html"), "utf8");
  const linked = [...index.matchAll(/<td><a href="([^"]+\.html)">/g)].map((m) => m[1]);
  return linked.filter((p) => (fs.readFileSync(path.join(dir, p), "utf8").match(/class="mj-figure"/g) || []).length > 0);
}

async function checkPage(context, base, rel, { js }) {
  const problems = [];
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}/${rel}`, { waitUntil: "load", timeout: limits.page });
  const figures = await page.$$eval(".mj-figure", (els) => els.length);
  if (js) {
    await page.waitForFunction(() => [...document.querySelectorAll(".mj-figure")].every((el) => el.dataset.drawn || el.dataset.drawError),
      null, { timeout: limits.charts }).catch(() => {});
    const state = await page.$$eval(".mj-figure", (els) => els.map((el) => ({
      drawn: el.dataset.drawn === "1", error: el.dataset.drawError || null,
      marks: el.querySelectorAll(".main-svg path, .main-svg .point, .main-svg image, .main-svg rect.bg").length })));
    state.forEach((s, i) => {
      if (!s.drawn) problems.push(`chart ${i + 1} did not draw${s.error ? `: ${s.error}` : ""}`);
      else if (!s.marks) problems.push(`chart ${i + 1} drew an empty SVG`);
    });
    const mathErrors = await page.$$eval(".katex-error", (els) => els.map((e) => e.textContent));
    mathErrors.forEach((t) => problems.push(`math did not render: ${t.slice(0, 80)}`));
  } else {
    const fallbacks = await page.$$eval(".mj-figure img.mj-static", (els) => els.map((img) => img.complete && img.naturalWidth > 0));
    if (fallbacks.length !== figures) problems.push(`${fallbacks.length} PNG fallback(s) for ${figures} chart(s)`);
    fallbacks.forEach((ok, i) => !ok && problems.push(`PNG fallback ${i + 1} did not load`));
  }
  const images = await page.$$eval("main img", (els) => els.filter((i) => !i.closest(".mj-figure")).map((i) => ({ src: i.getAttribute("src").slice(0, 60), ok: i.complete && i.naturalWidth > 0 })));
  images.filter((i) => !i.ok).forEach((i) => problems.push(`picture did not load: ${i.src}`));
  errors.forEach((e) => problems.push(`page error: ${e.slice(0, 160)}`));
  fs.mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: path.join(shotDir, `${rel.replace(/\.html$/, "")}${js ? "" : ".no-js"}.png`), fullPage: true });
  await page.close();
  return { figures, images: images.length, problems };
}

async function main() {
  const dir = path.resolve(process.argv[2] || path.join(j.root, "book"));
  if (!fs.existsSync(path.join(dir, "index.html"))) throw new Error(`${dir}/index.html missing: npm run book first`);
  const exe = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => p && fs.existsSync(p));
  if (!exe) throw new Error("no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)");
  const found = j.findJupyterPython();
  const port = await freePort();
  const server = spawn(found ? found.python : "python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", dir], { stdio: "ignore" });
  const base = `http://127.0.0.1:${port}`;
  const results = [];
  const report = (label, problems, what) => {
    results.push(!problems.length);
    console.log(`${problems.length ? "FAIL" : "ok  "} ${label}${what ? `: ${what}` : ""}`);
    problems.forEach((p) => console.log(`     ${p}`));
  };
  const { chromium } = require("playwright-core");
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"] });
  try {
    await waitForServer(`${base}/index.html`, 20000);
    const outside = [];
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    await context.route("**/*", (route) => {
      const u = new URL(route.request().url());
      if (u.hostname !== "127.0.0.1") {
        outside.push(u.href);
        return route.abort();
      }
      return route.continue();
    });
    const broken = brokenLinks(dir);
    const index = await checkPage(context, base, "index.html", { js: true });
    const rows = await (async () => {
      const p = await context.newPage();
      await p.goto(`${base}/index.html`);
      const n = await p.$$eval("table.map tbody tr", (trs) => trs.map((tr) => !!tr.querySelector("td a")));
      await p.close();
      return n;
    })();
    const unlinked = rows.filter((x) => !x).length;
    report("index.html", [...index.problems, ...broken.map((b) => `broken link ${b}`), ...(rows.length ? [] : ["no notebook map"]),
      ...(unlinked ? [`${unlinked} notebook(s) of the map have no page`] : [])], `${rows.length} notebook(s) in the map, ${broken.length} broken link(s) in the site`);
    const pages = pagesWithCharts(dir).slice(0, 2);
    if (pages.length < 2) report("two notebook pages with charts", [`only ${pages.length} page(s) with charts in ${dir}`]);
    for (const rel of pages) {
      const r = await checkPage(context, base, rel, { js: true });
      const nav = await (async () => {
        const p = await context.newPage();
        await p.goto(`${base}/${rel}`);
        const links = await p.$$eval("nav.top a", (as) => as.map((a) => a.getAttribute("href")));
        await p.close();
        return links;
      })();
      const navProblems = nav.includes("index.html") ? [] : ["no link back to the contents"];
      report(rel, [...r.problems, ...navProblems], `${r.figures} chart(s), ${r.images} picture(s), nav: ${nav.join(" ")}`);
    }
    await context.close();
    const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
    await noJs.route("**/*", (route) => (new URL(route.request().url()).hostname === "127.0.0.1" ? route.continue() : (outside.push(route.request().url()), route.abort())));
    for (const rel of pages) {
      const r = await checkPage(noJs, base, rel, { js: false });
      report(`${rel} without JavaScript`, r.problems, `${r.figures} PNG fallback(s)`);
    }
    await noJs.close();
    report("no request left 127.0.0.1", [...new Set(outside)].map((u) => `requested ${u}`));
  } finally {
    await browser.close();
    server.kill();
  }
  const failed = results.filter((x) => !x).length;
  console.log(`book check: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

module.exports = { brokenLinks, pagesWithCharts };

if (require.main === module) {
  main().catch((err) => {
    console.error(`book check: ${err.message}`);
    process.exit(1);
  });
}
