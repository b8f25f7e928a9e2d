"""``dep did`` / ``dep vc`` / ``dep vp`` and ``dep provider provide`` for presentation-definition deals, against a whole
loopback network (tests.client.depkit: real node, oracle, consumer service): credentials issued and presented from
the node home's keyring, the VP validated by the real oracle and paid; each bad input one clear line.

The oracle resolves did:key here; did:panacea DIDs are registered on chain by ``dep did create`` when the chain's
``did`` module is there."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import base58
import pytest
from click.testing import CliRunner, Result

from panacea.cli import dep
from panacea.client.dep.credentials import did_key
from panacea.client.dep.did import document_for
from panacea.crypto.did import did_for_key
from panacea.crypto.jcs import data_hash
from panacea.oracle.vp import DefaultPresentationValidator
from panacea.types.did_json import document_to_json
from tests.cli.depcli import PROVIDER, error, network, run
from tests.client import nodekit
from tests.client.depkit import SCHEMA_URI, DepNet
from tests.oracle.vp import kit

CAROL = nodekit.key("carol")  # the issuer
HOLDER_DID = did_key(PROVIDER.public_key())
ISSUER_DID = did_key(CAROL.public_key())
CONTEXT = {"HealthCredential": "https://example.org/panacea/HealthCredential", "age": "https://example.org/panacea/age",
           "country": "https://example.org/panacea/country"}
DEFINITION = {"id": "adult-health", "input_descriptors": [{
    "id": "health", "schema": [{"uri": "https://example.org/panacea/HealthCredential", "required": True}],
    "constraints": {"fields": [{"id": "age", "path": ["$.credentialSubject.age"],
                                "filter": {"type": "integer", "minimum": 18}}]}}]}
HAS_DID_MODULE = importlib.util.find_spec("panacea.chain.modules.did") is not None
HAS_DID_RESOLVER = importlib.util.find_spec("panacea.oracle.vp.panacea_did") is not None  # the oracle's did:panacea


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DepNet]:
    yield from network(tmp_path_factory, "dep-did")


def offline(net: DepNet, *args: str, ok: bool = True) -> Result:
    """A command that needs no node (``dep vc issue``, ``dep did derive``): ``--home`` and the test keyring only."""
    result = CliRunner().invoke(dep.main, [*args, "--home", str(net.node.home), "--keyring-backend", "test"],
                                prog_name="dep")
    assert result.exit_code == (0 if ok else 1), (result.output, result.exception)
    assert "Traceback" not in result.output
    return result


def offline_error(net: DepNet, *args: str) -> str:
    lines = offline(net, *args, ok=False).stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0].removeprefix("Error: ")


def write(path: Path, value: Any) -> str:
    path.write_text(value if isinstance(value, str) else json.dumps(value))
    return str(path)


def issue(net: DepNet, tmp_path: Path, age: int = 30, *extra: str, name: str = "vc.json") -> str:
    subject = write(tmp_path / f"subject-{age}.json", {"id": HOLDER_DID, "age": age})
    context = write(tmp_path / "context.json", CONTEXT)
    out = str(tmp_path / name)
    offline(net, "vc", "issue", "--issuer-key", "carol", "--did-key", "--subject", subject, "--type",
            "HealthCredential", "--context", context, "--issued", "2024-01-01T00:00:00Z", "--expires",
            "2030-01-01T00:00:00Z", "--out", out, *extra)
    return out


def pd_deal(net: DepNet, tmp_path: Path) -> int:
    pd = write(tmp_path / "pd.json", DEFINITION)
    out = run(net, "consumer", "create-deal", "--presentation-definition", pd, "--budget", "10000", "--max-data", "3",
              "--endpoint", net.storage_url, "--from", "consumer", "-o", "json").stdout
    return int(json.loads(out)["deal_id"])


def schema_deal(net: DepNet) -> int:
    out = run(net, "consumer", "create-deal", "--schema", SCHEMA_URI, "--budget", "10000", "--max-data", "3",
              "--endpoint", net.storage_url, "--from", "consumer", "-o", "json").stdout
    return int(json.loads(out)["deal_id"])


def test_derive_prints_a_keys_dids(net: DepNet) -> None:
    alice = nodekit.key("alice").public_key()
    assert offline(net, "did", "derive", "--key", "alice").stdout == (
        f"did:panacea  {did_for_key(alice)}\ndid:key      {did_key(alice)}\n")
    assert json.loads(offline(net, "did", "derive", "--key", "alice", "-o", "json").stdout) == {
        "did_panacea": did_for_key(alice), "did_key": did_key(alice)}


def test_issue_present_and_provide_a_vp_to_a_deal(net: DepNet, tmp_path: Path) -> None:
    subject = write(tmp_path / "subject.json", {"id": HOLDER_DID, "age": 30})
    context = write(tmp_path / "context.json", CONTEXT)
    vc_file = tmp_path / "vc.json"
    result = offline(net, "vc", "issue", "--issuer-key", "carol", "--did-key", "--subject", subject, "--type",
                 "HealthCredential", "--context", context, "--issued", "2024-01-01T00:00:00Z", "--expires",
                 "2030-01-01T00:00:00Z", "--id", "urn:uuid:1", "--out", str(vc_file))
    assert result.stdout == f"issued HealthCredential to {HOLDER_DID} by {ISSUER_DID} (ldp): {vc_file}\n"
    vc = json.loads(vc_file.read_text())
    assert {k: v for k, v in vc.items() if k != "proof"} == {
        "@context": ["https://www.w3.org/2018/credentials/v1", CONTEXT], "id": "urn:uuid:1",
        "type": ["VerifiableCredential", "HealthCredential"], "issuer": ISSUER_DID,
        "issuanceDate": "2024-01-01T00:00:00Z", "expirationDate": "2030-01-01T00:00:00Z",
        "credentialSubject": {"id": HOLDER_DID, "age": 30}}
    assert vc["proof"]["verificationMethod"] == f"{ISSUER_DID}#{ISSUER_DID.split(':')[2]}"

    d = pd_deal(net, tmp_path)
    vp_file = tmp_path / "vp.json"
    result = run(net, "vp", "make", "--holder-key", "provider", "--did-key", "--credential", str(vc_file), "--deal",
                 str(d), "--out", str(vp_file), "-o", "json")
    assert json.loads(result.stdout) == {"file": str(vp_file), "holder": HOLDER_DID,
                                         "verification_method": f"{HOLDER_DID}#{HOLDER_DID.split(':')[2]}",
                                         "credentials": 1, "form": "ldp"}
    vp = json.loads(vp_file.read_text())
    assert vp["presentation_submission"]["descriptor_map"] == [
        {"id": "health", "format": "ldp_vc", "path": "$.verifiableCredential[0]"}]
    kit.run(DefaultPresentationValidator().validate(vp_file.read_bytes(), json.dumps(DEFINITION).encode()))

    provided = json.loads(run(net, "provider", "provide", str(d), str(vp_file), "--agree", "none", "--from",
                              "provider", "-o", "json").stdout)
    assert provided["provided"][0]["data_hash"] == data_hash(vp_file.read_bytes())
    assert (provided["reward_umed"], provided["commission_umed"]) == (2999, 333)

    # on the fly: the VP is made from the credential for the deal's definition, signed by --holder-key
    result = run(net, "provider", "provide", str(d), "--credential", str(vc_file), "--holder-key", "provider",
                 "--did-key", "--from", "provider", "-o", "json")
    doc = json.loads(result.stdout)
    assert [p["file"] for p in doc["provided"]] == [str(vc_file)]
    assert (doc["reward_umed"], doc["commission_umed"]) == (2999, 333)
    with net.node.client() as chain:
        assert chain.deal(d).cur_num_data == 2


def test_holder_sets_the_subject_id(net: DepNet, tmp_path: Path) -> None:
    claims = write(tmp_path / "claims.json", {"age": 30})
    out = tmp_path / "vc.json"
    doc = json.loads(offline(net, "vc", "issue", "--issuer-key", "carol", "--holder", HOLDER_DID, "--subject", claims,
                             "--type", "HealthCredential", "--context", write(tmp_path / "c.json", CONTEXT),
                             "--out", str(out), "-o", "json").stdout)
    assert doc == {"file": str(out), "issuer": did_for_key(CAROL.public_key()),
                   "verification_method": f"{did_for_key(CAROL.public_key())}#key1", "subject": HOLDER_DID,
                   "form": "ldp"}
    assert json.loads(out.read_text())["credentialSubject"] == {"id": HOLDER_DID, "age": 30}


def test_jwt_credentials_are_presented_in_a_data_integrity_vp(net: DepNet, tmp_path: Path) -> None:
    vc_file = issue(net, tmp_path, 40, "--form", "jwt", name="vc.jwt")
    assert Path(vc_file).read_text().startswith("ey")
    d = pd_deal(net, tmp_path)
    doc = json.loads(run(net, "provider", "provide", str(d), "--credential", vc_file, "--did-key", "--from",
                         "provider", "-o", "json").stdout)
    assert doc["reward_umed"] == 2999
    jwt_vp = tmp_path / "vp.jwt"
    run(net, "vp", "make", "--holder-key", "provider", "--did-key", "--credential", vc_file, "--deal", str(d),
        "--form", "jwt", "--out", str(jwt_vp))
    kit.run(DefaultPresentationValidator().validate(jwt_vp.read_bytes(), json.dumps(DEFINITION).encode()))
    d = pd_deal(net, tmp_path)  # a VP-JWT is sent enveloped (EnvelopedVerifiablePresentation) and paid the same
    run(net, "vp", "make", "--holder-key", "provider", "--did-key", "--credential", vc_file, "--deal", str(d),
        "--form", "jwt", "--out", str(jwt_vp))
    doc = json.loads(run(net, "provider", "provide", str(d), str(jwt_vp), "--from", "provider", "-o", "json").stdout)
    assert doc["reward_umed"] == 2999


def test_the_oracle_rejects_a_tampered_credential(net: DepNet, tmp_path: Path) -> None:
    vc_file = Path(issue(net, tmp_path, 30))
    d = pd_deal(net, tmp_path)
    vc = json.loads(vc_file.read_text())
    vc["credentialSubject"]["age"] = 31
    tampered = write(tmp_path / "tampered.json", vc)
    assert error(net, "provider", "provide", str(d), "--credential", tampered, "--did-key", "--from", "provider") == (
        "validate: failed to validate VP: credential 0: signature does not verify")


def test_a_credential_the_definition_refuses_fails_before_upload(net: DepNet, tmp_path: Path) -> None:
    minor = issue(net, tmp_path, 16)
    d = pd_deal(net, tmp_path)
    reason = ("no credential meets input descriptor 'health' (credential 0: input descriptor 'health' field 'age': "
              "value does not satisfy the filter (16 is less than the minimum of 18))")
    assert error(net, "provider", "provide", str(d), "--credential", minor, "--did-key", "--from", "provider") == (
        f"make presentation: {reason}")
    assert error(net, "vp", "make", "--holder-key", "provider", "--did-key", "--credential", minor, "--deal", str(d),
                 "--out", str(tmp_path / "x.json")) == f"make presentation: {reason}"
    assert not (tmp_path / "x.json").exists()


def test_bad_input_is_one_clear_line(net: DepNet, tmp_path: Path) -> None:
    vc_file = issue(net, tmp_path, 30)
    context = write(tmp_path / "ctx.json", CONTEXT)
    base = ["vc", "issue", "--issuer-key", "carol", "--type", "HealthCredential", "--out", str(tmp_path / "o.json")]
    missing = str(tmp_path / "missing.json")
    assert offline_error(net, *base, "--subject", missing) == f"file not found: {missing}"
    listed = write(tmp_path / "list.json", [1])
    assert offline_error(net, *base, "--subject", listed) == (
        f'{listed}: the subject is a JSON object, e.g. {{"id": "did:panacea:…", "age": 30}}')
    subject = write(tmp_path / "s.json", {"id": HOLDER_DID, "weight": 70})
    assert offline_error(net, *base, "--subject", subject, "--context", context, "--did-key") == (
        "issue credential: document: term 'weight' is not defined by its @context")
    assert offline_error(net, *base, "--subject", subject, "--context", listed) == (
        f'{listed}: a context file holds a JSON-LD context object, e.g. {{"age": "https://example.org/age"}}')
    assert offline_error(net, *base, "--subject", subject, "--did-key", "--did", HOLDER_DID) == (
        "give --did or --did-key, not both")
    assert offline_error(net, *base, "--subject", subject, "--holder", ISSUER_DID) == (
        f"{subject} names the subject {HOLDER_DID}, not --holder {ISSUER_DID}")
    assert offline_error(net, *base, "--subject", subject, "--did-key", "--expires", "soon") == (
        "issue credential: expirationDate 'soon' is not an ISO 8601 date-time")

    d = schema_deal(net)
    make = ["vp", "make", "--holder-key", "provider", "--did-key", "--out", str(tmp_path / "vp.json")]
    assert error(net, *make, "--credential", vc_file, "--deal", str(d)) == (
        f"deal {d} has no presentation definition (it takes data matching {SCHEMA_URI})")
    assert error(net, *make, "--credential", vc_file, "--deal", str(d), "--definition", vc_file) == (
        "give --deal or --definition, not both")
    assert error(net, *make, "--credential", vc_file, "--definition", listed) == (
        f"{listed}: a presentation definition is a JSON object")
    garbage = write(tmp_path / "garbage.txt", "{not json")
    assert error(net, *make, "--credential", garbage, "--definition", vc_file) == (
        f"{garbage} is neither JSON nor a JWT")
    assert error(net, "vp", "make", "--holder-key", "nobody", "--credential", vc_file, "--out", "x") == (
        f"key 'nobody' not found in the test keyring ({net.node.home / 'keyring-test'})")

    assert error(net, "provider", "provide", str(d), "--from", "provider") == (
        "nothing to provide: give FILE... or --credential VC_FILE")
    assert error(net, "provider", "provide", str(d), vc_file, "--credential", vc_file, "--from", "provider") == (
        "give FILE... (data or presentations) or --credential, not both")
    assert error(net, "provider", "provide", str(d), vc_file, "--did-key", "--from", "provider") == (
        "--holder-key, --did and --did-key go with --credential")
    assert error(net, "provider", "provide", str(d), "--credential", vc_file, "--did-key", "--from", "provider") == (
        f"make presentation: deal {d} takes data matching a JSON schema, not a verifiable presentation")
    assert error(net, "did", "show", HOLDER_DID, keys=False) == f"{HOLDER_DID!r} is not a did:panacea DID"


@pytest.mark.skipif(not HAS_DID_MODULE, reason="the chain's did module is not on this branch yet")
def test_create_and_show_a_did_on_chain(net: DepNet) -> None:
    alice = nodekit.key("alice")
    did = did_for_key(alice.public_key())
    assert run(net, "did", "create", "--from", "alice").stdout == f"{did}\n"
    shown = json.loads(run(net, "did", "show", did, "-o", "json", keys=False).stdout)
    assert shown["did"] == did and shown["sequence"] == 0
    assert shown["document"] == document_to_json(document_for(alice))
    assert shown["document"]["authentications"] == shown["document"]["assertion_methods"] == [f"{did}#key1"]
    key_b58 = base58.b58encode(alice.public_key().compressed).decode()
    assert run(net, "did", "show", did, keys=False).stdout == (
        f"did              {did}\n"
        f"sequence         0\n"
        f"method           {did}#key1 EcdsaSecp256k1VerificationKey2019 {key_b58}\n"
        f"authentication   {did}#key1\n"
        f"assertionMethod  {did}#key1\n")
    assert error(net, "did", "create", "--from", "alice") == (
        f"create DID: failed to execute message; message index: 0: DID: {did}: DID already exists")
    bob = did_for_key(nodekit.key("bob").public_key())
    assert json.loads(run(net, "did", "create", "--from", "alice", "--key", "bob", "--no-assertion-method",
                          "-o", "json").stdout) == {"did": bob, "verification_method": f"{bob}#key1"}
    shown = json.loads(run(net, "did", "show", bob, "-o", "json", keys=False).stdout)
    assert shown["document"]["assertion_methods"] == []
    dave = did_for_key(nodekit.key("dave").public_key())
    assert error(net, "did", "show", dave, keys=False) == f"read DID: {dave}: DID not found: key not found"


@pytest.mark.skipif(not (HAS_DID_MODULE and HAS_DID_RESOLVER), reason="needs the chain's did module and the "
                    "oracle's did:panacea resolver")
def test_a_provider_answers_a_deal_with_did_panacea_credentials(net: DepNet, tmp_path: Path) -> None:
    hospital = run(net, "did", "create", "--from", "carol").stdout.strip()
    holder = run(net, "did", "create", "--from", "provider").stdout.strip()
    assert (hospital, holder) == (did_for_key(CAROL.public_key()), did_for_key(PROVIDER.public_key()))
    claims = write(tmp_path / "claims.json", {"age": 30})
    vc_file = tmp_path / "vc.json"
    offline(net, "vc", "issue", "--issuer-key", "carol", "--holder", holder, "--subject", claims, "--type",
            "HealthCredential", "--context", write(tmp_path / "c.json", CONTEXT), "--out", str(vc_file))
    assert json.loads(vc_file.read_text())["proof"]["verificationMethod"] == f"{hospital}#key1"
    d = pd_deal(net, tmp_path)
    doc = json.loads(run(net, "provider", "provide", str(d), "--credential", str(vc_file), "--from", "provider",
                         "-o", "json").stdout)
    assert (doc["reward_umed"], doc["commission_umed"]) == (2999, 333)
    # a VP signed by a key the holder's DID does not list is refused by the oracle
    assert error(net, "provider", "provide", str(d), "--credential", str(vc_file), "--holder-key", "alice",
                 "--did", holder, "--from", "provider") == (
        "validate: failed to validate VP: presentation: signature does not verify")
