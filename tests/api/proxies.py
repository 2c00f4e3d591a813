"""Two tiny proxies on 127.0.0.1 for tests: plain HTTP forwarding and SOCKS5.

``ForwardingProxy`` takes absolute-form requests (``POST http://host/path``,
what a client sends to an http:// proxy for an http:// URL), records each
request line, fetches the URL itself and sends the whole answer back.
``Socks5Proxy`` does the SOCKS5 handshake (no authentication), records the
address asked for, and pipes bytes both ways. Neither is a real proxy: just
enough to prove that a request went through one.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import socketserver
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit


class _ProxyBase:
    server: socketserver.TCPServer

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self._thread is not None:
            self._thread.join()


class ForwardingProxy(_ProxyBase):
    """An http:// proxy; ``seen`` holds request lines like ``POST http://…/v1/…``."""

    def __init__(self) -> None:
        super().__init__()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                self._forward()

            def do_POST(self) -> None:
                self._forward()

            def _forward(self) -> None:
                proxy.seen.append(f"{self.command} {self.path}")
                target = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"}
                upstream = http.client.HTTPConnection(target.hostname or "", target.port or 80)
                try:
                    path = target.path + (f"?{target.query}" if target.query else "")
                    upstream.request(self.command, path, body=body, headers=headers)
                    answer = upstream.getresponse()
                    data = answer.read()  # reads a chunked body whole
                    kept = ("content-type", "content-encoding", "retry-after")
                    self.send_response(answer.status)
                    for name, value in answer.getheaders():
                        if name.lower() in kept:
                            self.send_header(name, value)
                finally:
                    upstream.close()
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data)
                self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"


class Socks5Proxy(_ProxyBase):
    """A socks5:// proxy; ``seen`` holds ``host:port`` of each connection asked for."""

    def __init__(self) -> None:
        super().__init__()
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                client: socket.socket = self.request
                with contextlib.suppress(OSError):
                    self._serve(client)

            def _serve(self, client: socket.socket) -> None:
                _version, count = _read(client, 2)
                _read(client, count)  # offered methods: "no authentication" is taken
                client.sendall(b"\x05\x00")
                _version, _command, _reserved, kind = _read(client, 4)
                if kind == 1:
                    host = socket.inet_ntoa(_read(client, 4))
                elif kind == 3:
                    host = _read(client, _read(client, 1)[0]).decode()
                else:
                    host = socket.inet_ntop(socket.AF_INET6, _read(client, 16))
                (port,) = struct.unpack("!H", _read(client, 2))
                proxy.seen.append(f"{host}:{port}")
                with socket.create_connection((host, port)) as upstream:
                    client.sendall(b"\x05\x00\x00\x01" + bytes(4) + b"\x00\x00")
                    pump = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
                    pump.start()
                    _pipe(client, upstream)
                    pump.join()

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True

    @property
    def url(self) -> str:
        return f"socks5://127.0.0.1:{self.server.server_address[1]}"


def _read(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        part = sock.recv(size - len(data))
        if not part:
            raise OSError("the client left mid-handshake")
        data += part
    return data


def _pipe(source: socket.socket, target: socket.socket) -> None:
    with contextlib.suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)
    with contextlib.suppress(OSError):
        target.shutdown(socket.SHUT_WR)
