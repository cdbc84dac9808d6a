"""kutip.web: the web UI and JSON API behind `kutip serve` (see docs/web.md)."""


def create_app(*args, **kwargs):
    """Build the ASGI app; see :func:`kutip.web.app.create_app`."""
    from kutip.web.app import create_app as _create_app

    return _create_app(*args, **kwargs)


__all__ = ["create_app"]
