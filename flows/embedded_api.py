"""Prefect's embedded API server, started at once and warmed up in parallel.

`newsledger run` needs a Prefect API.  Without `PREFECT_API_URL`, Prefect imports its whole server
package into the client (about 2.5 s) before it even launches the server process, then waits for it
(another 4-15 s) with the client idle.  Here the server process is launched first - the same
`uvicorn --factory prefect.server.api.server:create_app` command and environment Prefect's own
`SubprocessASGIServer` uses - and the client does its own start-up work (importing the pipeline,
dbt and Great Expectations) on the other core while the server boots.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_PORT_IN_USE_EXIT = 3  # uvicorn's exit code when it cannot bind (or its app fails to start)
_RELAUNCHES = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _launch(port: int) -> subprocess.Popen:
    """Start the server process (Prefect's own ephemeral-server command: no UI, ephemeral mode)."""
    import prefect
    from prefect.settings import get_current_settings

    env = {
        **os.environ,
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        **get_current_settings().to_environment_variables(exclude_unset=True),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent),
         "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "error", "--lifespan", "on"],
        env=env,
    )


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def embedded_api(warm_up: Callable[[], None] | None = None, *, timeout_s: float = 120.0) -> Iterator[str | None]:
    """Yield the URL of a Prefect API for this process and its children.

    An API named by `PREFECT_API_URL` is used as it is.  Otherwise a temporary server is started,
    `warm_up()` runs while it boots, and the server is stopped on exit.  Raises RuntimeError when the
    server does not answer within `timeout_s`."""
    if os.environ.get("PREFECT_API_URL"):
        if warm_up:
            warm_up()
        yield os.environ["PREFECT_API_URL"]
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    port = _free_port()
    process = _launch(port)
    try:
        if warm_up:
            warm_up()
        url = f"http://127.0.0.1:{port}/api"
        deadline = time.monotonic() + timeout_s
        relaunches = 0
        while not _healthy(url):
            # uvicorn exits with 3 when it cannot bind (the port was taken meanwhile: try another), but
            # also when the app fails to start (e.g. an unwritable PREFECT_HOME): give up after a few
            if process.poll() == _PORT_IN_USE_EXIT and relaunches < _RELAUNCHES:
                relaunches += 1
                port = _free_port()
                process = _launch(port)
                url = f"http://127.0.0.1:{port}/api"
            elif process.poll() is not None:
                raise RuntimeError(f"the embedded Prefect API server exited with code {process.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the embedded Prefect API server did not answer within {timeout_s:.0f} s")
            time.sleep(0.05)
        os.environ["PREFECT_API_URL"] = url
        try:
            with temporary_settings(updates={PREFECT_API_URL: url}):
                yield url
        finally:
            os.environ.pop("PREFECT_API_URL", None)
    finally:
        _stop(process)
