"""The web process's graph store: opened once per process, shared by its request threads."""

from __future__ import annotations

from flask import Flask, current_app

from c360.config import Settings
from graph_model.store import GraphStore, open_store

EXTENSION_KEY = "c360_graph_store"


def init_app(app: Flask, settings: Settings) -> None:
    if EXTENSION_KEY not in app.extensions:
        app.extensions[EXTENSION_KEY] = open_store(settings)


def graph_store() -> GraphStore:
    return current_app.extensions[EXTENSION_KEY]
