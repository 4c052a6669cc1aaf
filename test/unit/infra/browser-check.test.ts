// The browser check's own logic, without a browser: what it expects from an executed notebook, which
// Jupyter front ends it opens and how it starts their servers.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const bc = require(path.resolve(__dirname, "../../../scripts/browser-check.js"));

const chartOutput = (id: string) => ({
  output_type: "display_data",
  data: { "text/html": [`<div id="${id}" class="mj-figure"><img class="mj-static" src="data:image/png;base64,AA"></div>\n`, "<script>...</script>"], "image/png": "AA", "text/plain": "[chart]" },
  metadata: {},
});

test("expectations count charts, static pictures, cells and error outputs of an executed notebook", () => {
  const nb = {
    cells: [
      { cell_type: "markdown", source: "# t" },
      { cell_type: "code", outputs: [chartOutput("mj-1"), { output_type: "stream", name: "stdout", text: "hi" }] },
      { cell_type: "code", outputs: [chartOutput("mj-2"), { output_type: "display_data", data: { "image/png": "AA", "text/plain": "x" } }] },
      { cell_type: "code", outputs: [{ output_type: "display_data", data: { "text/html": "<table></table>" } }] },
      { cell_type: "code", outputs: [{ output_type: "error", ename: "TypeError", evalue: "x is not a function\nmore", traceback: [] }] },
    ],
  };
  assert.deepEqual(bc.expectations(nb), { cells: 5, charts: 2, images: 1, errors: ["cell 5: TypeError: x is not a function"] });
});

test("front ends: JupyterLab at /lab/tree, Notebook 7 and Notebook 6 at /notebooks, each with its page structure", () => {
  const both = bc.frontEndsFrom({ notebook: "7.6.3", jupyterlab: true });
  assert.deepEqual(both.map((f: { name: string; flavour: string; module: string }) => [f.name, f.flavour, f.module]),
    [["lab", "jp", "jupyterlab"], ["notebook", "jp", "notebook"]]);
  assert.equal(both[0].url("notebooks/00-setup.ipynb"), "/lab/tree/notebooks/00-setup.ipynb?reset");
  assert.equal(both[1].url("notebooks/00-setup.ipynb"), "/notebooks/notebooks/00-setup.ipynb");
  const classic = bc.frontEndsFrom({ notebook: "6.4.12", jupyterlab: false });
  assert.deepEqual(classic.map((f: { name: string; flavour: string }) => [f.name, f.flavour]), [["notebook", "classic"]]);
  assert.deepEqual(bc.frontEndsFrom({ notebook: null, jupyterlab: true }).map((f: { name: string }) => f.name), ["lab"]);
  assert.deepEqual(bc.frontEndsFrom({ notebook: null, jupyterlab: false }), []);
});

test("BROWSER_UI picks front ends and names a bad one", () => {
  const all = bc.frontEndsFrom({ notebook: "7.0.0", jupyterlab: true });
  assert.deepEqual(bc.pickFrontEnds(all, undefined).map((f: { name: string }) => f.name), ["lab", "notebook"]);
  assert.deepEqual(bc.pickFrontEnds(all, "notebook").map((f: { name: string }) => f.name), ["notebook"]);
  assert.throws(() => bc.pickFrontEnds(all, "lab,classic"), /BROWSER_UI: unknown front end classic \(expected lab, notebook\)/);
});

test("server arguments: 127.0.0.1, the chosen port and no other, the package root; ServerApp options for jupyter_server", () => {
  const [lab, nb7] = bc.frontEndsFrom({ notebook: "7.6.3", jupyterlab: true });
  const [nb6] = bc.frontEndsFrom({ notebook: "6.4.12", jupyterlab: false });
  assert.deepEqual(bc.serverArgs(lab, 8123, "/pkg", false), ["-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
    "--ServerApp.port=8123", "--ServerApp.port_retries=0", "--ServerApp.root_dir=/pkg", "--ServerApp.open_browser=False"]);
  assert.equal(bc.serverArgs(nb7, 8123, "/pkg", true)[1], "notebook");
  assert.ok(bc.serverArgs(nb7, 8123, "/pkg", true).includes("--allow-root"));
  assert.deepEqual(bc.serverArgs(nb6, 8123, "/pkg", false), ["-m", "notebook", "--no-browser", "--ip=127.0.0.1", "--port=8123",
    "--port-retries=0", "--notebook-dir=/pkg"]);
});

test("settings for JupyterLab / Notebook 7 attach every cell and never autosave", () => {
  assert.equal(bc.labSettings["@jupyterlab/notebook-extension/tracker.jupyterlab-settings"].windowingMode, "none");
  assert.equal(bc.labSettings["@jupyterlab/docmanager-extension/plugin.jupyterlab-settings"].autosave, false);
});

