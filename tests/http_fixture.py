"""A small HTTP server on 127.0.0.1 that serves byte strings and honours Range requests."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FileServer:
    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.requests: list[tuple[str, str | None]] = []  # (path, Range header)
        self.truncate_to: dict[str, int] = {}  # path -> bytes actually sent (and announced)
        self.drop_after: dict[str, int] = {}  # path -> bytes sent before the connection drops
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                range_header = self.headers.get("Range")
                server.requests.append((self.path, range_header))
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                start = 0
                if range_header and range_header.startswith("bytes="):
                    start = int(range_header[6:].split("-")[0])
                payload = body[start:]
                sent = payload[:server.truncate_to.get(self.path, len(payload))]
                self.send_response(206 if start else 200)
                self.send_header("Content-Length", str(len(sent)))
                self.end_headers()
                # A dropped connection: the whole length announced, only part of it sent.
                self.wfile.write(sent[:server.drop_after.get(self.path, len(sent))])

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
