"""Dask worker preload: `dask worker --preload grader.daskworker tcp://HOST:PORT`.

Run from the project's checkout and environment. At start it checks that the grading sandbox
(bubblewrap) works on this machine and refuses to start the worker otherwise, saying what to fix,
so that no submission is ever sent to a worker that would grade it unconfined or not at all. Then it
starts the warm pool (pool.py), which grades the worker's tasks until the worker stops.
Set GRADER_WORKER_NO_SANDBOX=1 only for a cluster that grades trusted code with --no-sandbox.
"""
import os

FIX = ("install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow unprivileged user "
       "namespaces: on a host, sysctl kernel.unprivileged_userns_clone=1 (and on Ubuntu 24.04+ "
       "kernel.apparmor_restrict_unprivileged_userns=0); in Docker, run the worker container with "
       "--security-opt seccomp=unconfined --security-opt apparmor=unconfined (or --privileged); in "
       "Kubernetes, give the worker pod securityContext.seccompProfile.type: Unconfined and "
       "appArmorProfile.type: Unconfined (or privileged: true)")


EXIT_NO_SANDBOX = 3


class SandboxMissing(RuntimeError):
    pass


def check():
    """Raise SandboxMissing with the fix unless the sandbox works here (or GRADER_WORKER_NO_SANDBOX=1)."""
    if os.environ.get("GRADER_WORKER_NO_SANDBOX") == "1":
        return
    from . import sandbox
    try:
        sandbox.check_available()
    except sandbox.SandboxUnavailable as exc:
        raise SandboxMissing(f"grader worker cannot start: the grading sandbox does not work here: {exc}. "
                             f"To fix it, {FIX}.") from None


def dask_setup(worker=None):
    """Called by `dask worker --preload grader.daskworker` before the worker joins the scheduler.

    Dask logs a preload's exception and starts the worker anyway, so without the sandbox this ends the
    worker's process at once (before it registers), after saying why; `dask worker` then exits non-zero.
    """
    try:
        check()
    except SandboxMissing as exc:
        if worker is None:
            raise
        import logging
        import sys
        logging.getLogger("distributed.worker").error("%s", exc)
        print(f"error: {exc}", file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(EXIT_NO_SANDBOX)
    from . import autograde, cluster, pool  # noqa: F401  (imports paid once per worker, not per submission)
    if os.environ.get("GRADER_WORKER_NO_SANDBOX") != "1":
        # The warm pool serves this worker's tasks for its whole life (it ends with the worker's process).
        global _serving
        _serving = pool.serving()
        _serving.__enter__()


_serving = None


def dask_teardown(worker=None):
    if _serving is not None:
        _serving.__exit__(None, None, None)
