# pve-kube: per-host busy time of a playbook run, for the kubeadm-bootstrap job summary.
# Writes {"hosts": {"<host>": seconds}, "tasks": [[host, task, seconds, status]], "wall": seconds}
# to the file named by PVE_KUBE_TIMING_FILE when the run ends. Prints nothing.
from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
    name: pve_kube_timing
    type: aggregate
    short_description: per-host task time for pve-kube
    description: Records how long each task took on each host and writes a JSON file.
    requirements:
      - PVE_KUBE_TIMING_FILE in the environment
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "pve_kube_timing"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self._start = time.monotonic()
        self._task_start = {}
        self._hosts = {}
        self._tasks = []

    def v2_runner_on_start(self, host, task):
        self._task_start[(host.get_name(), task._uuid)] = time.monotonic()

    def _done(self, result, status):
        host = result._host.get_name()
        started = self._task_start.pop((host, result._task._uuid), None)
        if started is None:
            return
        seconds = time.monotonic() - started
        self._hosts[host] = self._hosts.get(host, 0.0) + seconds
        self._tasks.append([host, result._task.get_name(), round(seconds, 3), status])

    def v2_runner_on_ok(self, result):
        # "changed" tells a kubeadm init or join that ran from one `creates` skipped
        self._done(result, "changed" if result._result.get("changed") else "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._done(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._done(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._done(result, "unreachable")

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("PVE_KUBE_TIMING_FILE")
        if not path:
            return
        data = {
            "hosts": {h: round(s, 3) for h, s in self._hosts.items()},
            "tasks": self._tasks,
            "wall": round(time.monotonic() - self._start, 3),
        }
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
