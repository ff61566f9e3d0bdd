"""cgcli facts edit"""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from .. import App, Command
from . import TO


@click.command("edit", cls=Command)
@TO
@click.pass_obj
def command(app: App, to: Path | None) -> None:
    """Edit your fact file in your editor ($VISUAL, else $EDITOR); it is replaced only if
    the result is valid.

    A rejected result is kept beside the file as facts.toml.rejected, and the problems
    name its lines, so that no edit is lost.
    """
    from ...store import curation
    from . import refusals, waiting

    target = curation.target(app.facts_paths, to)
    path = target.path
    rejected = path.with_name(path.name + ".rejected")
    with refusals(app), curation.writing(path, waiting(app, path)):
        before = curation.snapshot(path)
        original = text = curation.current_text(path)
        while True:
            edited = _run_editor(app, text, path, rejected)
            if edited == original:
                app.say("cgcli: no changes")
                return
            text = edited
            problems = curation.problems(target, text, shown_as=rejected) or curation.too_large(
                text
            )
            if not problems:
                break
            kept = _keep(app, rejected, text)
            if not app.messages.confirm("\n".join([*problems, "Edit again?"]), default=True):
                app.say(*problems)
                if kept is not None:
                    app.say(f"cgcli: your edit is kept in {kept}")
                app.say(f"cgcli: not written; {path} is unchanged")
                raise click.exceptions.Exit(1)
        try:
            curation.replace(path, text, before, "facts edit")
        except curation.Refusal as e:  # a full disk, the file changed meanwhile
            kept = _keep(app, rejected, text)
            if kept is not None:
                e.lines[-1] += f"; your edit is kept in {kept}"
            raise
    app.say(f"saved {target.where()}")


def _run_editor(app: App, text: str, path: Path, rejected: Path) -> str:
    """TEXT as the user's editor leaves it (click.edit: $VISUAL, $EDITOR, else the
    platform's editor), edited in a new file beside PATH created exclusively under an
    unguessable name (removed afterwards; one left by a killed run goes with the next
    write).

    Never a traceback: an editor that cannot be run or fails, or a file it deletes,
    replaces with a folder, a link or a pipe, or leaves as something other than UTF-8
    text, is a clear error; whatever it left is kept in REJECTED."""
    import os
    import shutil

    from ...domain.problems import FactsError
    from ...store import curation
    from ...store.reading import read_bytes
    from ...store.writer import create_or_fill

    _check_editor()
    try:
        tmp = curation.edited_path(path)
        create_or_fill(tmp, text.encode("utf-8"))
    except OSError as e:
        raise click.ClickException(f"cannot make the editor's copy: {e.strerror or e}") from None
    try:
        failed = None
        try:
            click.edit(filename=str(tmp), require_save=False)
        except click.ClickException as e:
            failed = e.format_message()
            if "Editing failed:" in failed:  # it could not be started at all
                reason = failed.partition("Editing failed:")[2].strip()
                raise click.ClickException(
                    f"cannot run the editor: {reason}; check $VISUAL and $EDITOR"
                ) from None
        if os.path.islink(tmp):
            raise click.ClickException(
                "the editor left a link in place of the file; nothing written"
            )
        try:
            data = read_bytes(tmp)  # never blocks on a pipe, refuses a folder or a huge file
        except FactsError as e:
            reason = e.problems[0].message if e.problems else "cannot be read"
            where = _keep_large(app, tmp, rejected)
            raise click.ClickException(
                f"the edited file {reason}{where}; nothing written"
            ) from None
        if failed:
            kept = _keep_bytes(app, rejected, data, text)
            where = f"; what it left is kept in {kept}" if kept else ""
            raise click.ClickException(
                f"the editor failed (it ended with an error status){where}; nothing written"
            )
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            kept = _keep_bytes(app, rejected, data, text)
            raise click.ClickException(
                f"the edited file is not UTF-8 text; kept in {kept}, nothing written"
            ) from None
    finally:
        if tmp.is_dir() and not tmp.is_symlink():
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _check_editor() -> None:
    """A clear error for an editor setting that cannot name a program."""
    import os
    import shlex

    for name in ("VISUAL", "EDITOR"):
        value = os.environ.get(name)
        if value is None or value == "":
            continue
        try:
            argv = shlex.split(value, posix=os.name != "nt")
        except ValueError as e:
            raise click.ClickException(
                f"cannot run the editor {value!r}: {e}; check ${name}"
            ) from None
        if not argv:
            raise click.ClickException(f"${name} is blank; set it to your editor, e.g. {name}=nano")
        return


def _keep_large(app: App, tmp: Path, rejected: Path) -> str:
    """An edited file too large (or otherwise unfit) to read as facts, kept if it is a
    regular file; the words to add to the message."""
    from ...store.writer import read_regular

    try:
        data = read_regular(tmp, 1 << 31)
    except OSError:
        return ""
    from ...store.curation import keep_rejected

    kept, notes = keep_rejected(rejected, data)
    app.say(*notes)
    return f"; it is kept in {kept}" if kept else ""


def _keep_bytes(app: App, rejected: Path, data: bytes, original: str) -> Path | None:
    """What an editor left, kept for its author when it differs from what it was given."""
    if data == original.encode("utf-8"):
        return None
    from ...store.curation import keep_rejected

    kept, notes = keep_rejected(rejected, data)
    app.say(*notes)
    return kept


def _keep(app: App, rejected: Path, text: str) -> Path | None:
    """Keep TEXT (see curation.keep_rejected); where nothing can be written, on standard
    output: an edit is never lost."""
    from ...store.curation import keep_rejected

    kept, notes = keep_rejected(rejected, text.encode("utf-8"))
    app.say(*notes)
    if kept is None:
        app.say("cgcli: your edit follows on standard output, so that it is not lost")
        click.echo(text)
    elif kept != rejected:
        app.say(f"cgcli: your edit is kept in {kept}")
    return kept
