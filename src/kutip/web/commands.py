"""`kutip serve`: the web UI and JSON API."""
from __future__ import annotations

import socket
from typing import Optional

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        db: Optional[str] = typer.Option(None, "--db", help="Database URL (default: $KUTIP_DB or sqlite:///kutip.db)."),
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
        token: Optional[str] = typer.Option(None, "--token", help="Token that allows writes (POST /api/articles); "
                                            "default $KUTIP_API_TOKEN. Without one the API is read-only."),
        max_upload_kib: int = typer.Option(2048, "--max-upload-kib", min=1, help="Largest article accepted, in KiB."),
        max_extractions: Optional[int] = typer.Option(
            None, "--max-extractions", min=1,
            help="Extractions run at once (POST /api/extract, /extract, /api/articles with text); past it "
                 "the answer is 503 with Retry-After. Default: the number of CPUs."),
        extract_timeout: float = typer.Option(
            30.0, "--extract-timeout", min=0.1, help="Seconds one article may take to extract (past it: 422)."),
        keep_alive: int = typer.Option(
            75, "--keep-alive", min=1, help="Seconds an idle keep-alive connection stays open. Longer than "
                                            "clients keep theirs (httpx: 5 s), so a client never reuses a "
                                            "connection the server is closing."),
        backlog: int = typer.Option(4096, "--backlog", min=16, help="Connections waiting to be accepted."),
    ) -> None:
        """Serve the web UI and the JSON API (OpenAPI at /docs)."""
        import uvicorn

        from kutip.core.errors import KutipError
        from kutip.web.app import create_app

        try:
            with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((host, port))
        except OSError as exc:
            raise KutipError(f"Cannot listen on {host}:{port} ({exc.strerror or exc}). "
                             "Choose another port with --port, or stop the program using it.") from None
        application = create_app(db_url=db, api_token=token, max_upload_bytes=max_upload_kib * 1024, preload=True,
                                 max_extractions=max_extractions, extract_timeout=extract_timeout)
        shown = f"[{host}]" if ":" in host else host
        typer.echo(f"Kutip is serving on http://{shown}:{port}/  (API docs: http://{shown}:{port}/docs)")
        if application.state.api_token:
            typer.echo("Writes through the API are enabled: send Authorization: Bearer <token>.")
        else:
            typer.echo("The API is read-only; pass --token or set KUTIP_API_TOKEN to allow POST /api/articles.")
        typer.echo("Press Ctrl+C to stop.")
        uvicorn.run(application, host=host, port=port, log_level="warning", server_header=False,
                    timeout_keep_alive=keep_alive, backlog=backlog)
