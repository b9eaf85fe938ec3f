"""The warm sandboxed pool, grader side: one bubblewrap sandbox whose parent forks a sandboxed worker per job.

A fresh sandboxed Python costs about 0.15 s of CPU before it runs a line of the student's code (the
interpreter, NumPy, IPython; more with matplotlib and SciPy), while grading a submission takes tens
of milliseconds. So one sandbox is started per grader process (zygote.py inside it imports those
libraries once) and every job is a fork of it that builds its own sandbox before any student code
runs. What a job sees and may do is what a fresh sandbox gives it: see zygote.py for how.

A batch runs the pool for its duration (`with serving():`); staged folders must be made with
`scratch()`, under the folder bound into the pool as /jobs. Where the pool cannot start, a one-line
notice says so and each job gets a fresh sandbox instead; GRADER_POOL=off turns the pool off.
"""
import array
import atexit
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
from pathlib import Path

from . import sandbox

START_SECONDS = 60.0   # the pool's parent importing its libraries on a cold disk
SPAWN_SECONDS = 20.0   # one job's namespaces and mounts


class PoolError(RuntimeError):
    pass


def enabled():
    return os.environ.get("GRADER_POOL", "on").lower() not in ("off", "0", "no")


class Pool:
    def __init__(self, limits=None):
        self.limits = limits or sandbox.Limits()
        self.jobs = Path(tempfile.mkdtemp(prefix="grader-jobs-"))
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        argv = sandbox.pool_command(self.jobs, theirs.fileno(), self.limits)
        started, failure = threading.Event(), []

        def keep():
            # bubblewrap's --die-with-parent follows the thread that started it: this one lives as long as the pool.
            try:
                self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                             stderr=self.errors, pass_fds=(theirs.fileno(),),
                                             start_new_session=True)
            except OSError as exc:
                failure.append(exc)
                started.set()
                return
            started.set()
            self.proc.wait()

        self.proc = None
        # what the sandbox prints (a setup failure's traceback) goes to a file: a pipe nobody reads
        # would fill up and block the pool
        self.errors = tempfile.TemporaryFile()
        self.keeper = threading.Thread(target=keep, name="grader-pool", daemon=True)
        self.keeper.start()
        started.wait()
        theirs.close()
        if failure:
            self.close()
            raise PoolError(f"could not start the pool's sandbox: {failure[0]}")

    def wait_ready(self):
        """Block until the pool's parent has imported what it preloads first; raise PoolError if it fails."""
        try:
            self.control.settimeout(START_SECONDS)
            hello = self.control.recv(1000)
            self.control.settimeout(None)
        except OSError as exc:   # no answer in time, or closed: the batch ended before the pool was ready
            hello = f"no answer ({exc})".encode()
        if hello != b"ready":
            err = ""
            if not hello:   # it exited: what it said is in its error file once it is reaped
                self.keeper.join(2)
                try:
                    self.errors.seek(0)
                    err = self.errors.read()[-2000:].decode(errors="replace").strip()
                except (OSError, ValueError):   # closed meanwhile: the batch is over
                    pass
            self.close()
            raise PoolError(f"the pool's sandbox did not start: {(hello.decode(errors='replace') or err or 'it exited')}")
        self.spawned = 0   # jobs started: how a test tells that the pool served a batch

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def holds(self, scratch):
        return Path(scratch).resolve().parent == self.jobs.resolve()

    def spawn(self, scratch, limits, cap):
        """Start a sandboxed worker on `scratch`: (its stdin, its stdout, a pidfd), or raise PoolError."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ours.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        job = {"job": Path(scratch).name,
               "limits": {"memory_bytes": limits.memory_bytes, "file_bytes": limits.file_bytes,
                          "disk_bytes": limits.disk_bytes, "nproc": cap.nproc_limit()}}
        pidfd = None
        try:
            fds = array.array("i", [stdin_r, stdout_w, theirs.fileno()])
            try:
                self.control.sendmsg([json.dumps(job).encode()], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)])
            except OSError as exc:
                raise PoolError(f"the pool's sandbox is gone ({exc})")
            finally:
                for fd in (stdin_r, stdout_w):
                    os.close(fd)
                theirs.close()
            ours.settimeout(SPAWN_SECONDS)
            try:
                message, ancdata, _, _ = ours.recvmsg(1000, socket.CMSG_SPACE(struct.calcsize("3i")))
            except OSError as exc:
                raise PoolError(f"a worker of the pool did not start ({exc})")
            creds = [d for level, kind, d in ancdata if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS]
            if message != b"ready" or not creds:
                raise PoolError("a worker of the pool could not be set up: "
                                + (message.decode(errors="replace") or "it exited"))
            pid = struct.unpack("3i", creds[0][:struct.calcsize("3i")])[0]
            pidfd = os.pidfd_open(pid)
            cap.join(pid)           # before "go": nothing of the student's runs outside the cgroups
            ours.sendall(b"go")
            self.spawned += 1
        except BaseException:
            if pidfd is not None:
                kill(pidfd)
                os.close(pidfd)
            os.close(stdin_w)
            os.close(stdout_r)
            raise
        finally:
            ours.close()
        return os.fdopen(stdin_w, "wb"), os.fdopen(stdout_r, "rb", buffering=0), pidfd

    def close(self):
        try:
            self.control.close()
        except OSError:
            pass
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self.keeper is not threading.current_thread():
            self.keeper.join(5)   # it reaps the sandbox
        self.errors.close()
        shutil.rmtree(self.jobs, ignore_errors=True)


def kill(pidfd):
    """SIGKILL the process behind `pidfd`, if it is still there (a worker: its whole PID namespace)."""
    try:
        signal.pidfd_send_signal(pidfd, signal.SIGKILL)
    except (ProcessLookupError, OSError):
        pass


_lock = threading.Lock()
_users = 0
_starting = None     # the thread starting the pool for the current users
_pool = None
_refused = None
_log = print         # the first user's


def _launch():
    """Start the pool in a background thread (with _lock held)."""
    global _starting
    _starting = threading.Thread(target=_start, args=(_log,), name="grader-pool-start", daemon=True)
    _starting.start()


def _start(log):
    """In a thread: launch the pool, then wait until it is ready (a batch's other work goes on meanwhile)."""
    global _pool, _refused
    try:
        sandbox.check_available()
        with _lock:
            _pool = launched = Pool()
        launched.wait_ready()
    except (PoolError, sandbox.SandboxUnavailable, OSError) as exc:
        with _lock:
            _refused, _pool = str(exc), None
        if _users and not isinstance(exc, sandbox.SandboxUnavailable):   # without bubblewrap, the batch says what to do
            log(f"notice: grading with one sandbox per submission, without the warm pool ({exc})")


class serving:
    """`with pool.serving():` the pool runs (started in the background at once) until the last user leaves.

    A batch holds it for its whole run, so that no process of the grader's outlives the batch.
    """

    def __init__(self, sandboxed=True, log=print):
        self.active = sandboxed and enabled()
        self.log = log

    def __enter__(self):
        global _users, _refused, _log
        if self.active:
            with _lock:
                _users += 1
                if _users == 1:
                    _refused, _log = None, self.log
                    _launch()
        return self

    def __exit__(self, *exc):
        global _users, _pool
        if self.active:
            with _lock:
                _users -= 1
                last = _users == 0
                if last and _pool is not None:
                    _pool.close()    # a pool still starting is stopped too: its start thread then ends
            if last:
                _starting.join()
                with _lock:
                    if not _users:
                        _pool = None
        return False


def shared():
    """The running pool, or None outside `serving()` and where it could not start."""
    with _lock:
        if not _users:
            return None
        starting = _starting
    starting.join()
    with _lock:
        if _pool is not None and not _pool.alive() and _refused is None:   # killed from outside: start another
            _pool.close()
            _launch()
            starting = _starting
        else:
            return _pool
    starting.join()
    return _pool


def scratch(prefix, sandboxed=True):
    """A new empty folder to stage a submission in: under the pool's /jobs when the pool serves it."""
    warm = shared() if sandboxed else None
    return Path(tempfile.mkdtemp(prefix=prefix, dir=warm.jobs if warm else None))


@atexit.register
def _stop():
    if _pool is not None:
        _pool.close()
