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
PASSED_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LANG", "LC_ALL", "GRADER_EAGER_IMPORTS")


class SandboxUnavailable(RuntimeError):
    pass


@dataclass
class Limits:
    notebook_seconds: float = 60.0   # running the notebook's cells
    test_seconds: float = 10.0       # one call of a graded function
    memory_bytes: int = 4 << 30      # address space of each process, and all of them (cgroup) where possible
    processes: int = 64              # processes at once (pids cgroup, or RLIMIT_NPROC for non-root users)
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


def available_or_notice(doing, log=print):
    """True when the sandbox works; otherwise log a one-line notice that `doing` runs without it."""
    try:
        check_available()
        return True
    except SandboxUnavailable as exc:
        log(f"notice: {doing} without the sandbox ({exc})")
        return False


def matplotlib_cache():
    """A folder holding matplotlib's font cache, built once per machine and matplotlib version.

    Inside the sandbox matplotlib's folder is a fresh tmpfs, so without this every submission
    would rebuild the font list (about a second). The file is bound read-only into the sandbox.
    """
    global _MPL_CACHE
    if _MPL_CACHE is not None:
        return _MPL_CACHE
    import subprocess
    import tempfile
    tag = _matplotlib_tag()
    home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    for base in (home / "dl-course-grader", Path(tempfile.gettempdir()) / f"dl-course-grader-{os.getuid()}"):
        folder = base / tag
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not list(folder.glob("fontlist-*.json")):
                subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], capture_output=True,
                               env={**os.environ, "MPLCONFIGDIR": str(folder), "MPLBACKEND": "Agg"}, timeout=120)
            if list(folder.glob("fontlist-*.json")):
                _MPL_CACHE = folder
                return folder
        except (OSError, subprocess.SubprocessError):
            continue
    _MPL_CACHE = False
    return False


_MPL_CACHE = None


def _matplotlib_tag():
    """"mpl-<version>" of the installed matplotlib."""
    version = installed_version("matplotlib")
    return f"mpl-{version}" if version else "mpl"


def installed_version(name):
    """The version of package `name` as its installed metadata says, None if unknown.

    Read from the name of the one `<name>-<version>.dist-info` folder beside the package, which is
    what importlib.metadata reports too; importing importlib.metadata and searching every path
    entry costs 50 to 70 ms of a process's start. Anything less clear-cut asks it after all.
    """
    import importlib.util
    try:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            found = list(Path(spec.origin).parent.parent.glob(f"{name}-*.dist-info"))
            if len(found) == 1:
                return found[0].name[len(name) + 1:-len(".dist-info")]
    except (ImportError, ValueError, OSError):
        pass
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:
        return None


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
    fonts = matplotlib_cache()
    if not sandboxed:
        env = _env(scratch)
        env["MPLCONFIGDIR"] = str(fonts or Path(scratch) / ".matplotlib")
        return [python, str(GRADER_DIR / "worker.py")], env, str(scratch)
    argv = [bwrap_path(), "--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534",
            "--disable-userns", "--cap-drop", "ALL"] + _system_view(limits, fonts)
    argv += ["--size", str(limits.disk_bytes), "--tmpfs", "/submission"]
    for entry in sorted(Path(scratch).iterdir()):
        argv += ["--ro-bind", str(entry), f"/submission/{entry.name}"]
    argv += ["--chdir", "/submission"]
    for f in DRIVER_FILES:
        argv += ["--ro-bind", str(f), f"/grader/{f.name}"]
    argv += [python, "/grader/worker.py"]
    return argv, None, None


def pool_command(jobs, control_fd, limits=None):
    """argv of the pool's sandbox (pool.py): the same view of the system, with the parent of the workers in it.

    Its parent (zygote.py) is root of the sandbox's user namespace with capabilities there, which it
    needs to build each worker's own sandbox; the workers drop them all before running student code.
    It sees every staged folder under /jobs (read-only); each worker detaches /jobs and keeps only its own.
    """
    limits = limits or Limits()
    argv = [bwrap_path(), "--unshare-all", "--unshare-user", "--uid", "0", "--gid", "0", "--cap-add", "ALL"]
    argv += _system_view(limits, matplotlib_cache())
    argv += ["--dir", "/submission", "--ro-bind", str(jobs), "/jobs", "--chdir", "/"]
    for f in DRIVER_FILES + [GRADER_DIR / "zygote.py"]:
        argv += ["--ro-bind", str(f), f"/grader/{f.name}"]
    return argv + [sys.executable, "/grader/zygote.py", str(control_fd)]


def _system_view(limits, fonts):
    """bwrap options common to a worker's sandbox and the pool's: environment, read-only system, /tmp, /proc, /dev."""
    argv = ["--die-with-parent", "--new-session", "--hostname", "sandbox", "--clearenv"]
    for key, value in _env("/submission").items():
        argv += ["--setenv", key, value]
    for d in ("/usr", "/etc/alternatives", "/etc/ld.so.cache", "/etc/ssl", "/etc/fonts"):
        argv += ["--ro-bind-try", d, d]
    for d in ("/bin", "/lib", "/lib64", "/sbin"):
        argv += (["--symlink", os.readlink(d), d] if os.path.islink(d) else ["--ro-bind-try", d, d])
    # Mounts apply in order: the private /tmp first, so that a Python installed under /tmp
    # (a checkout in a temporary folder) is bound on top of it rather than hidden by it.
    argv += ["--proc", "/proc", "--dev", "/dev", "--size", str(limits.disk_bytes), "--tmpfs", "/tmp"]
    prefixes = {os.path.realpath(sys.base_prefix), sys.prefix, os.path.realpath(sys.prefix)}
    for p in sorted(prefixes):
        argv += ["--ro-bind", p, p]
    for cache in (fonts.glob("fontlist-*.json") if fonts else []):
        argv += ["--ro-bind", str(cache), f"/tmp/matplotlib/{cache.name}"]
    return argv


