"""logbook: a research logbook of ideas, arXiv papers, recurring themes and Jekyll posts."""

__version__ = "0.1.0"
