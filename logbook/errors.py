"""The errors logbook raises. ``str(error)`` is the one line the user reads."""


class LogbookError(Exception):
    """A failure the user can understand and act on (exit 1)."""

    exit_code = 1


class UsageError(LogbookError):
    """The command line asked for something that cannot be: a bad date, status or id form (exit 2)."""

    exit_code = 2


class NotFoundError(LogbookError):
    """No entry has the id the user gave."""


class StoreError(LogbookError):
    """The store cannot be opened, read or written (locked, corrupt, too new)."""


class ConfigError(LogbookError):
    """The config file is broken or holds a value of the wrong type."""

    exit_code = 2


class ArxivError(LogbookError):
    """arXiv could not be reached or answered with something we cannot use."""


class PublishError(LogbookError):
    """A post cannot be written (no site, a hand-edited file, a bad template)."""


class ExportError(LogbookError):
    """An export or import could not be completed."""


class HookError(LogbookError):
    """The git hook cannot be installed, run or removed."""


class ConflictError(LogbookError):
    """An entry changed in the store while the user was editing it (exit 1)."""

    def __init__(self, message: str, *, kept_in_store: bool = False) -> None:
        super().__init__(message)
        # the user's text is saved in the store (a revision): no temp file needs to stay
        self.kept_in_store = kept_in_store