class Cgroups:
    """Caps a worker's processes and total memory with cgroups, where we may make them.

    cgroup v1 (a folder per controller) or v2 (one folder, controllers enabled below the root)
    when writable: root, or a delegated subtree. Without a pids cgroup, RLIMIT_NPROC stands in
    for non-root users (it counts all the user's processes, so it is set to what the user runs
    now plus the cap); root without cgroups runs uncapped in processes, and `modes` says so.
    RLIMIT_AS caps each process's memory in any case.
    """
    BASE = Path("/sys/fs/cgroup")
    _swept = False  # stale cgroups are swept once per grader process, not at every worker start

    def __init__(self, limits):
        self.limits, self.paths, self.modes = limits, [], set()
        name = f"grader-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        if not Cgroups._swept:
            Cgroups._swept = True
            self.sweep()
        unified = self.BASE / "cgroup.subtree_control"
        wanted = {"pids": ("pids.max", str(limits.processes))}
        if limits.memory_bytes:
            wanted["memory"] = ("memory.limit_in_bytes", str(limits.memory_bytes))
        for controller, (knob, value) in wanted.items():
            if (self.BASE / controller / "cgroup.procs").exists():
                self._make(self.BASE / controller / name, {knob: value}, controller)
        if not self.paths and unified.exists():
            enabled = unified.read_text(errors="ignore").split()
            knobs = {"pids.max": str(limits.processes)} if "pids" in enabled else {}
            if "memory" in enabled and limits.memory_bytes:
                knobs["memory.max"] = str(limits.memory_bytes)
            if knobs:
                self._make(self.BASE / name, knobs, *[k.split(".")[0] for k in knobs])
        if "pids" not in self.modes and os.getuid() != 0:
            self.modes.add("rlimit-nproc")

    @classmethod
    def _all(cls):
        """Every grader cgroup, in the v2 root or under a v1 controller."""
        return list(cls.BASE.glob("grader-*")) + list(cls.BASE.glob("*/grader-*"))

    @classmethod
    def ours(cls, pid=None):
        """The cgroups made by grader process `pid` (default: this one)."""
        prefix = f"grader-{pid or os.getpid()}-"
        return [p for p in cls._all() if p.name.startswith(prefix)]

    @classmethod
    def sweep(cls):
        """Remove empty cgroups left by grader processes that were killed before cleaning up."""
        for path in cls._all():
            try:
                owner = int(path.name.split("-")[1])
                os.kill(owner, 0)
                continue
            except ProcessLookupError:
                pass
            except (ValueError, IndexError, PermissionError):
                continue
            try:
                path.rmdir()
            except OSError:
                pass

    def _make(self, path, knobs, *controllers):
        try:
            path.mkdir()
            for knob, value in knobs.items():
                (path / knob).write_text(value)
        except OSError:
            try:
                path.rmdir()
            except OSError:
                pass
            return
        self.paths.append(path)
        self.modes.update(controllers)

    def preexec(self):
        """Runs in the child before exec: join the cgroups, or set RLIMIT_NPROC."""
        self.join(os.getpid())
        n = self.nproc_limit()
        if n is not None:
            resource.setrlimit(resource.RLIMIT_NPROC, (n, n))

    def join(self, pid):
        """Move process `pid` (and so what it starts later) into the cgroups."""
        for path in self.paths:
            with open(path / "cgroup.procs", "w") as f:
                f.write(str(pid))

    def nproc_limit(self):
        """The RLIMIT_NPROC standing in for a pids cgroup (it counts all the user's processes), or None."""
        if "rlimit-nproc" not in self.modes:
            return None
        uid = os.getuid()
        running = sum(1 for p in Path("/proc").iterdir() if p.name.isdigit() and _owner(p) == uid)
        return running + self.limits.processes

    def oom_killed(self):
        """Whether the kernel killed a process of this worker for exceeding the memory cap."""
        for path in self.paths:
            for name in ("memory.oom_control", "memory.events"):
                try:
                    text = (path / name).read_text()
                except OSError:
                    continue
                for line in text.splitlines():
                    key, _, value = line.partition(" ")
                    if key == "oom_kill" and value.strip() not in ("", "0"):
                        return True
        return False

    def kill_all(self):
        """Kill whatever is left in the cgroups, then remove them."""
        import itertools
        import signal
        import time
        for path in self.paths:
            deadline = time.monotonic() + 10   # a process busy exiting (reclaiming memory) may take a while
            for attempt in itertools.count():
                try:
                    pids = [int(x) for x in (path / "cgroup.procs").read_text().split()]
                except OSError:
                    pids = []
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                try:
                    path.rmdir()
                    break
                except OSError:   # its last processes are still exiting: usually a millisecond or two
                    if time.monotonic() > deadline:
                        break     # left for the next grader process's sweep
                    time.sleep(min(0.001 * 2 ** min(attempt, 5), 0.02))
        self.paths = []


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
