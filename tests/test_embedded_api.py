"""The embedded Prefect API the CLI starts when no PREFECT_API_URL is set (the quick start's path).

Runs in a child process with PREFECT_API_URL unset, so the session's test harness is not touched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from conftest import REPO

CHILD = textwrap.dedent("""
    import json, os, urllib.request, urllib.error
    from prefect import flow
    from flows.embedded_api import embedded_api

    order = []

    @flow(name="embedded-api-check")
    def tiny(x: int) -> int:
        return x * 2

    def warm_up():
        order.append(("warm_up", os.environ.get("PREFECT_API_URL")))

    with embedded_api(warm_up) as url:
        result = tiny(21)
        request = urllib.request.Request(url + "/flow_runs/filter", method="POST",
                                         data=json.dumps({"limit": 50}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            runs = json.loads(response.read())
        states = sorted({r["state"]["type"] for r in runs})
        env_url = os.environ.get("PREFECT_API_URL")
    try:
        urllib.request.urlopen(url + "/health", timeout=2)
        alive_after = True
    except (urllib.error.URLError, ConnectionError):
        alive_after = False
    print(json.dumps({"url": url, "env_url": env_url, "result": result, "order": order,
                      "runs": len(runs), "states": states, "alive_after": alive_after,
                      "env_after": os.environ.get("PREFECT_API_URL")}))
""")


def test_embedded_api_serves_a_flow_run_and_stops(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")  # a fresh Prefect database: the first-use path
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["url"].startswith("http://127.0.0.1:") and out["url"].endswith("/api")
    # warm-up ran while the server booted, before the API URL was published to the process
    assert out["order"] == [["warm_up", None]]
    # the flow ran against this server and its run is recorded there
    assert out["result"] == 42
    assert out["env_url"] == out["url"]
    assert out["runs"] == 1 and out["states"] == ["COMPLETED"]
    # the server is stopped and the URL withdrawn on exit
    assert out["alive_after"] is False
    assert out["env_after"] is None


def test_a_server_that_cannot_start_is_reported_with_its_exit_code(tmp_path):
    """uvicorn exits with the same code when the port is taken and when the app fails to start: a
    server that keeps failing must be reported as such, not retried until the boot timeout (120 s)
    and then reported as 'did not answer'."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n")
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(blocker / "prefect")  # cannot be created: the server's database cannot open
    child = textwrap.dedent("""
        from flows.embedded_api import embedded_api
        try:
            with embedded_api(timeout_s=300):
                print("started")
        except RuntimeError as exc:
            print(exc)
    """)
    done = subprocess.run([sys.executable, "-c", child], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.stdout.strip().splitlines()[-1] == "the embedded Prefect API server exited with code 3"
