"""Run lesson 05's federation on Flower: a SuperLink and one SuperNode per hospital on 127.0.0.1, over TLS.

    python tools/run_federation.py                       # what `make federation` runs
    python tools/run_federation.py --output /tmp/r.json  # anywhere else (the test does this)

Starts ``flower-superlink`` (TLS with a throw-away CA and server certificate from
``course_lib.crypto.create_test_pki``), one ``flower-supernode`` per hospital, then
``flwr run`` with the app in ``tools/federation/``. Prints one progress line per round,
writes the results (accuracy and loss of the global model on the course's held-out set,
after each round) as JSON to ``--output``, and stops every process it started, also on
Ctrl-C, on a timeout or when a process dies. Everything else (certificates, Flower's home,
logs) lives in a temporary directory that is removed at the end. Exit code 0 on success;
2 for a port already taken; 1 for any other failure, with the tail of the failing log.
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "tools" / "federation"
DEFAULT_OUTPUT = APP / "results.json"
MARKER = "COURSE_FEDERATION_RUN"  # every process of a run carries this variable with the run's id
HOSPITALS = 5


class FederationError(RuntimeError):
    """A clear, student-readable reason why the federation could not run."""


class PortTaken(FederationError):
    pass


def _bin(name: str) -> str:
    """The Flower command installed next to this Python (the course's .venv)."""
    candidate = Path(sys.executable).parent / name
    if not candidate.exists():
        raise FederationError(f"{name} not found next to {sys.executable}: install the course's requirements "
                              "(make test or pip install -r requirements.txt)")
    return str(candidate)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _check_free(port: int, who: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # as servers do: a port whose last connections are in TIME_WAIT (a previous run) is free
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            raise PortTaken(f"port {port} on 127.0.0.1 (for the {who}) is already taken: another federation or "
                            f"program uses it. Stop it, or choose other ports with --port N (N to N+{HOSPITALS} "
                            "must be free), or --port 0 for free ones.") from None


def _ports(base: int) -> list[int]:
    """The SuperLink's port, then one runtime port per SuperNode."""
    if base == 0:
        ports: list[int] = []
        while len(ports) < HOSPITALS + 1:
            port = _free_port()
            if port not in ports:
                ports.append(port)
        return ports
    ports = list(range(base, base + HOSPITALS + 1))
    for i, port in enumerate(ports):
        _check_free(port, "SuperLink" if i == 0 else f"SuperNode {i - 1}")
    return ports


def processes_of_run(run_id: str) -> list[int]:
    """PIDs of live processes whose environment carries this run's marker (Linux /proc)."""
    needle = f"{MARKER}={run_id}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


def _become_subreaper() -> None:
    """Orphaned grandchildren (each SuperNode's flower-superexec) are re-parented to us, not to init,
    so that we can reap them (Linux prctl PR_SET_CHILD_SUBREAPER; harmless where unavailable)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join("    " + line for line in text[-lines:])


class Federation:
    """The processes of one run; :meth:`stop` ends all of them."""

    def __init__(self, workdir: Path, run_id: str, env: dict[str, str]) -> None:
        self.workdir, self.run_id, self.env = workdir, run_id, env
        self.started: list[tuple[str, subprocess.Popen, Path]] = []

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = self.workdir / f"{name}.log"
        with open(log, "wb") as handle:  # a file, not a pipe: an orphan with a closed pipe can linger
            process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       env=self.env, cwd=self.workdir, start_new_session=True)
        self.started.append((name, process, log))
        return process

    def check_alive(self, names: list[str]) -> None:
        for name, process, log in self.started:
            if name in names and process.poll() is not None:
                raise FederationError(f"{name} exited with code {process.returncode}; the end of its log:\n{_tail(log)}")

    def stop(self, grace: float = 10.0) -> list[int]:
        """SIGTERM the SuperNodes, then the SuperLink (Flower's order), then any process left with
        this run's marker; SIGKILL what is still there after ``grace`` seconds. Returns the PIDs killed."""
        for kind in ("supernode", "superlink", "flwr-run"):
            for name, process, _ in self.started:
                if name.startswith(kind) and process.poll() is None:
                    with contextlib.suppress(ProcessLookupError):
                        process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            _reap()
            left = [p for _, p, _ in self.started if p.poll() is None] + processes_of_run(self.run_id)
            if not left:
                return []
            if time.monotonic() > deadline - grace / 2:
                for pid in processes_of_run(self.run_id):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGTERM)
            time.sleep(0.2)
        killed = []
        for pid in set(processes_of_run(self.run_id)) | {p.pid for _, p, _ in self.started if p.poll() is None}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
        time.sleep(0.5)
        _reap()
        for _, process, _ in self.started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
        return killed


def _wait_for_port(port: int, federation: Federation, name: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        federation.check_alive([name])
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise FederationError(f"{name} did not open port {port} within {timeout:.0f} s")


def _read(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt  # SIGTERM (e.g. from a CI runner) cleans up like Ctrl-C


def _write_data(workdir: Path) -> tuple[list[Path], Path, dict[str, int]]:
    """Cut the course's training split by hospital, as the notebook does, into one file per
    hospital; and the common held-out set into the server's file. Returns the paths and sizes."""
    import numpy as np

    from course_lib import data, models
    from course_lib import federated as fl

    train, test = models.holdout_split(data.load_patients())
    X, y = models.clinical_matrix(train)
    groups = train["hospital"].to_numpy()
    files = [workdir / f"hospital-{i}.npz" for i in range(HOSPITALS)]
    clients = fl.partition(X, y, groups)
    if len(clients) != HOSPITALS:
        raise FederationError(f"the patients data holds {len(clients)} hospitals, the federation expects {HOSPITALS}")
    for path, (X_k, y_k) in zip(files, clients):
        np.savez(path, X=X_k, y=y_k)
    X_test, y_test = models.clinical_matrix(test)
    np.savez(workdir / "test.npz", X=X_test, y=y_test)
    return files, workdir / "test.npz", {name: int((groups == name).sum()) for name in sorted(set(groups))}


def run(output: Path, *, rounds: int = 3, port: int = 9400, timeout: float = 240.0, insecure: bool = False,
        quiet: bool = False) -> dict:
    """Run the federation and write its results to ``output``; returns them."""
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    sys.path.insert(0, str(ROOT))
    from course_lib.crypto import create_test_pki

    ports = _ports(port)
    run_id = os.environ.get(MARKER) or uuid.uuid4().hex  # a caller (the test) may choose the id to look for
    _become_subreaper()
    started_at = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="course-federation-") as tmp:
        workdir = Path(tmp)
        home = workdir / "flwr-home"
        home.mkdir()
        env = dict(os.environ)
        env.update({
            MARKER: run_id, "FLWR_HOME": str(home), "FLWR_TELEMETRY_ENABLED": "0", "FLWR_DISABLE_UPDATE_CHECK": "1",
            "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
            "PYTHONDONTWRITEBYTECODE": "1", "COURSE_QUIET": "1", "PYTHONWARNINGS": "ignore::DeprecationWarning",
        })
        if insecure:
            tls_link, tls_node, connection = ["--insecure"], ["--insecure"], "insecure = true"
        else:
            pki_dir = workdir / "pki"
            pki_dir.mkdir()
            pki = create_test_pki(pki_dir, hostname="localhost")
            tls_link = ["--ssl-ca-certfile", str(pki.ca_cert), "--ssl-certfile", str(pki.server_cert),
                        "--ssl-keyfile", str(pki.server_key)]
            tls_node = ["--root-certificates", str(pki.ca_cert)]
            connection = f'root-certificates = "{pki.ca_cert}"'
        (home / "config.toml").write_text(
            f'[superlink]\ndefault = "local-deployment"\n\n[superlink.local-deployment]\n'
            f'address = "127.0.0.1:{ports[0]}"\n{connection}\n', encoding="utf-8")
        results_path = workdir / "results.json"
        federation = Federation(workdir, run_id, env)
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            say(f"federation: SuperLink on 127.0.0.1:{ports[0]} ({'insecure' if insecure else 'TLS'}), "
                f"{HOSPITALS} hospitals, {rounds} rounds")
            federation.start("superlink", [_bin("flower-superlink"), *tls_link, "--port", str(ports[0]),
                                           "--disable-runtime-dependency-installation"])
            # Each SuperNode is given the path of its own hospital's file only; the files are
            # written while the processes start (a ClientApp reads its file at the first round).
            for i in range(HOSPITALS):
                federation.start(f"supernode-{i}", [
                    _bin("flower-supernode"), *tls_node, "--superlink", f"127.0.0.1:{ports[0]}",
                    "--port", str(ports[i + 1]), "--node-config",
                    f'partition-id={i} data-path="{workdir / f"hospital-{i}.npz"}"'])
            _, test_path, sizes = _write_data(workdir)
            for i, name in enumerate(["superlink", *(f"supernode-{i}" for i in range(HOSPITALS))]):
                _wait_for_port(ports[i], federation, name, 90)
            say(f"federation: SuperLink and {HOSPITALS} SuperNodes up ({time.monotonic() - started_at:.0f} s)")
            config = (f"num-server-rounds={rounds} num-hospitals={HOSPITALS} test-path='{test_path}' "
                      f"results-path='{results_path}'")
            runner = federation.start("flwr-run", [_bin("flwr"), "run", str(APP), "local-deployment", "--stream",
                                                   "--run-config", config])
            shown = 0
            deadline = time.monotonic() + timeout
            while True:
                results = _read(results_path)
                history = results["history"] if results else []
                for row in history[shown:]:
                    label = "initial model" if row["round"] == 0 else f"round {row['round']}/{rounds}"
                    say(f"federation: {label}: held-out accuracy {row['accuracy']:.4f}, loss {row['loss']:.4f} "
                        f"({time.monotonic() - started_at:.0f} s)")
                shown = len(history)
                if results and results.get("complete"):
                    break
                federation.check_alive(["superlink", *(f"supernode-{i}" for i in range(HOSPITALS))])
                if runner.poll() is not None:
                    time.sleep(1.0)  # the ServerApp may finish writing just after flwr run returns
                    results = _read(results_path)
                    if results and results.get("complete"):
                        continue
                    raise FederationError(f"flwr run exited with code {runner.returncode} before the last round; "
                                          f"the end of its log:\n{_tail(workdir / 'flwr-run.log')}\n"
                                          f"SuperLink log:\n{_tail(workdir / 'superlink.log')}")
                if time.monotonic() > deadline:
                    raise FederationError(f"the federation did not finish {rounds} rounds within {timeout:.0f} s; "
                                          f"SuperLink log:\n{_tail(workdir / 'superlink.log')}")
                time.sleep(0.5)
        finally:
            killed = federation.stop()
            signal.signal(signal.SIGTERM, previous)
            if killed:
                say(f"federation: {len(killed)} process(es) needed SIGKILL to stop")
            left = processes_of_run(run_id)
            if left:
                print(f"federation: WARNING processes still running: {left}", file=sys.stderr)
    final = {k: results[k] for k in ("framework", "settings", "nodes")}
    # Flower's FedAvg sums the replies in their order of arrival, which changes the last bits of
    # the floats from run to run: round to 12 decimals so that the committed file is stable.
    final["history"] = [{k: round(v, 12) for k, v in row.items()} for row in results["history"]]
    final["params"] = [round(v, 12) for v in results["params"]]
    final["transport"] = "insecure" if insecure else "TLS (CA and server certificate from course_lib.crypto.create_test_pki)"
    final["hospitals"] = sizes
    final["payload_bytes_per_round"] = 2 * HOSPITALS * 8 * len(final["params"])
    if final["nodes"] != HOSPITALS:
        raise FederationError(f"{final['nodes']} SuperNodes took part, expected {HOSPITALS}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(final, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    say(f"federation: done in {time.monotonic() - started_at:.0f} s; results written to {output}")
    return final


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="results JSON (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3, help="FedAvg rounds (default: %(default)s)")
    parser.add_argument("--port", type=int, default=9400,
                        help="SuperLink port; SuperNodes use the next five (0: any free ports; default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds before giving up (default: %(default)s)")
    parser.add_argument("--insecure", action="store_true", help="plain connections instead of TLS (not recommended)")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error(f"--rounds must be >= 1, got {args.rounds}")
    try:
        run(args.output.resolve(), rounds=args.rounds, port=args.port, timeout=args.timeout, insecure=args.insecure)
    except PortTaken as exc:
        print(f"federation: {exc}", file=sys.stderr)
        return 2
    except FederationError as exc:
        print(f"federation: FAILED: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("federation: interrupted; every process it started has been stopped", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
