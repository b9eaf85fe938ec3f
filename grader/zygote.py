"""The warm parent of the sandboxed pool: it imports once, then forks one sandboxed worker per submission.

It runs inside bubblewrap (pool.py starts it) as root of the sandbox's own user namespace, keeping
capabilities there only to build each worker's sandbox; no student code ever runs in it and no
student data enters its memory. Each job arrives on the control socket as a little JSON and
three file descriptors (the control socket's number is its argument): the worker's stdin and stdout pipes and a report socket. For each job:

- a first child unshares its own mount, PID, network, IPC and UTS namespaces; binds its student's
  staged files read-only into a new /submission tmpfs, mounts a new /tmp and /dev/shm, detaches
  /jobs (where every student's staged folder is) and makes every other mount read-only; then forks
- the worker: PID 1 of the new PID namespace, with its own /proc. It tells the grader it exists
  (the grader learns its pid from the report socket's credentials and moves it into its cgroup),
  waits for "go", then enters a user namespace of its own as uid 65534, drops every capability,
  forbids new user namespaces and new privileges, sets its resource limits, and runs worker.py's
  driver on its pipes, exactly as a fresh sandboxed worker would.

Nothing a worker does reaches the parent or the next worker: each is a fork of this process as it
was after importing, in namespaces of its own, with only its own writable mounts.
"""
import ctypes
import gc
import json
import os
import select
import signal
import socket
import sys

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE = 32, 4096, 8192, 16384, 1 << 18
MNT_DETACH = 2
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 24, 38, 47, 4
CAPABILITY_VERSION_3 = 0x20080522
NOBODY = 65534
# Libraries the course's notebooks and helpers import, paid for once here instead of per submission.
# NumPy, IPython and scipy.special (most helpers import a function from it) come before "ready".
# The rest only pays off over many workers (a worker imports a library when it first uses one, and
# most never plot), so it follows once a batch has asked for PRELOAD_AFTER jobs, while none waits.
FIRST = ("numpy", "scipy.special")
PRELOAD = ("IPython.display", "h5py", "matplotlib.pyplot", "matplotlib.colors", "matplotlib.patches")
PRELOAD_AFTER = 4

libc = ctypes.CDLL(None, use_errno=True)


class SetupError(Exception):
    pass


def _check(result, what):
    if result != 0:
        err = ctypes.get_errno()
        raise SetupError(f"{what}: {os.strerror(err)}")


def _mount(source, target, fstype, flags, data=None):
    _check(libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(), flags,
                      data and data.encode()), f"mount {target}")


_OPTION_FLAGS = {"nosuid": MS_NOSUID, "nodev": MS_NODEV, "noexec": MS_NOEXEC}


def _mounts():
    """(mount point, flags to keep) of every mount in this namespace, parents before children."""
    found = []
    with open("/proc/self/mountinfo") as f:
        for line in f:
            fields = line.split()
            point = fields[4].encode().decode("unicode_escape")
            flags = sum(_OPTION_FLAGS.get(o, 0) for o in fields[5].split(","))
            found.append((point, flags))
    return found


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


def _build_mounts(job, limits):
    """In the first child: the new namespaces and the file system its worker will see."""
    _check(libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS), "unshare")
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    size = f"size={int(limits['disk_bytes'])}"
    _mount("tmpfs", "/submission", "tmpfs", MS_NOSUID | MS_NODEV, size + ",mode=0755")
    _new_tmp(size)
    _mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, size + ",mode=0755")
    staged = os.path.join("/jobs", job)
    for name in sorted(os.listdir(staged)):
        source, target = os.path.join(staged, name), os.path.join("/submission", name)
        if os.path.isdir(source):
            os.mkdir(target)
        else:
            open(target, "w").close()
        _mount(source, target, None, MS_BIND | MS_REC)
        _mount(None, target, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    _check(libc.umount2(b"/jobs", MNT_DETACH), "detach /jobs")
    writable = ("/submission", "/tmp", "/dev/shm", "/proc")
    for point, flags in _mounts():
        if point == "/jobs" or any(point == w or point.startswith(w + "/") for w in writable):
            continue
        _mount(None, point, None, MS_REMOUNT | MS_BIND | MS_RDONLY | flags)


def _new_tmp(size):
    """A new, empty /tmp for this worker, keeping what the pool's sandbox bound under /tmp (a Python
    installed in a temporary folder, matplotlib's font cache): those mounts are moved aside, the
    new tmpfs mounted, and they are moved back in place."""
    under = sorted(point for point, _ in _mounts() if point.startswith("/tmp/"))
    kept = [p for i, p in enumerate(under) if not any(p.startswith(q + "/") for q in under[:i])]
    held = []
    for k, point in enumerate(kept):
        hold, is_dir = f"/submission/.held-{k}", os.path.isdir(point)
        os.mkdir(hold) if is_dir else open(hold, "w").close()
        _mount(point, hold, None, MS_MOVE)
        held.append((point, hold, is_dir))
    _mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, size + ",mode=1777")
    for point, hold, is_dir in held:
        os.makedirs(os.path.dirname(point), exist_ok=True)
        os.mkdir(point) if is_dir else open(point, "w").close()
        _mount(hold, point, None, MS_MOVE)
        os.rmdir(hold) if is_dir else os.unlink(hold)


