"""The demo world's local chains (two EVMs) and Horizon fixture as one supervised background process.

The process replays the world's chain history from scratch on every start (same contracts, blocks,
transaction hashes and ledger sequence numbers), serves it on fixed ports and records what it built in
`<world>/servers.json` beside its pid. `start` is idempotent and safe to call from concurrent processes
(a file lock); `stop` ends it. `make dev`, the `recon` commands that read chains and the definitions
(for `dg launch` and UI runs) start it on demand; `make stop` stops it.

    python -m pipelines.demo.servers WORLD_DIR ETH_PORT BASE_PORT HORIZON_PORT   # what `start` spawns
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.demo.checkout import DemoNeedsCheckout, require_devworld

if TYPE_CHECKING:
    from pipelines.config.load import ProjectConfig

STATE = "servers.json"
WEEKS = "weeks.json"  # how many weeks the world holds (its chains' blocks and ledgers run that far)
LOG = "servers.log"
LOCK = "servers.lock"
START_TIMEOUT = 240.0  # the replay compiles and deploys contracts; a loaded 2-core machine needs time


class ServersError(RuntimeError):
    """The demo world's servers could not be started; the message names the log."""


@dataclass(frozen=True)
class Servers:
    world: Path
    ports: tuple[int, int, int]  # ethereum, base, horizon

    @property
    def state_file(self) -> Path:
        return self.world / STATE

    @property
    def log_file(self) -> Path:
        return self.world / LOG


def free_ports(n: int = 3) -> list[int]:
    """Ports from RECON_DEMO_PORTS ("8545,8546,8000"), else ones the system has free now."""
    given = os.environ.get("RECON_DEMO_PORTS", "").strip()
    if given:
        ports = [int(p) for p in given.split(",")]
        if len(ports) != n:
            raise ServersError(f"RECON_DEMO_PORTS must list {n} ports (ethereum, base, horizon), got {given!r}")
        return ports
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped by its parent) is not serving
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return True


def state(servers: Servers) -> dict | None:
    """What the running process built (pid, URLs, deployments), or None when it is not running."""
    try:
        data = json.loads(servers.state_file.read_text())
    except (OSError, ValueError):
        return None
    if not _pid_alive(int(data.get("pid", 0))) or not all(_port_open(p) for p in servers.ports):
        return None
    if tuple(data.get("ports", ())) != servers.ports or data.get("weeks", 1) != recorded_weeks(servers.world):
        return None
    return data


@contextlib.contextmanager
def _locked(servers: Servers) -> Iterator[None]:
    servers.world.mkdir(parents=True, exist_ok=True)
    with (servers.world / LOCK).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def start(servers: Servers, timeout: float = START_TIMEOUT) -> dict:
    """The running servers' state, starting them first when they are not running."""
    try:
        require_devworld()
    except DemoNeedsCheckout as exc:
        raise ServersError(str(exc)) from exc
    with _locked(servers):
        running = state(servers)
        if running is not None:
            return running
        _stop_recorded(servers)
        busy = [p for p in servers.ports if _port_open(p)]
        if busy:
            raise ServersError(f"the demo world's ports {busy} are taken by another process; free them or "
                               f"rebuild the world on other ports (RECON_DEMO_PORTS=a,b,c make demo)")
        servers.state_file.unlink(missing_ok=True)
        with servers.log_file.open("ab") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "pipelines.demo.servers", str(servers.world), *map(str, servers.ports)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                cwd=Path(__file__).resolve().parents[2])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            running = state(servers)
            if running is not None and running["pid"] == proc.pid:
                return running
            if proc.poll() is not None:
                raise ServersError(f"the demo world's servers exited during start (code {proc.returncode}); "
                                   f"see {servers.log_file}")
            time.sleep(0.3)
        proc.terminate()
        raise ServersError(f"the demo world's servers did not start within {timeout:.0f} s; see {servers.log_file}")


def _stop_recorded(servers: Servers) -> bool:
    try:
        pid = int(json.loads(servers.state_file.read_text())["pid"])
    except (OSError, ValueError, KeyError):
        return False
    if not _pid_alive(pid):
        return False
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        if not _pid_alive(pid):
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
    return True


def stop(servers: Servers) -> bool:
    """Stop the servers; True when they were running."""
    with _locked(servers):
        stopped = _stop_recorded(servers)
        servers.state_file.unlink(missing_ok=True)
        return stopped


def ensure_for(config: ProjectConfig) -> dict | None:
    """Start the configured demo world's servers when they are down (and the file asks for it)."""
    demo = config.demo
    if demo is None or not demo.autostart:
        return None
    return start(Servers(demo.world, demo.ports))


def _deployments(evm: dict, stellar: dict) -> dict:
    return {"evm": {name: {"chain_id": d.chain_id, "url": d.node.url, "token": d.token, "treasury": d.treasury,
                           "users": d.users, "tx": d.tx} for name, d in evm.items()},
            "stellar": stellar}


def record_weeks(world: Path, weeks: int) -> None:
    (world / WEEKS).write_text(json.dumps({"weeks": weeks}) + "\n")


def recorded_weeks(world: Path) -> int:
    """The weeks the world was built with; a world from before the record is the demo's one week."""
    path = world / WEEKS
    return int(json.loads(path.read_text())["weeks"]) if path.exists() else 1


def serve(world: Path, ports: list[int]) -> None:
    """Build the chains on `ports` through the world's weeks, record them, and serve until SIGTERM."""
    from pipelines.demo.world_chain import start_chains

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    with contextlib.ExitStack() as stack:
        weeks = recorded_weeks(world)
        evm, stellar = start_chains(stack, ports, weeks)
        data = {"pid": os.getpid(), "ports": ports, "weeks": weeks, **_deployments(evm, stellar)}
        tmp = world / f"{STATE}.tmp"
        tmp.write_text(json.dumps(data, indent=2) + "\n")
        tmp.replace(world / STATE)
        print(f"serving ethereum, base and horizon on ports {ports}", flush=True)
        done.wait()


if __name__ == "__main__":
    serve(Path(sys.argv[1]), [int(p) for p in sys.argv[2:5]])
