"""Running scenarios: single runs and run folders."""
