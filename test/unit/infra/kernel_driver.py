# Drives a real kernel through jupyter_client: python kernel_driver.py ROOT STEPS_JSON, where each step is
# {"write": {relpath: text}, "code": "...", "interrupt_on": "text"}; prints one JSON list of
# {stdout, stderr, result, error, status}, status being the kernel's execute_reply status ("ok", "error",
# or "abort" for a cell it refused to run), or "dead" when the kernel process died during the cell.
# "interrupt_on": interrupt the kernel (as Kernel -> Interrupt does) once the cell's stdout shows that text.
# The kernelspec "mini-jepa-test" must be on JUPYTER_PATH.
import json, os, queue, sys, time
from jupyter_client.manager import KernelManager
root, steps = sys.argv[1], json.loads(sys.argv[2])
km = KernelManager(kernel_name="mini-jepa-test")
km.start_kernel(cwd=root)
kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=60)
results = []
try:
    for step in steps:
        for rel, text in step.get("write", {}).items():
            with open(os.path.join(root, rel), "w") as f: f.write(text)
        if step.get("write"): time.sleep(1.5)   # let the file watchers fire
        if results and results[-1]["status"] == "error": time.sleep(0.5)   # tslab aborts cells sent < 200 ms after an error
        out = {"stdout": "", "stderr": "", "result": None, "error": None, "status": None}
        msg_id = kc.execute(step["code"])
        interrupt_on, t0 = step.get("interrupt_on"), time.time()
        while True:
            try:
                m = kc.get_iopub_msg(timeout=1)
            except queue.Empty:
                if not km.is_alive(): out["status"] = "dead"; break
                if time.time() - t0 > 60: raise TimeoutError("no reply within 60 s")
                continue
            if m["parent_header"].get("msg_id") != msg_id: continue
            t, c = m["msg_type"], m["content"]
            if t == "stream": out[c["name"]] += c["text"]
            elif t == "execute_result": out["result"] = c["data"].get("text/plain")
            elif t == "error": out["error"] = c["ename"] + ": " + c["evalue"]
            elif t == "status" and c["execution_state"] == "idle": break
            if interrupt_on and interrupt_on in out["stdout"]:
                km.interrupt_kernel(); interrupt_on = None
        while out["status"] is None:
            reply = kc.get_shell_msg(timeout=60)
            if reply["parent_header"].get("msg_id") == msg_id: out["status"] = reply["content"]["status"]
        results.append(out)
        if out["status"] == "dead": break
finally:
    kc.stop_channels(); km.shutdown_kernel(now=True)
print(json.dumps(results))
