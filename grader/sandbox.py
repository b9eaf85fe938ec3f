"""The command line that runs the worker: inside bubblewrap, or bare when the user asks for it.

Inside the sandbox the process runs as `nobody` with no capabilities. It sees the system and
Python installation read-only, the two driver files in /grader, and /submission: a small
tmpfs of its own holding the staged files (read-only binds) where it may write new files. /tmp
is another small tmpfs. Network, IPC, PID and user namespaces are unshared, so it has no
network (loopback included) and no process of it outlives the sandbox.
"""
import os
import resource
import shutil
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

GRADER_DIR = Path(__file__).resolve().parent
DRIVER_FILES = [GRADER_DIR / "worker.py", GRADER_DIR.parent / "utils" / "plain.py"]
PASSED_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LANG", "LC_ALL")


class SandboxUnavailable(RuntimeError):
    pass


@dataclass
class Limits:
    notebook_seconds: float = 60.0   # running the notebook's cells
    test_seconds: float = 10.0       # one call of a graded function
    memory_bytes: int = 4 << 30      # address space of each process
    processes: int = 64              # enforced for non-root users (RLIMIT_NPROC)
    output_bytes: int = 64 << 20     # what the worker may send back
    file_bytes: int = 256 << 20      # largest file the submission may write
    disk_bytes: int = 512 << 20      # each of /submission and /tmp (tmpfs) inside the sandbox


def bwrap_path():
    return shutil.which("bwrap")


def check_available():
    """Raise SandboxUnavailable with a message a person can act on, or return quietly."""
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable("the sandbox needs Linux (bubblewrap); this is " + sys.platform)
    if not bwrap_path():
        raise SandboxUnavailable("bubblewrap is not installed (Debian/Ubuntu: sudo apt-get install bubblewrap)")
    import subprocess
    probe = subprocess.run([bwrap_path(), "--ro-bind", "/", "/", "--unshare-all", "--dev", "/dev",
                            "--proc", "/proc", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        raise SandboxUnavailable("bubblewrap cannot create namespaces here: " + probe.stderr.strip()
                                 + " (unprivileged user namespaces may be disabled)")


def _env(workdir):
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(workdir),
        "PYTHONPATH": str(workdir),
        "PYTHONDONTWRITEBYTECODE": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    env.update({k: os.environ[k] for k in PASSED_ENV if k in os.environ})
    return env


def command(scratch, sandboxed, limits=None):
    """(argv, env, cwd) that run the worker on the submission copied into `scratch`."""
    limits = limits or Limits()
    python = sys.executable
    if not sandboxed:
        env = _env(scratch)
        env["MPLCONFIGDIR"] = str(Path(scratch) / ".matplotlib")
        return [python, str(GRADER_DIR / "worker.py")], env, str(scratch)
    argv = [bwrap_path(), "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
            "--disable-userns", "--cap-drop", "ALL", "--die-with-parent", "--new-session",
            "--hostname", "sandbox", "--clearenv"]
    for key, value in _env("/submission").items():
        argv += ["--setenv", key, value]
    for d in ("/usr", "/etc/alternatives", "/etc/ld.so.cache", "/etc/ssl", "/etc/fonts"):
        argv += ["--ro-bind-try", d, d]
    for d in ("/bin", "/lib", "/lib64", "/sbin"):
        argv += (["--symlink", os.readlink(d), d] if os.path.islink(d) else ["--ro-bind-try", d, d])
    prefixes = {os.path.realpath(sys.base_prefix), sys.prefix, os.path.realpath(sys.prefix)}
    for p in sorted(prefixes):
        argv += ["--ro-bind", p, p]
    size = str(limits.disk_bytes)
    argv += ["--proc", "/proc", "--dev", "/dev", "--size", size, "--tmpfs", "/tmp",
             "--size", size, "--tmpfs", "/submission"]
    for entry in sorted(Path(scratch).iterdir()):
        argv += ["--ro-bind", str(entry), f"/submission/{entry.name}"]
    argv += ["--chdir", "/submission"]
    for f in DRIVER_FILES:
        argv += ["--ro-bind", str(f), f"/grader/{f.name}"]
    argv += [python, "/grader/worker.py"]
    return argv, None, None


class ProcessCap:
    """Caps how many processes a worker may run at once.

    A cgroup with the pids controller where we may make one (root, or a delegated cgroup v2
    subtree); otherwise RLIMIT_NPROC, which counts all of the user's processes, so it is set
    to what the user runs now plus the cap (root ignores it: root without cgroups is uncapped,
    and `mode` says so).
    """
    ROOTS = [Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")]

    def __init__(self, limit):
        self.limit, self.path, self.mode = limit, None, "none"
        for root in self.ROOTS:
            if not (root / "cgroup.procs").exists() or not os.access(root, os.W_OK):
                continue
            if root.name != "pids" and "pids" not in (root / "cgroup.subtree_control").read_text(errors="ignore"):
                continue
            path = root / f"grader-{uuid.uuid4().hex[:12]}"
            try:
                path.mkdir()
                (path / "pids.max").write_text(str(limit))
            except OSError:
                try:
                    path.rmdir()
                except OSError:
                    pass
                continue
            self.path, self.mode = path, "cgroup"
            return
        if os.getuid() != 0:
            self.mode = "rlimit"

    def preexec(self):
        """Runs in the child before exec: join the cgroup, or set RLIMIT_NPROC."""
        if self.path is not None:
            with open(self.path / "cgroup.procs", "w") as f:
                f.write(str(os.getpid()))
        elif self.mode == "rlimit":
            uid = os.getuid()
            running = sum(1 for p in Path("/proc").iterdir() if p.name.isdigit() and _owner(p) == uid)
            n = running + self.limit
            resource.setrlimit(resource.RLIMIT_NPROC, (n, n))

    def kill_all(self):
        """Kill whatever is left in the cgroup, then remove it."""
        if self.path is None:
            return
        import signal
        import time
        for _ in range(50):
            try:
                pids = [int(x) for x in (self.path / "cgroup.procs").read_text().split()]
            except OSError:
                pids = []
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.02)


def _owner(proc_dir):
    try:
        return proc_dir.stat().st_uid
    except OSError:
        return None


def limiter(limits, cap=None):
    """A preexec_fn that applies the resource limits to the worker and all it starts."""
    def apply():
        if cap is not None:
            cap.preexec()
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply
