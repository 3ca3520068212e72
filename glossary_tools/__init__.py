"""Tools for a multilingual deep-learning glossary: parse, validate, execute examples, build."""

__version__ = "0.1.0"
