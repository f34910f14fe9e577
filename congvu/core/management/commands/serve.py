"""`congvu serve`: the production server (what `make run` uses and what is deployed).

Gunicorn with threaded workers (`gthread`), chosen by measurement on the pages of the demo province
against granian and gunicorn's plain `sync` workers (README "Production server", BENCHMARKS.md).
Static files are served by whitenoise from inside the application; the access log goes to standard
output (or a file); SIGTERM stops gracefully: the workers finish the requests they have, up to
`--graceful-timeout` seconds. `--with-worker` also runs the background worker (`congvu db_worker`)
as a child process, started with the server and stopped with it.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

ENGINES = ("gunicorn", "granian")
ACCESS_FORMAT = '%(h)s - %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def default_workers() -> int:
    """One worker process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _positive(name: str, value: int) -> int:
    if value < 1:
        raise CommandError(f"{name} phải là số nguyên dương (đang là {value}).")
    return value


class Command(BaseCommand):
    help = "Chạy máy chủ web sản xuất (gunicorn, gthread); whitenoise phục vụ tệp tĩnh."
    requires_system_checks = []  # checked by `congvu check` in the deploy steps; keep start-up quick

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("CONGVU_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("CONGVU_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="worker processes (default: CONGVU_WORKERS, else the number of cores)",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("CONGVU_THREADS", "4")),
            help="threads per worker process (default 4)",
        )
        parser.add_argument(
            "--access-log",
            default=os.environ.get("CONGVU_ACCESS_LOG", "-"),
            help="access log file, '-' for standard output (default)",
        )
        parser.add_argument("--graceful-timeout", type=int, default=30)
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also run the background worker (congvu db_worker), started and stopped with the server",
        )
        # The peers of the measurement (benchmarks/pages.py); not for production.
        parser.add_argument("--engine", choices=ENGINES, default="gunicorn", help="(benchmark only)")
        parser.add_argument("--worker-class", choices=("gthread", "sync"), default="gthread")

    def handle(self, *args, **options):
        workers = options["workers"]
        if workers is None:
            workers = int(os.environ.get("CONGVU_WORKERS") or default_workers())
        workers = _positive("--workers", workers)
        threads = _positive("--threads", options["threads"])
        port = options["port"]
        if not 0 < port < 65536:
            raise CommandError(f"--port {port}: cổng phải trong khoảng 1–65535.")
        # No database connection may cross the fork into the workers.
        connections.close_all()
        worker = self._start_worker() if options["with_worker"] else None
        master = os.getpid()
        try:
            if options["engine"] == "granian":
                self._granian(options["host"], port, workers, threads, options)
            else:
                self._gunicorn(options["host"], port, workers, threads, options)
        finally:
            # Gunicorn's workers are forks of this process and unwind through here when they exit.
            if worker is not None and os.getpid() == master:
                self._stop_worker(worker, options["graceful_timeout"])

    # --- engines -------------------------------------------------------------------------------

    def _gunicorn(self, host: str, port: int, workers: int, threads: int, options) -> None:
        from gunicorn.app.base import BaseApplication

        config = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": options["worker_class"],
            "threads": threads if options["worker_class"] == "gthread" else 1,
            "accesslog": options["access_log"],
            "access_log_format": ACCESS_FORMAT,
            "errorlog": "-",
            "graceful_timeout": options["graceful_timeout"],
            "timeout": 120,  # a large Excel export may take a while; the import itself is a job
            "keepalive": 5,
            "preload_app": True,  # Django loaded once, before the fork
            "proc_name": "congvu",
            "control_socket_disable": True,
        }

        class Application(BaseApplication):
            def load_config(self):
                known = {k: v for k, v in config.items() if k in self.cfg.settings}
                for key, value in known.items():
                    self.cfg.set(key, value)

            def load(self):
                from congvu.wsgi import application

                # Everything loaded so far (Django, the apps, URL patterns, translations) lives as long
                # as the process: moved out of the collector's reach before the fork, so the workers'
                # collections scan only what requests allocate, and do not touch (and copy) the
                # pages they share with the master (Python's gc.freeze documentation).
                gc.collect()
                gc.freeze()
                return application

        Application().run()

    def _granian(self, host: str, port: int, workers: int, threads: int, options) -> None:
        try:
            from granian.constants import Interfaces
            from granian.server import Server
        except ImportError:
            raise CommandError(
                "granian chưa được cài (chỉ dùng để đo so sánh): pip install '.[bench]'"
            ) from None

        Server(
            "congvu.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=workers,
            blocking_threads=threads,
            log_access=True,
            workers_kill_timeout=options["graceful_timeout"],
        ).serve()

    # --- the background worker -----------------------------------------------------------------

    def _start_worker(self) -> subprocess.Popen:
        command = [sys.executable, "-m", "congvu.cli", "db_worker", "--no-reload"]
        worker = subprocess.Popen(command)
        self.stderr.write(f"Đã khởi động tiến trình nền (congvu db_worker, pid {worker.pid}).")
        return worker

    def _stop_worker(self, worker: subprocess.Popen, timeout: int) -> None:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        self.stderr.write("Đã dừng tiến trình nền.")
