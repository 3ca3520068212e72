"""Executing the runnable examples once per build, caching them, and rendering their outputs."""
