"""`python -m logbook`."""

from logbook.cli import main

main()
