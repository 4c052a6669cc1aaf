"""Executes one notebook with nbconvert's ExecutePreprocessor (what `jupyter nbconvert --execute` runs),
writes the executed copy, and on failure names the cell and prints what the kernel wrote for it.
tslab reports a failing cell only as stderr output of that cell, so nbconvert's own message is empty.
Usage: python3 execute_notebook.py NOTEBOOK OUT_PATH KERNEL_NAME TIMEOUT_S
"""
import os
import sys

import nbformat
from nbclient.exceptions import CellExecutionError
from nbconvert.preprocessors import ExecutePreprocessor


def cell_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif out.get("output_type") == "error":
            parts.append("%s: %s" % (out.get("ename"), out.get("evalue")))
            parts.extend(out.get("traceback", []))
    return "".join(parts)


class TrackingExecutor(ExecutePreprocessor):
    """Remembers which cell is executing (tslab sends no execution counts)."""

    current = -1

    def preprocess_cell(self, cell, resources, index):
        self.current = index
        return super().preprocess_cell(cell, resources, index)


def main():
    src, out, kernel, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    nb = nbformat.read(src, as_version=4)
    # A loaded 2-core machine can take over a minute to start tslab (nbclient's default is 60 s).
    startup = int(os.environ.get("NOTEBOOK_STARTUP_TIMEOUT", "300"))
    ep = TrackingExecutor(timeout=timeout, kernel_name=kernel, startup_timeout=startup)
    try:
        ep.preprocess(nb, {"metadata": {"path": "."}})
    except CellExecutionError:
        idx = ep.current
        cell = nb.cells[idx] if idx >= 0 else {"source": "?"}
        first = cell["source"].strip().split("\n")[0] if cell["source"].strip() else ""
        print("FAILED_CELL %d %s" % (idx + 1, first), file=sys.stderr)
        print(cell_text(cell)[-4000:], file=sys.stderr)
        nbformat.write(nb, out)
        sys.exit(1)
    nbformat.write(nb, out)


if __name__ == "__main__":
    main()
