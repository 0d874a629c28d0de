"""Backup License's file on the wire: with its length or streamed, whole or cut short."""

from __future__ import annotations

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

OCTET_STREAM = "application/octet-stream"


def file_response(
    data: bytes, headers: dict[str, str], *, chunked: bool, cut_short: bool
) -> Response:
    """The file as an attachment with its Content-Length, or chunked (no Content-Length); cut
    short, half of it arrives and the connection drops, so the browser sees the download fail."""
    if not chunked and not cut_short:
        return Response(data, media_type=OCTET_STREAM, headers=headers)
    return _InTwoParts(data, headers, chunked=chunked, cut_short=cut_short)


class _InTwoParts(Response):
    """The file sent in two parts, the second never sent when cut short."""

    def __init__(
        self, data: bytes, headers: dict[str, str], *, chunked: bool, cut_short: bool
    ) -> None:
        super().__init__(None, media_type=OCTET_STREAM, headers=headers)
        if chunked:
            del self.headers["content-length"]
        else:  # the whole file's length, even when only half of it will come
            self.headers["content-length"] = str(len(data))
        self.data, self.cut_short = data, cut_short

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        half = len(self.data) // 2
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        await send({"type": "http.response.body", "body": self.data[:half], "more_body": True})
        if self.cut_short:
            # Returning before the end makes the server close the connection mid-body.
            return
        await send({"type": "http.response.body", "body": self.data[half:]})
