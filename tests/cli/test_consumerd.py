"""`consumerd init` / `start`: the home, its config, and one-line errors."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from panacea.cli.consumerd import main
from panacea.consumer.config import ConsumerConfig, load_config


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.output


def test_init_writes_a_home_that_loads(tmp_path: Path) -> None:
    home = tmp_path / "c"
    code, out = run("init", "--home", str(home), "--listen-addr", "127.0.0.1:9999", "--node", "tcp://127.0.0.1:1",
                    "--workers", "0")
    assert (code, out) == (0, f"wrote {home / 'config.toml'}\n")
    assert sorted(p.name for p in home.iterdir()) == ["config.toml", "data", "store"]
    assert load_config(home) == ConsumerConfig(listen_addr="127.0.0.1:9999", node="tcp://127.0.0.1:1", workers=0)
    assert (home / "config.toml").stat().st_mode & 0o777 == 0o600
    assert run("init", "--home", str(home)) == (1, f"Error: {home / 'config.toml'} already exists (pass --force "
                                                   "to overwrite)\n")
    assert run("init", "--home", str(home), "--force")[0] == 0
    assert load_config(home) == ConsumerConfig()


def test_start_reports_config_errors_in_one_line(tmp_path: Path) -> None:
    assert run("start", "--home", str(tmp_path)) == (1, f"Error: no config.toml in {tmp_path} (run `consumerd init` "
                                                        "first)\n")
    cfg = tmp_path / "config.toml"
    for text, message in (
        ("[server\n", f"Error: {cfg}: Expected ']' at the end of a table declaration (at line 1, column 8)"),
        ('[server]\nworkers = "2"\n', f"Error: {cfg}: server.workers must be a int"),
        ('[storage]\nbackend = "tape"\n', f"Error: {cfg}: storage.backend must be one of filesystem, s3, not 'tape'"),
        ('[server]\nlisten-addr = "nowhere"\n',
         f"Error: {cfg}: server.listen-addr must be HOST:PORT, not 'nowhere'"),
        ('[storage]\nbackend = "s3"\n', f"Error: {cfg}: storage.s3 needs bucket and endpoint"),
        ("[limits]\nmax-upload-bytes = 0\n", f"Error: {cfg}: limits.max-upload-bytes must be positive"),
    ):
        cfg.write_text(text)
        assert run("start", "--home", str(tmp_path)) == (1, message + "\n"), text


def test_relative_and_absolute_data_dir(tmp_path: Path) -> None:
    from panacea.consumer.config import data_path

    assert data_path(tmp_path, ConsumerConfig()) == tmp_path / "data"
    assert data_path(tmp_path, ConsumerConfig(data_dir="/srv/objects")) == Path("/srv/objects")
