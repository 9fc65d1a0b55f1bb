"""Layer 1: the HTTP API and the web page (`create_app`)."""

from ree.api.app import create_app

__all__ = ["create_app"]
