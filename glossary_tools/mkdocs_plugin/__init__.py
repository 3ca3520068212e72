"""The MkDocs plugin ``glossary``: wires the library into MkDocs events."""