def _drop_privileges(limits):
    """In the worker: uid 65534 in a user namespace of its own, no capabilities, no way back."""
    import resource
    last_cap = int(open("/proc/sys/kernel/cap_last_cap").read())
    _check(libc.unshare(CLONE_NEWUSER), "unshare user")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{NOBODY} 0 1")
    _write("/proc/self/gid_map", f"{NOBODY} 0 1")
    _write("/proc/sys/user/max_user_namespaces", "0")
    for cap in range(last_cap + 1):
        _check(libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), "drop capability")
    _check(libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient capabilities")
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)   # clears the permitted and effective sets
    header, data = (ctypes.c_uint32 * 2)(CAPABILITY_VERSION_3, 0), (ctypes.c_uint32 * 6)()
    _check(libc.capset(header, data), "clear inheritable capabilities")
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no new privileges")
    status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
    if any(int(status[k].strip(), 16) for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")):
        raise SetupError("capabilities remain after dropping them: "
                         + ", ".join(f"{k} {status[k].strip()}" for k in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb")))
    for which, value in ((resource.RLIMIT_AS, limits["memory_bytes"]), (resource.RLIMIT_FSIZE, limits["file_bytes"]),
                         (resource.RLIMIT_CORE, 0), (resource.RLIMIT_NPROC, limits.get("nproc"))):
        if value is not None:
            resource.setrlimit(which, (value, value))


def _worker(report, stdin, stdout, limits):
    """PID 1 of the job's namespace: report, wait for the cgroup, lock down, run the driver."""
    _mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _check(libc.sethostname(b"sandbox", 7), "hostname")
    report.send(b"ready")          # the grader reads our pid from the credentials, joins us to the cgroup
    if report.recv(16) != b"go":
        os._exit(1)
    report.close()
    os.setsid()
    _drop_privileges(limits)
    os.dup2(stdin, 0)
    os.dup2(stdout, 1)
    os.closerange(3, 1 << 16)
    os.umask(0o022)
    os.chdir("/submission")
    import worker
    worker.main()


def _job(message, fds):
    """The first child: namespaces and mounts, then the worker in the new PID namespace."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    gc.enable()
    stdin, stdout, report_fd = fds
    report = socket.socket(fileno=report_fd)
    try:
        job = json.loads(message)
        _build_mounts(job["job"], job["limits"])
        if os.fork() == 0:
            _worker(report, stdin, stdout, job["limits"])
    except BaseException as exc:  # the grader sees the reason instead of a silent crash
        try:
            import traceback
            traceback.print_exc()
            report.send(f"error: {exc}".encode()[:1000])
        finally:
            os._exit(1)
    os._exit(0)


def _threads():
    return len(os.listdir("/proc/self/task"))


def _preload(name):
    try:
        __import__(name)
    except ImportError:
        pass
    # Keep what every worker shares out of the garbage collector's way, so that a collection in a
    # worker does not write to (and so copy) each page of it; workers collect their own objects.
    gc.freeze()


def main():
    gc.disable()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import worker  # NumPy and IPython come with it
    worker.make_shell()
    for name in FIRST:
        _preload(name)
    control = socket.socket(fileno=int(sys.argv[1]))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # first children are reaped by the kernel
    control.send(b"ready")
    later, jobs = list(PRELOAD), 0
    while True:
        if later and jobs >= PRELOAD_AFTER and not select.select([control], [], [], 0)[0]:
            _preload(later.pop(0))
            continue
        try:
            message, ancdata, _, _ = control.recvmsg(4096, socket.CMSG_SPACE(3 * 4))
        except InterruptedError:
            continue
        if not message:
            return 0
        fds = []
        for level, kind, data in ancdata:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds += list(memoryview(data).cast("i"))
        if len(fds) != 3:
            for fd in fds:
                os.close(fd)
            continue
        if _threads() != 1:  # a fork copies only the calling thread: a library must not have started others
            sys.stderr.write("error: the pool's parent has more than one thread\n")
            return 1
        jobs += 1
        if os.fork() == 0:
            control.close()
            _job(message, fds)
        for fd in fds:
            os.close(fd)


if __name__ == "__main__":
    sys.exit(main())
