"""The sim command line."""
