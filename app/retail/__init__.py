"""Retail customer pages: search and the retail 360 view."""
