"""Faces of a run: figures, transcript, run folders."""
