"""config.toml (oracle-reference §8 "config"): template round trip, paths, one-line errors naming the key."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from panacea.oracle.config import ChainSection, Duration, OracleConfig, from_toml, seconds, to_toml
from panacea.oracle.errors import ConfigError


def test_write_and_read_round_trips_exactly() -> None:
    config = OracleConfig(panacea=replace(ChainSection(), chain_id="test"))
    text = to_toml(config)
    assert from_toml(text) == config
    assert to_toml(from_toml(text)) == text
    assert 'chain-id = "test"' in text and 'max-lifetime = "5m"' in text and "allow = []" in text
    assert "mnemonic =" not in text and "# No mnemonic here: the oracle account comes from ORACLE_MNEMONIC" in text


def test_config_abs_path() -> None:
    home = Path("/home/oracle")
    assert OracleConfig.path(home, "oracle_priv_key.sealed") == home / "oracle_priv_key.sealed"
    assert OracleConfig.path(home, "data") == home / "data"
    assert OracleConfig.path(home, "/abs/node_priv_key.sealed") == Path("/abs/node_priv_key.sealed")


def test_durations_print_as_go_strings() -> None:
    assert [str(d) for d in (seconds(5), seconds(60), seconds(300), seconds(3600), Duration(1_500_000_000))] == [
        "5s", "1m", "5m", "1h", "1500ms"]
    assert seconds(15).seconds == 15.0


@pytest.mark.parametrize(("text", "message"), [
    ("bogus = 1", "unknown config key bogus"),
    ("[api]\nworkers = -1", "invalid config api.workers: must be in [0, 256] (0 = one per core)"),
    ("[api]\nworkers = true", "invalid config api.workers: must be a integer"),
    ("[api]\nlisten-addr = \"nope\"", "invalid config api.listen-addr: must be host:port"),
    ("[consumer]\ntimeout = 5", 'invalid config consumer.timeout: must be a duration string like "5s"'),
    ("[consumer]\ntimeout = \"5 s\"", "invalid config consumer.timeout: '5 s' is not a duration"),
    ("[jwt]\nmax-lifetime = \"-1s\"", "invalid config jwt.max-lifetime: must be positive"),
    ("[panacea]\nrpc-addr = \"ftp://x\"",
     "invalid config panacea.rpc-addr: must be tcp://, http:// or https:// host:port"),
    ("[panacea]\nverification = \"none\"", "invalid config panacea.verification: must be one of light-client, trusted"),
    ("[panacea]\ntrust-period = \"0s\"", "invalid config panacea.trust-period: must be positive"),
    ("[panacea]\ntrust-period = 336", 'invalid config panacea.trust-period: must be a duration string like "5s"'),
    ("[panacea]\ndefault-fee-amount = \"1atom\"",
     'invalid config panacea.default-fee-amount: must be an amount of umed like "2000000umed"'),
    ("[ssrf]\nallow = [\"not a host!\"]",
     "invalid config ssrf.allow: 'not a host!' is neither an IP network nor a host name"),
    ("[ssrf]\nallow = \"127.0.0.1\"", "invalid config ssrf.allow: must be a list of strings"),
    ("[enclave]\nbackend = \"sgx\"", "invalid config enclave.backend: must be one of simulated"),
    ("[enclave]\ntrusted-attestation-keys = [\"AAAA\"]",
     "invalid config enclave.trusted-attestation-keys: each entry must be a base64 compressed secp256k1 public key"),
    ("keyring-backend = \"os\"", "invalid config keyring-backend: must be file or test"),
    ("log-level = \"loud\"", "invalid config log-level: must be one of debug, info, warn, error"),
    ("api = 1", "invalid config api: must be a table"),
    ("[api", "config.toml is not valid TOML: Expected ']' at the end of a table declaration (at end of document)"),
])
def test_bad_values_name_the_key(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        from_toml(text)
    assert info.value.message == message


def test_partial_config_keeps_defaults() -> None:
    config = from_toml('[ssrf]\nallow = ["127.0.0.0/8", "localhost"]\n[schemas]\nfetch = false')
    assert config.ssrf.allow == ("127.0.0.0/8", "localhost") and config.schemas.fetch is False
    assert config.api == OracleConfig().api


def test_chain_reads_are_verified_by_a_light_client_with_a_two_week_trust_period_by_default() -> None:
    chain = OracleConfig().panacea
    assert (chain.verification, chain.trust_period, str(chain.trust_period)) == (
        "light-client", 14 * 24 * 3600 * 10**9, "336h")
    text = to_toml(OracleConfig())
    assert 'verification = "light-client"\ntrust-period = "336h"\n' in text
    trusted = from_toml('[panacea]\nverification = "trusted"\ntrust-period = "24h"')
    assert (trusted.panacea.verification, trusted.panacea.trust_period) == ("trusted", 24 * 3600 * 10**9)
    assert from_toml(to_toml(trusted)) == trusted
