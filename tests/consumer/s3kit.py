"""A real S3-compatible server for the S3 backend's tests: MinIO (scripts/install_s3_server.sh builds it once
into the Go bin dir), on loopback ports, data in a temp dir, update checks and telemetry off."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.client.nodekit import free_port
from tests.consumer.kit import ROOT

ACCESS_KEY = "consumer-test"
SECRET_KEY = "consumer-test-secret"
BUCKET = "deals"


@dataclass
class S3Server:
    endpoint: str
    proc: subprocess.Popen[bytes]
    data: Path

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def minio_binary() -> str:
    out = subprocess.run([str(ROOT / "scripts" / "install_s3_server.sh")], check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def start_s3(root: Path, timeout: float = 30.0) -> S3Server:
    data = root / "minio"
    (data / BUCKET).mkdir(parents=True)  # a top-level directory is a bucket on first start
    port = free_port()
    env = {**os.environ, "MINIO_ROOT_USER": ACCESS_KEY, "MINIO_ROOT_PASSWORD": SECRET_KEY, "MINIO_BROWSER": "off",
           "MINIO_UPDATE": "off", "MINIO_CALLHOME_ENABLE": "off"}
    log = open(root / "minio.log", "wb")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen([minio_binary(), "server", str(data), "--address", f"127.0.0.1:{port}", "--quiet"],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    server = S3Server(f"http://127.0.0.1:{port}", proc, data)
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                server.stop()
                raise RuntimeError(f"minio did not start: {(root / 'minio.log').read_text()[-2000:]}") from None
            time.sleep(0.1)
