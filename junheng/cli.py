"""The ``junheng`` command line: a click group whose sub-commands load lazily.

Each command lives next to the code it drives and is imported only when it runs, so
``junheng extract`` never pays for FastAPI, DuckDB, matplotlib or torch.
"""

from __future__ import annotations

import importlib

import click

# name -> (module, attribute, one-line help). Modules are imported only when the command runs.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "demo": ("junheng.extract.cli", "demo_cmd", "Run the main job on the bundled sample corpus."),
    "extract": ("junheng.extract.cli", "extract_cmd", "Extract claim records from documents."),
    "cv": ("junheng.indicators.cli_cv", "cv_cmd", "Coefficients of variation from a school table."),
    "check": ("junheng.indicators.cli_check", "check_cmd", "Consistency checks of documents."),
    "compare": (
        "junheng.indicators.cli_compare",
        "compare_cmd",
        "Compare regions across documents.",
    ),
    "ingest": ("junheng.api.cli_store", "ingest_cmd", "Ingest documents into a store."),
    "serve": ("junheng.api.cli_store", "serve_cmd", "Serve a store over HTTP (FastAPI)."),
    "models": ("junheng.models.cli", "models_cmd", "Train, evaluate and run the learned parts."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr, short = COMMANDS[name]
        try:
            cmd = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError) as exc:  # a command not built yet, a missing extra
            reason = f"'{name}' is unavailable: {exc}"

            @click.command(name=name, help=short)
            def unavailable() -> None:
                raise click.ClickException(reason)

            return unavailable
        return cmd

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, short) for name, (_, _, short) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup)
@click.version_option(package_name="junheng")
def main() -> None:
    """junheng: grounded quantitative claims from Chinese compulsory-education documents."""


if __name__ == "__main__":
    main()
