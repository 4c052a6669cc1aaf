"""Converts notebooks and markdown for `npm run book` (scripts/book.js), with nbconvert (no CDN assets).
Reads a JSON job on stdin:
  {"notebooks": [[executed.ipynb, out.html-fragment], ...], "markdown": {"key": "text", ...}}
writes each notebook's cells as an HTML fragment (nbconvert's "basic" template: outputs as they are,
HTML outputs raw, so charts keep their script and PNG fallback), and prints JSON on stdout:
  {"markdown": {"key": "html"}, "pygments_css": "...", "titles": {out: first heading}}
Math ($$...$$, $...$) is left as TeX for book.js to render.
"""
import json
import sys

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune
from pygments.formatters import HtmlFormatter


def first_heading(nb):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


def main():
    job = json.load(sys.stdin)
    exporter = HTMLExporter(template_name="basic")
    titles = {}
    for src, out in job.get("notebooks", []):
        nb = nbformat.read(src, as_version=4)
        body, _ = exporter.from_notebook_node(nb)
        with open(out, "w", encoding="utf-8") as f:
            f.write(body)
        titles[out] = first_heading(nb)
    md = {k: markdown2html_mistune(v) for k, v in job.get("markdown", {}).items()}
    css = HtmlFormatter(style="default").get_style_defs(".highlight")
    json.dump({"markdown": md, "pygments_css": css, "titles": titles}, sys.stdout)


if __name__ == "__main__":
    main()
