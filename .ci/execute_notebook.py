"""Executes a notebook in a Jupyter kernel, cell by cell, and writes it with its outputs.

Usage: python3 .ci/execute_notebook.py NOTEBOOK.ipynb OUT.ipynb [KERNEL] [CELL_TIMEOUT_S]

Why not `jupyter nbconvert --execute`: nbclient collects a cell's outputs until the kernel reports
`idle` for it, and Deno's kernel (2.x) sometimes publishes a cell's `execute_result` a few
milliseconds after that `idle`, so nbconvert dropped outputs in about half of our runs. This
runner waits for both the reply and `idle`, then keeps reading the cell's late outputs until the
kernel has been quiet for a moment. Outputs are stored as nbconvert stores them.
"""
import queue
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

QUIET_S = 0.5  # how long the kernel must be silent after `idle` before the next cell runs


def run(src: str, dst: str, kernel: str, timeout: float) -> int:
    nb = nbformat.read(src, as_version=4)
    km, kc = start_new_kernel(kernel_name=kernel, cwd=str(Path(src).resolve().parent))
    failures = 0
    try:
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            cell.outputs = []
            msg_id = kc.execute(cell.source, allow_stdin=False)
            idle = False
            deadline = time.monotonic() + timeout
            while True:
                left = deadline - time.monotonic() if not idle else QUIET_S
                if left <= 0:
                    raise TimeoutError(f"cell {index}: no idle status after {timeout} s")
                try:
                    msg = kc.get_iopub_msg(timeout=left)
                except queue.Empty:
                    if idle:
                        break
                    continue
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "status":
                    idle = idle or content["execution_state"] == "idle"
                elif kind == "stream":
                    last = cell.outputs[-1] if cell.outputs else None
                    if last and last.output_type == "stream" and last.name == content["name"]:
                        last.text += content["text"]
                    else:
                        cell.outputs.append(nbformat.v4.new_output("stream", name=content["name"], text=content["text"]))
                elif kind in ("execute_result", "display_data"):
                    out = nbformat.v4.new_output(kind, data=content["data"], metadata=content.get("metadata", {}))
                    if kind == "execute_result":
                        out.execution_count = content.get("execution_count")
                    cell.outputs.append(out)
                elif kind == "error":
                    failures += 1
                    cell.outputs.append(nbformat.v4.new_output(
                        "error", ename=content["ename"], evalue=content["evalue"], traceback=content["traceback"]))
                    print(f"cell {index} failed: {content['ename']}: {content['evalue']}", file=sys.stderr)
            reply = kc.get_shell_msg(timeout=timeout)
            cell.execution_count = reply["content"].get("execution_count")
            if reply["content"].get("status") != "ok" and not any(o.output_type == "error" for o in cell.outputs):
                failures += 1
                print(f"cell {index}: status {reply['content'].get('status')}", file=sys.stderr)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    nbformat.write(nb, dst)
    print(f"executed {src} in kernel '{kernel}' -> {dst}" + (f" ({failures} failed cells)" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(run(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "deno",
                 float(sys.argv[4]) if len(sys.argv) > 4 else 180.0))
