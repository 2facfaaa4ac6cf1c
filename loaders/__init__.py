"""Loaders that turn source files into graph records, setting bad rows aside."""