// The whole check on crafted notebooks, in one front end: a drawn chart passes; a chart whose plotly.js
// cannot load, an error output and an error on stderr each fail with the reason.
import * as fs from "fs";
import { spawnSync } from "child_process";
import { figureToPng, closeChromium, findChromium, interactiveHtml, lineChart } from "../../../lib/viz";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const jupyter = require(path.resolve(__dirname, "../../../scripts/jupyter.js"));

const root = path.resolve(__dirname, "../../..");
const canRun = !!findChromium() && !!jupyter.findJupyterPython();

function notebook(cells: object[][], markdown?: string): object {
  const md = markdown ? [{ cell_type: "markdown", id: "md", metadata: {}, source: markdown }] : [];
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: "mini-jepa", display_name: "TypeScript (mini-jepa)", language: "typescript" } },
    cells: [...cells.map((outputs, i) => ({ cell_type: "code", id: `c${i}`, execution_count: i + 1, metadata: {}, source: `cell${i}`, outputs })), ...md],
  };
}

test("the browser check passes a drawn chart and a drawn figure; names a chart that cannot draw, a missing figure, an error output, stderr errors",
  { skip: !canRun && "needs Chromium and Jupyter", timeout: 900000 }, async () => {
    const fig = lineChart([{ name: "up", y: [0, 1, 4, 9] }], { width: 320, height: 200, title: "selftest" });
    const png = (await figureToPng(fig)).toString("base64");
    await closeChromium();
    const chart = (html: string) => ({ output_type: "display_data", metadata: {}, data: { "text/html": html, "image/png": png, "text/plain": "[selftest]" } });
    const dir = path.join(root, "test-output", "browser-selftest");
    fs.mkdirSync(dir, { recursive: true });
    const good = path.join(dir, "good.ipynb");
    const broken = path.join(dir, "broken.ipynb");
    const errors = path.join(dir, "errors.ipynb");
    // A model diagram linked from markdown as notebooks do (figures/ beside the notebook's source).
    fs.writeFileSync(good, JSON.stringify(notebook([[chart(interactiveHtml(fig, png))]], "![The mini JEPA](figures/03-mini-jepa.svg)")));
    fs.writeFileSync(broken, JSON.stringify(notebook([[chart(interactiveHtml(fig, png).replace("plotly.js-dist/plotly.js", "plotly.js-dist/missing.js"))]])));
    fs.writeFileSync(errors, JSON.stringify(notebook([
      [{ output_type: "stream", name: "stderr", text: "Error: boom on stderr\n" }],
      [{ output_type: "error", ename: "TypeError", evalue: "made to fail", traceback: ["TypeError: made to fail"] }],
    ], "![a diagram nobody drew](figures/no-such-figure.svg)")));
    const fe = bc.frontEnds(jupyter.findJupyterPython().python)[0];
    const r = spawnSync(process.execPath, [path.join(root, "scripts/browser-check.js"), good, broken, errors], {
      cwd: root, encoding: "utf8", env: { ...process.env, BROWSER_UI: fe.name },
    });
    const out = r.stdout + r.stderr;
    assert.equal(r.status, 1, out);
    assert.match(out, /ok {3}test-output\/browser-selftest\/good\.ipynb \[\w+\]: 1\/1 chart\(s\) drawn, 0 picture\(s\), 1\/1 figure\(s\) drawn/);
    assert.match(out, /FAIL test-output\/browser-selftest\/broken\.ipynb .*\n.*only 0 of 1 chart\(s\) drew interactively/);
    assert.match(out, /chart 1 did not draw interactively: plotly\.js did not load from http:\/\/127\.0\.0\.1:\d+\/files\/node_modules\/plotly\.js-dist\/missing\.js/);
    assert.match(out, /FAIL test-output\/browser-selftest\/errors\.ipynb .*\n\s+error output in cell 2: TypeError: made to fail/);
    assert.match(out, /a cell shows an error: Error: boom on stderr/);
    assert.match(out, /markdown links figures\/no-such-figure\.svg, which is not at notebooks\/figures\/no-such-figure\.svg/);
    assert.match(out, /figure figures\/no-such-figure\.svg did not load \(naturalWidth 0/);
    assert.match(out, /ok {3}test-output\/browser-untrusted\/good\.ipynb \[\w+, untrusted\]: 1 chart\(s\) show their PNG fallback/);
    assert.match(out, /browser: 2 passed, 2 failed/);
  });
