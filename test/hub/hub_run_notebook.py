#!/usr/bin/python3
"""Runs a notebook through a real JupyterHub, as a student of a class would.

Starts Debian's JupyterHub on loopback (DummyAuthenticator, SimpleLocalProcessSpawner,
sqlite in a temporary directory), creates a user, starts the user's single-user server
through the hub's REST API, uploads the notebook with the contents API, starts a kernel
of the given kernelspec, runs every code cell over the kernel's websocket (through the
hub's proxy), and shuts everything down. The kernelspec must be visible to the user's
server: the caller installs it under a prefix and passes JUPYTER_PATH (what a system-wide
`convnote kernel install --prefix /usr/local` does for every user).

    hub_run_notebook.py WORKDIR NOTEBOOK KERNEL_NAME
Prints one JSON line: {"ok": ..., "cells": n, "errors": [...], "outputs": {mime: count},
"kernel": ..., "user": ..., "seconds": ...}.
"""
import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

USER = "student"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(workdir, port, hub_port, api_port, token):
    config = f"""
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.JupyterHub.db_url = "sqlite:///{workdir}/hub.sqlite"
c.JupyterHub.cookie_secret_file = "{workdir}/cookie_secret"
c.JupyterHub.pid_file = "{workdir}/hub.pid"
c.ConfigurableHTTPProxy.pid_file = "{workdir}/proxy.pid"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = "class-password"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{workdir}/home/{{username}}"
c.Spawner.default_url = "/tree"
c.Spawner.cmd = ["/usr/bin/jupyterhub-singleuser"]
c.Spawner.args = ["--allow-root"]
c.Spawner.env_keep = ["PATH", "LANG", "JUPYTER_PATH", "NODE_PATH", "CONVNOTE_BACKEND", "HOME"]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.JupyterHub.services = [{{"name": "course-admin", "api_token": "{token}"}}]
c.JupyterHub.load_roles = [{{
    "name": "course-admin",
    "scopes": ["admin:users", "admin:servers", "access:servers", "list:users", "read:users"],
    "services": ["course-admin"],
}}]
"""
    path = os.path.join(workdir, "jupyterhub_config.py")
    with open(path, "w") as f:
        f.write(config)
    return path


class Hub:
    def __init__(self, base, token):
        self.base = base
        self.token = token
        self.http = AsyncHTTPClient()

    async def call(self, method, path, body=None, ok=(200, 201, 202, 204)):
        request = HTTPRequest(
            self.base + path,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
            body=None if body is None else json.dumps(body),
            allow_nonstandard_methods=True,
            request_timeout=120,
        )
        response = await self.http.fetch(request, raise_error=False)
        if response.code not in ok:
            raise RuntimeError(f"{method} {path}: HTTP {response.code} {response.body[:500]!r}")
        return json.loads(response.body) if response.body else None


async def wait_for(check, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if await check():
                return
        except Exception:
            pass
        await asyncio.sleep(0.5)
    raise TimeoutError(f"timed out after {seconds} s waiting for {what}")


async def run_cells(hub, kernel_id, cells):
    url = hub.base.replace("http://", "ws://") + f"/user/{USER}/api/kernels/{kernel_id}/channels"
    ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {hub.token}"}))
    session = uuid.uuid4().hex
    errors, outputs = [], {}
    for source in cells:
        msg_id = uuid.uuid4().hex
        ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": USER, "session": session,
                       "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": source, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        idle = replied = False
        while not (idle and replied):
            raw = await asyncio.wait_for(ws.read_message(), timeout=600)
            if raw is None:
                raise RuntimeError("the kernel's websocket closed")
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
            elif kind == "execute_reply":
                replied = True
                if msg["content"]["status"] != "ok":
                    errors.append(f'{msg["content"].get("ename")}: {msg["content"].get("evalue")}')
            elif kind in ("execute_result", "display_data", "update_display_data"):
                for mime in msg["content"].get("data", {}):
                    outputs[mime] = outputs.get(mime, 0) + 1
            elif kind == "stream":
                outputs["stream"] = outputs.get("stream", 0) + 1
        if errors:
            break
    ws.close()
    return errors, outputs


async def main(workdir, notebook, kernel_name):
    started = time.time()
    port, hub_port, api_port = free_port(), free_port(), free_port()
    token = secrets.token_hex(16)
    config = write_config(workdir, port, hub_port, api_port, token)
    env = dict(os.environ)
    # Debian's configurable-http-proxy finds its node modules there when node is not Debian's.
    env["NODE_PATH"] = ":".join(p for p in ["/usr/share/nodejs", env.get("NODE_PATH", "")] if p)
    log = open(os.path.join(workdir, "hub.log"), "w")
    hub_process = subprocess.Popen(["/usr/bin/jupyterhub", "-f", config], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
    hub = Hub(f"http://127.0.0.1:{port}", token)
    result = {"ok": False, "user": USER, "kernel": kernel_name}
    try:
        await wait_for(lambda: hub.call("GET", "/hub/api/"), 60, "the hub")
        await hub.call("POST", f"/hub/api/users/{USER}", ok=(201, 409))
        await hub.call("POST", f"/hub/api/users/{USER}/server", ok=(201, 202))

        async def server_ready():
            user = await hub.call("GET", f"/hub/api/users/{USER}")
            return user.get("servers", {}).get("", {}).get("ready")
        await wait_for(server_ready, 120, f"{USER}'s server")
        specs = await hub.call("GET", f"/user/{USER}/api/kernelspecs")
        result["kernelspecs"] = sorted(specs["kernelspecs"])
        with open(notebook) as f:
            content = json.load(f)
        name = os.path.basename(notebook)
        await hub.call("PUT", f"/user/{USER}/api/contents/{name}", {"type": "notebook", "format": "json", "content": content})
        kernel = await hub.call("POST", f"/user/{USER}/api/kernels", {"name": kernel_name})
        cells = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                 for c in content["cells"] if c["cell_type"] == "code"]
        errors, outputs = await run_cells(hub, kernel["id"], cells)
        await hub.call("DELETE", f"/user/{USER}/api/kernels/{kernel['id']}")
        await hub.call("DELETE", f"/hub/api/users/{USER}/server", ok=(202, 204))
        result.update(ok=not errors, cells=len(cells), errors=errors, outputs=outputs)
    except Exception as e:  # reported to the caller with the hub's log tail
        log.flush()
        with open(os.path.join(workdir, "hub.log")) as f:
            tail = f.read()[-3000:]
        result.update(errors=[f"{type(e).__name__}: {e}"], hub_log=tail)
    finally:
        hub_process.terminate()
        try:
            hub_process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            hub_process.kill()
        log.close()
    result["seconds"] = round(time.time() - started, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
