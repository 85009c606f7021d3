"""A real gunicorn worker receiving 200 MB bodies answers at once and its memory does not grow.

The server runs in a subprocess on 127.0.0.1 (a free port); the client streams from a generator and
stops sending as soon as the answer arrives. The worker's resident memory is read from /proc.
"""

import itertools
import os
import re
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
BODY = 200 * MB
CHUNK = 64 * 1024
GROWTH_LIMIT_KB = 5 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_pid(master: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise AssertionError("gunicorn started no worker")


def rss_kb(pid: int) -> int:
    match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("server")
    spool = folder / "spool"
    spool.mkdir()
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "lianxin.settings",
        "LIANXIN_TESTING": "false",
        "LIANXIN_DEBUG": "false",
        "LIANXIN_VAR_DIR": str(folder),
        "LIANXIN_SECRET_KEY": "k" * 40,
        "DATABASE_URL": f"sqlite:///{folder / 'never-used.sqlite3'}",
        "LIANXIN_MAX_REQUEST_MB": "8",
        "LIANXIN_MAX_FILE_MB": "2",
        "LIANXIN_PHOTO_MAX_MB": "1",
        "LIANXIN_ATTACHMENT_MAX_MB": "1",
        "TMPDIR": str(spool),
    }
    command = [sys.executable, "-m", "gunicorn", "lianxin.wsgi", "-k", "gthread", "-w", "1", "--threads", "2"]
    process = subprocess.Popen(
        [*command, "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise AssertionError(process.stderr.read().decode() if process.poll() is not None else "timeout")
                time.sleep(0.2)
        yield {"port": port, "worker": worker_pid(process.pid), "spool": spool}
    finally:
        process.terminate()
        process.wait(timeout=30)


def send(port: int, head: bytes, body) -> tuple[int, int, bytes]:
    """Send the head, then the body chunk by chunk until the server answers; (status, bytes sent, answer)."""
    sent = 0
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        sock.setblocking(False)
        deadline = time.monotonic() + 60
        for chunk in body:
            view = memoryview(chunk)
            while view:
                readable, writable, _ = select.select([sock], [sock], [], 5)
                if readable or time.monotonic() > deadline:
                    break
                if writable:
                    try:
                        count = sock.send(view)
                    except (BrokenPipeError, ConnectionResetError):
                        break
                    sent += count
                    view = view[count:]
            if view:
                break
        sock.setblocking(True)
        sock.settimeout(30)
        try:
            while b"\r\n\r\n" not in answer:
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
            answer += sock.recv(65536)
        except (ConnectionResetError, TimeoutError, BlockingIOError):
            pass
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
    return status, sent, answer


def stream(size: int):
    return itertools.repeat(b"\xff" * CHUNK, size // CHUNK)


def multipart_head(path: str, length: int | None, *, chunked: bool = False) -> tuple[bytes, bytes]:
    boundary = "lianxinboundary"
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Type: multipart/form-data; boundary={boundary}"]
    # A browser that loaded the form has the CSRF cookie, so CSRF's check parses the body (without the
    # cookie it is refused with 403 before a byte is read).
    lines.append(f"Cookie: csrftoken={'a' * 32}")
    lines.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}")
    part = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="big.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return ("\r\n".join(lines) + "\r\n\r\n").encode(), part


def refuse_over_content_length(port: int, path: str):
    head, part = multipart_head(path, BODY)
    return send(port, head, itertools.chain([part], stream(BODY)))


def refuse_while_streaming(port: int, path: str):
    """Content-Length says 7 MB (under the total cap); the file part inside is over the 2 MB file cap."""
    head, part = multipart_head(path, 7 * MB)
    return send(port, head, itertools.chain([part], stream(BODY)))


def refuse_chunked(port: int, path: str):
    head, _part = multipart_head(path, None, chunked=True)
    framed = (b"%x\r\n" % CHUNK + chunk + b"\r\n" for chunk in stream(BODY))
    return send(port, head, framed)


@pytest.mark.parametrize("path", ["/report/", "/api/v1/cases"])
def test_200_mb_bodies_are_refused_without_the_worker_growing(server, path):
    port, worker = server["port"], server["worker"]
    for _ in range(2):  # warm up: every code path below has run once before memory is measured
        refuse_over_content_length(port, path)
        refuse_while_streaming(port, path)
        refuse_chunked(port, path)
    before = rss_kb(worker)

    status, sent, answer = refuse_over_content_length(port, path)
    assert status == 413, answer[:300]
    assert sent < 20 * MB  # answered long before the body was sent
    assert "请求内容过大（上限 8 MB）".encode() in answer

    status, sent, answer = refuse_while_streaming(port, path)
    assert status == 413, answer[:300]
    assert sent < 20 * MB
    assert "上传的单个文件不能超过 2 MB".encode() in answer

    status, sent, answer = refuse_chunked(port, path)
    assert status == 411, answer[:300]
    assert sent < 20 * MB

    growth = rss_kb(worker) - before
    assert growth < GROWTH_LIMIT_KB, f"worker grew by {growth} kB"
    assert list(server["spool"].iterdir()) == []  # the part spooled to disk before the cap is deleted
