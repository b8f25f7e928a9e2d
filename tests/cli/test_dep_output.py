"""The pieces of ``dep``'s output that need no network: amounts, rates, terms, and the terminal paths (a rich table on
a terminal, the progress bar on a terminal stderr)."""

from __future__ import annotations

import io
import sys

import click
import pytest

from panacea.cli import dep_output
from panacea.client.dep import Term


@pytest.mark.parametrize(("text", "umed"), [("10000", 10000), ("10000umed", 10000), ("7 UMED", 7), ("0.01med", 10000),
                                            ("1.5MED", 1500000), (".000001med", 1), ("0", 0)])
def test_amounts(text: str, umed: int) -> None:
    assert dep_output.parse_amount(text, "--budget") == umed


@pytest.mark.parametrize(("text", "message"), [
    ("-1", "invalid --budget '-1': an amount of umed (10000 or 10000umed) or of MED (0.01med)"),
    ("1e3", "invalid --budget '1e3': an amount of umed (10000 or 10000umed) or of MED (0.01med)"),
    ("1.5umed", "invalid --budget '1.5umed': an amount of umed (10000 or 10000umed) or of MED (0.01med)"),
    ("0.0000001med", "invalid --budget '0.0000001med': finer than 1umed (0.000001med)"),
])
def test_bad_amounts(text: str, message: str) -> None:
    with pytest.raises(click.ClickException) as info:
        dep_output.parse_amount(text, "--budget")
    assert info.value.message == message


def test_rates_and_terms() -> None:
    assert [dep_output.rate(w) for w in ("100000000000000000", "0", "", "1000000000000000000", "12345")] == [
        "0.1", "0", "0", "1", "0.000000000000012345"]
    assert Term.from_text("share: my data: all of it") == Term("share", "my data: all of it")
    assert Term.from_text(" contact ", required=True) == Term("contact", "contact", True)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_tables_and_progress_are_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    out, err = _Tty(), _Tty()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setenv("COLUMNS", "120")
    dep_output.table(["id", "status"], [["1", "ACTIVE"]])
    with dep_output.progress("fetch", 2) as advance:
        advance("one")
        advance("two")
    assert "ACTIVE" in out.getvalue() and "ID" in out.getvalue()
    assert "fetch" not in out.getvalue()  # progress goes to stderr only


def test_an_unreachable_node_is_one_line(tmp_path: object) -> None:
    from click.testing import CliRunner

    from panacea.cli import dep
    from tests.client.nodekit import free_port

    node = f"tcp://127.0.0.1:{free_port()}"
    for args, head in ((["oracles"], f"Error: cannot reach node {node}: "),
                       (["consumer", "status", "1"], f"Error: read deal: cannot reach node {node}: ")):
        r = CliRunner().invoke(dep.main, [*args, "--node", node, "--home", str(tmp_path)], prog_name="dep")
        assert r.exit_code == 1 and r.stdout == "" and r.stderr.startswith(head) and r.stderr.count("\n") == 1, r.output
