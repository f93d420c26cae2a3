"""Drives one Jupyter kernel through jupyter_client for the mocha tests.

Usage: python3 kernel_driver.py KERNEL_NAME [CWD]
Reads one JSON command per line on stdin and answers one JSON line on stdout.
The first line written is {"ready": ...} once the kernel answered kernel_info.
"""

import json
import os
import re
import signal
import socket
import sys
import time
from queue import Empty

from jupyter_client.manager import KernelManager
from jupyter_client.session import Session


def send(obj):
    sys.stdout.write(json.dumps(obj, default=str) + "\n")
    sys.stdout.flush()


LONG_TEXT = 100_000


def shorten(value):
    """Cuts very long strings (the inlined plotly.js library is about 5 MB) so answers stay small."""
    if isinstance(value, str) and len(value) > LONG_TEXT:
        return value[:LONG_TEXT] + f"...[{len(value) - LONG_TEXT} more characters]"
    if isinstance(value, dict):
        return {k: shorten(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shorten(v) for v in value]
    return value


def slim(msg):
    return {
        "msg_type": msg["header"]["msg_type"],
        "parent_id": msg["parent_header"].get("msg_id"),
        "content": shorten(msg["content"]),
    }


class Driver:
    def __init__(self, kernel_name, cwd):
        self.km = KernelManager(kernel_name=kernel_name)
        started = time.monotonic()
        self.km.start_kernel(cwd=cwd)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)
        self.startup_s = time.monotonic() - started
        self.iopub = {}  # parent msg_id -> [messages]
        self.replies = {}  # parent msg_id -> shell reply

    # -- message pumps ---------------------------------------------------
    def pump(self, timeout):
        """Moves whatever arrives within `timeout` seconds into the per-parent stores."""
        got = False
        for get, is_shell in ((self.kc.get_iopub_msg, False), (self.kc.get_shell_msg, True)):
            while True:
                try:
                    msg = get(timeout=0 if got else timeout)
                except Empty:
                    break
                got = True
                parent = msg["parent_header"].get("msg_id")
                if is_shell:
                    self.replies[parent] = msg
                else:
                    self.iopub.setdefault(parent, []).append(msg)
        return got

    def finished(self, msg_id):
        if msg_id not in self.replies:
            return False
        return any(
            m["header"]["msg_type"] == "status" and m["content"]["execution_state"] == "idle"
            for m in self.iopub.get(msg_id, [])
        )

    def collect(self, msg_id, timeout):
        started = time.monotonic()
        deadline = started + timeout
        while not self.finished(msg_id):
            if time.monotonic() > deadline:
                return {
                    "timeout": True,
                    "msg_id": msg_id,
                    "outputs": [slim(m) for m in self.iopub.get(msg_id, [])],
                }
            self.pump(0.05)
        reply = self.replies.pop(msg_id)
        outputs = [slim(m) for m in self.iopub.pop(msg_id, [])]
        return {
            "timeout": False,
            "msg_id": msg_id,
            "reply": reply["content"],
            "reply_type": reply["header"]["msg_type"],
            "outputs": outputs,
            "elapsed_s": time.monotonic() - started,
        }

    # -- commands ----------------------------------------------------------
    def cmd_execute(self, code, timeout=60, **options):
        msg_id = self.kc.execute(code, **options)
        return self.collect(msg_id, timeout)

    def cmd_submit(self, code, **options):
        return {"msg_id": self.kc.execute(code, **options)}

    def cmd_collect(self, msg_id, timeout=60):
        return self.collect(msg_id, timeout)

    def cmd_request(self, method, timeout=30, **args):
        """complete / inspect / is_complete / history / kernel_info / comm_info on the shell channel."""
        msg_id = getattr(self.kc, method)(**args)
        return self.collect(msg_id, timeout)

    def cmd_wait_for_output(self, msg_id, pattern, timeout=60):
        """Waits until the request's output (a stream, or a display's text/plain) matches `pattern`."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern)
        while time.monotonic() < deadline:
            for m in self.iopub.get(msg_id, []):
                content = m["content"]
                text = content.get("text") or content.get("data", {}).get("text/plain", "")
                if regex.search(text):
                    return {"found": True}
            if msg_id in self.replies:
                break
            self.pump(0.05)
        return {"found": False, "outputs": [slim(m) for m in self.iopub.get(msg_id, [])]}

    def cmd_interrupt(self):
        self.km.interrupt_kernel()
        return {}

    def cmd_sigint(self):
        os.kill(self.km.provisioner.process.pid, signal.SIGINT)
        return {}

    def cmd_interrupt_until_done(self, msg_id, via="interrupt", every=0.5, first_delay=0.0, timeout=30):
        """Interrupts the running request (again every `every` s, in case one lands
        before the cell started) until it is answered; measures the last interrupt's latency."""
        deadline = time.monotonic() + timeout
        # Wait until the cell has been taken up (execute_input is published first).
        while time.monotonic() < deadline and not any(
            m["header"]["msg_type"] == "execute_input" for m in self.iopub.get(msg_id, [])
        ):
            self.pump(0.02)
        time.sleep(first_delay)
        sent = 0
        last = None
        while time.monotonic() < deadline and msg_id not in self.replies:
            if last is None or time.monotonic() - last >= every:
                if via == "sigint":
                    os.kill(self.km.provisioner.process.pid, signal.SIGINT)
                else:
                    self.km.interrupt_kernel()
                sent += 1
                last = time.monotonic()
            self.pump(0.01)
        latency = time.monotonic() - last if last is not None else None
        result = self.collect(msg_id, max(0.5, deadline - time.monotonic()))
        result["interrupts_sent"] = sent
        result["latency_s"] = latency
        return result

    def cmd_forged(self, code, mode, wait=1.0):
        """Sends an execute_request with a wrong or missing signature; reports whether anything answered."""
        key = b"not-the-connection-key" if mode == "wrong" else b""
        session = Session(key=key, username="forger")
        msg = session.msg("execute_request", {
            "code": code, "silent": False, "store_history": True,
            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True,
        })
        session.send(self.kc.shell_channel.socket, msg)
        msg_id = msg["header"]["msg_id"]
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            self.pump(0.05)
        return {
            "msg_id": msg_id,
            "replied": msg_id in self.replies,
            "iopub": [slim(m) for m in self.iopub.get(msg_id, [])],
        }

    def cmd_raw_shell(self, msg_type, content=None, timeout=10):
        """Any message on the shell channel, content as given (e.g. a malformed request)."""
        msg = self.kc.session.msg(msg_type, content or {})
        self.kc.shell_channel.send(msg)
        return self.collect(msg["header"]["msg_id"], timeout)

    def cmd_raw_control(self, msg_type, content=None, timeout=10):
        """A request on the control channel (e.g. kernel_info_request while a cell blocks)."""
        msg = self.kc.session.msg(msg_type, content or {})
        self.kc.control_channel.send(msg)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                reply = self.kc.get_control_msg(timeout=0.1)
            except Empty:
                continue
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                return {"reply": reply["content"], "reply_type": reply["header"]["msg_type"]}
        return {"timeout": True}

    def cmd_outputs(self, msg_id, wait=0.5):
        """iopub messages for msg_id that arrived after its reply (e.g. from a timer the cell started)."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            self.pump(0.05)
        return {"outputs": [slim(m) for m in self.iopub.pop(msg_id, [])]}

    def cmd_replay(self, first, second, wait=1.0):
        """Sends a signed kernel_info_request on channel `first`, then the very same frames on `second`."""
        channels = {"shell": self.kc.shell_channel, "control": self.kc.control_channel}
        readers = {"shell": self.kc.get_shell_msg, "control": self.kc.get_control_msg}
        msg = self.kc.session.msg("kernel_info_request", {})
        frames = self.kc.session.serialize(msg)
        msg_id = msg["header"]["msg_id"]
        answers = {"first": 0, "second": 0}
        for which, name in (("first", first), ("second", second)):
            channels[name].socket.send_multipart(frames)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and not (which == "first" and answers["first"]):
                try:
                    reply = readers[name](timeout=0.1)
                except Empty:
                    continue
                if reply["parent_header"].get("msg_id") == msg_id:
                    answers[which] += 1
        return answers

    def cmd_flood_forged(self, count):
        """`count` execute_requests signed with the wrong key, as fast as the socket takes them."""
        session = Session(key=b"not-the-connection-key", username="forger")
        for _ in range(count):
            msg = session.msg("execute_request", {"code": "1", "silent": False})
            session.send(self.kc.shell_channel.socket, msg)
        return {"sent": count}

    def cmd_flood_stdin(self, big_bytes, count, each_bytes):
        """One message of big_bytes, then count messages of each_bytes, unsigned, on the stdin channel."""
        socket = self.kc.stdin_channel.socket
        socket.send_multipart([b"<IDS|MSG>", b"", b"x" * big_bytes])
        chunk = b"y" * each_bytes
        for _ in range(count):
            socket.send_multipart([b"<IDS|MSG>", b"", b"{}", b"{}", b"{}", chunk])
        return {"sent": big_bytes + count * each_bytes}

    def cmd_heartbeat(self):
        return {"beating": self.kc.hb_channel.is_beating()}

    def cmd_pid(self):
        return {"pid": self.km.provisioner.process.pid}

    def cmd_rss_kb(self):
        with open(f"/proc/{self.km.provisioner.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return {"rss_kb": int(line.split()[1])}
        return {"rss_kb": None}

    def cmd_restart(self):
        old = self.km.provisioner.process.pid
        self.km.restart_kernel(now=False)
        self.kc.wait_for_ready(timeout=120)
        self.iopub.clear()
        self.replies.clear()
        return {"old_pid": old, "pid": self.km.provisioner.process.pid}

    def ports(self):
        info = self.km.get_connection_info()
        return [info[k] for k in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]

    def cmd_shutdown(self):
        ports = self.ports()
        pid = self.km.provisioner.process.pid
        self.kc.stop_channels()
        started = time.monotonic()
        self.km.shutdown_kernel(now=False)
        elapsed = time.monotonic() - started
        free = []
        for port in ports:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            # What another kernel would do to take the port: fails only while something listens.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
                s.listen(1)
                free.append(True)
            except OSError:
                free.append(False)
            finally:
                s.close()
        return {"pid": pid, "ports": ports, "ports_free": free, "alive": self.km.is_alive(), "elapsed_s": elapsed}


def main():
    kernel_name = sys.argv[1]
    cwd = sys.argv[2] if len(sys.argv) > 2 else os.getcwd()
    driver = Driver(kernel_name, cwd)
    send({"ready": True, "startup_s": driver.startup_s, "pid": driver.km.provisioner.process.pid})
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        command = json.loads(line)
        name = command.pop("cmd")
        try:
            result = getattr(driver, "cmd_" + name)(**command)
        except Exception as error:  # reported to the test, which fails with it
            result = {"driver_error": f"{type(error).__name__}: {error}"}
        send(result)
        if name == "shutdown":
            break
    else:
        # stdin closed without a shutdown: do not leave the kernel behind
        if driver.km.has_kernel:
            driver.kc.stop_channels()
            driver.km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
