"""The post templates: Jinja2 with ``StrictUndefined``, the user's ``templates_dir`` first
(file by file), then the built-in ones shipped as the package ``logbook.templates``.

Every value a template receives is already Jekyll-safe markdown, so a template cannot forget
to escape."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from logbook.errors import ConfigError, PublishError

if TYPE_CHECKING:
    from jinja2 import Environment


def template_env(templates_dir: Path | None) -> Environment:
    """Jinja2 with ``StrictUndefined``: the user's folder first, then the built-in templates."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        if not templates_dir.is_dir():
            raise ConfigError(f"templates_dir {templates_dir} is not a folder")
        loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
    loaders.append(_builtin_loader())
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_compiled_cache(),
    )


def _compiled_cache() -> Any:
    """Compiled templates kept in the cache folder (``templates/``), or None when the cache
    is off: compiling the week's templates took ~45 ms of every ``publish``. Jinja checks
    each against a checksum of its source, so an edited template is compiled again; a
    cache that cannot be read or written is passed by, never an error."""
    from logbook.themes.cache import cache_dir

    folder = cache_dir()
    if folder is None:
        return None
    return _quiet_cache_class()(folder / "templates")


@cache
def _quiet_cache_class() -> Any:
    import jinja2

    class QuietCache(jinja2.FileSystemBytecodeCache):
        """Jinja's file cache, made in its folder on first write; its failures ignored."""

        def __init__(self, folder: Path) -> None:
            super().__init__(str(folder))
            self.folder = folder

        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged file, whatever the damage: compile again
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                super().dump_bytecode(bucket)
            except OSError:
                pass  # a read-only or full disk: the post is written all the same

    return QuietCache


@cache
def _builtin_loader_class() -> Any:
    import jinja2

    class BuiltinLoader(jinja2.BaseLoader):
        """The templates shipped in the wheel as ``logbook.templates`` (works from a zip too)."""

        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str | None, Any]:
            from importlib.resources import files

            if "/" in template or "\\" in template:
                raise jinja2.TemplateNotFound(template)
            resource = files("logbook.templates").joinpath(template)
            if not resource.is_file():
                raise jinja2.TemplateNotFound(template)
            return resource.read_text(encoding="utf-8"), f"(built-in) {template}", lambda: True

        def list_templates(self) -> list[str]:
            from importlib.resources import files

            found = files("logbook.templates").iterdir()
            return sorted(p.name for p in found if p.name.endswith(".j2"))

    return BuiltinLoader


def _builtin_loader() -> Any:
    """A loader of the built-in templates (the class is made on first use: jinja2 is heavy)."""
    return _builtin_loader_class()()


def builtin_template(name: str) -> str:
    """The text of a built-in template (for users who want to copy and change one)."""
    from importlib.resources import files

    return files("logbook.templates").joinpath(name).read_text(encoding="utf-8")


def render(env: Environment, name: str, context: dict[str, Any]) -> str:
    """Render template ``name``; a template error names the file and line."""
    import jinja2

    try:
        template = env.get_template(name)
        return template.render(**context)
    except jinja2.TemplateNotFound:
        raise PublishError(f"no template {name} (built-in or in templates_dir)") from None
    except jinja2.TemplateSyntaxError as error:
        where = error.filename or name
        raise PublishError(f"template {where}, line {error.lineno}: {error.message}") from None
    except jinja2.TemplateError as error:
        line = _template_line(error, name)
        at = f", line {line}" if line else ""
        raise PublishError(f"template {name}{at}: {error.message or error}") from None


def _template_line(error: BaseException, name: str) -> int | None:
    """The template line an error was raised on (Jinja rewrites frames to template lines)."""
    line = None
    trace = error.__traceback__
    while trace is not None:
        filename = trace.tb_frame.f_code.co_filename
        if filename.endswith(name):
            line = trace.tb_lineno
        trace = trace.tb_next
    return line
