"""The command line that runs the worker: inside bubblewrap, or bare when the user asks for it.

Inside the sandbox the process sees the Python installation read-only, the driver files
in /grader, and its own scratch copy of the submission at /submission (its only writable
place besides a private /tmp). Network, IPC, PID and user namespaces are unshared, so it
has no network (loopback included) and no process of it outlives the sandbox.
"""
import os
import resource
import shutil
import sys
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


def command(scratch, sandboxed):
    """(argv, env, cwd) that run the worker on the submission copied into `scratch`."""
    python = sys.executable
    if not sandboxed:
        env = _env(scratch)
        env["MPLCONFIGDIR"] = str(Path(scratch) / ".matplotlib")
        return [python, str(GRADER_DIR / "worker.py")], env, str(scratch)
    argv = [bwrap_path(), "--unshare-all", "--die-with-parent", "--new-session",
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
    argv += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp",
             "--bind", str(scratch), "/submission", "--chdir", "/submission"]
    for f in DRIVER_FILES:
        argv += ["--ro-bind", str(f), f"/grader/{f.name}"]
    argv += [python, "/grader/worker.py"]
    return argv, None, None


def limiter(limits):
    """A preexec_fn that applies the resource limits to the worker and all it starts."""
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        nproc = limits.processes
        resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
    return apply
