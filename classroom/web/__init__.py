"""The classroom's web layer: one :class:`classroom.session.Session` behind a Starlette app
(``classroom.web.app``), an instructor console for the projector and a phone page for each
student (``classroom/web/static/``, served locally: no CDN, works offline)."""

from classroom.web.app import create_app, join_url, lan_address, qr_svg

__all__ = ["create_app", "join_url", "lan_address", "qr_svg"]
