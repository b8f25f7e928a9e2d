"""Entry points whose issue has not landed yet still exist and say so plainly."""

import click


def not_yet(name: str, what: str) -> click.Command:
    @click.command(name=name, context_settings={"ignore_unknown_options": True},
                   short_help="Not yet available.", help=f"Run {what} (not yet available in this version).")
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def cmd(args: tuple[str, ...]) -> None:
        raise click.ClickException(f"{what} is not yet available in this version")

    return cmd
