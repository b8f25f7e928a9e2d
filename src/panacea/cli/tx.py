"""``panacead tx …``: build, sign (SIGN_MODE_DIRECT), broadcast and wait for a block; prints the tx result JSON.

Every tx command takes the same flags (``--from``, ``--node``, ``--chain-id``, ``--fees``, ``--gas``, …); a tx that
fails in CheckTx, simulation or the block exits 1 with the chain's log.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

import click
from google.protobuf.message import Message

from panacea.cli.common import check_proto_json, client_options, known_fields, open_keyring, print_json, read_json_file
from panacea.client.base import DEFAULT_TX_TIMEOUT
from panacea.client.fees import DEFAULT_GAS_ADJUSTMENT
from panacea.client.keyring import Keyring
from panacea.client.types import Gas, TxResponse

Build = Callable[[str], list[Message]]

_TX_OPTIONS = [
    click.option("--from", "from_", help="key name or address that signs the tx"),
    click.option("--fees", default="", help="fee to pay, e.g. 2000umed"),
    click.option("--gas-prices", help="gas price in umed (e.g. 5umed): fee = gas × price, instead of --fees"),
    click.option("--gas", default="auto", show_default=True, help="gas limit, or 'auto' to simulate"),
    click.option("--gas-adjustment", type=float, default=DEFAULT_GAS_ADJUSTMENT, show_default=True,
                 help="multiplies the simulated gas when --gas auto"),
    click.option("--note", "--memo", "memo", default="", help="tx memo"),
    click.option("--timeout", type=float, default=DEFAULT_TX_TIMEOUT, show_default=True,
                 help="seconds to wait for the tx to be included in a block"),
    click.option("--yes", "-y", is_flag=True, help="accepted for compatibility; this CLI never prompts"),
]


def tx_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed(_TX_OPTIONS):
        f = opt(f)
    return client_options("keyring-backend", "node", "chain-id")(f)


def _parse_gas(value: str) -> Gas:
    if value == "auto":
        return "auto"
    try:
        gas = int(value)
    except ValueError:
        raise click.ClickException(f"invalid --gas {value!r}: expected 'auto' or a positive integer") from None
    if gas <= 0:
        raise click.ClickException(f"invalid --gas {value!r}: expected 'auto' or a positive integer")
    return gas


def broadcast(opts: dict[str, Any], build: Build, from_: str | None = None,
              extra: Callable[[TxResponse], dict[str, object]] | None = None) -> None:
    """Sign ``build(signer_address)`` with the --from key, send it, print the result (and ``extra`` of a
    committed tx, e.g. the new deal's id); exit 1 if it failed."""
    from panacea.client.fees import fee_amount
    from panacea.client.sync import ChainClient

    who = from_ or opts["from_"]
    if not who:
        raise click.ClickException("--from is required: a key name or address from the keyring")
    if opts["fees"] and opts["gas_prices"]:
        raise click.ClickException("pass either --fees or --gas-prices, not both")
    gas = _parse_gas(opts["gas"])
    fee_amount(opts["fees"] or 0, 1, opts["gas_prices"])  # reject bad fee input before touching keys or the node
    keyring = open_keyring(opts["home"], opts["keyring_backend"])
    if from_ and opts["from_"] and opts["from_"] != from_:
        _same_sender(keyring, from_, opts["from_"])
    key = keyring.private_key(who)
    msgs = build(key.bech32())
    with ChainClient(opts["node"], opts["chain_id"]) as client:
        result = client.wallet(key).send(
            msgs, gas=gas, fee=opts["fees"] or 0, gas_price=opts["gas_prices"],
            gas_adjustment=opts["gas_adjustment"], memo=opts["memo"], timeout=opts["timeout"],
        )
    print_json({**result.to_json(), **(extra(result) if extra and result.ok else {})})
    if not result.ok:
        raise click.ClickException(result.raw_log or f"tx failed with code {result.code}")


def _same_sender(keyring: Keyring, positional: str, flag: str) -> None:
    """``tx bank send FROM …`` signs with FROM (as the SDK); a ``--from`` naming another key is an error."""
    from panacea.client.keyring import KeyringError

    try:
        if keyring.find(positional).address == keyring.find(flag).address:
            return
    except KeyringError:
        pass
    raise click.ClickException(f"--from {flag} conflicts with the sender {positional}: give the sender once")


# --- input helpers ------------------------------------------------------------------------------------------
def _b64(value: str, what: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except binascii.Error:
        raise click.ClickException(f"{what} is not valid base64") from None


def _hex(value: str, what: str) -> bytes:
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise click.ClickException(f"{what} is not valid hex") from None


def _dec_wire(value: str, what: str) -> str:
    from panacea.types.dec import dec_to_wire, parse_dec

    try:
        return dec_to_wire(parse_dec(value))
    except ValueError as e:
        raise click.ClickException(f"invalid {what} {value!r}: {e}") from None


def _address(value: str, what: str) -> str:
    from panacea.chain import addr

    if not addr.valid(value):
        raise click.ClickException(f"invalid {what}: {value!r} is not a panacea1… address")
    return value


def _coins_pb(text: str, what: str) -> list[Any]:
    from panacea.types.coins import parse_coins
    from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2

    try:
        coins = parse_coins(text)
    except ValueError as e:
        raise click.ClickException(f"invalid {what} {text!r}: {e}") from None
    return [coin_pb2.Coin(denom=c.denom, amount=str(c.amount)) for c in coins]


@click.group("tx")
def tx() -> None:
    """Sign and broadcast transactions."""


# --- bank ---------------------------------------------------------------------------------------------------
@tx.group("bank")
def bank() -> None:
    """Bank transactions."""


@bank.command("send")
@click.argument("from_key_or_address")
@click.argument("to_address")
@click.argument("coins")
@tx_options
def bank_send(from_key_or_address: str, to_address: str, coins: str, **opts: Any) -> None:
    """Send COINS (e.g. 1000umed) from FROM_KEY_OR_ADDRESS to TO_ADDRESS."""
    from panacea.types.pb.cosmos.bank.v1beta1 import tx_pb2

    to = _address(to_address, "recipient address")
    amount = _coins_pb(coins, "coins")
    if not amount:
        raise click.ClickException(f"invalid coins {coins!r}: must send a positive amount")
    broadcast(opts, lambda me: [tx_pb2.MsgSend(from_address=me, to_address=to, amount=amount)], from_key_or_address)


# --- datadeal -----------------------------------------------------------------------------------------------
_JSON_KINDS = {int: "an integer", str: "a string", list: "a list", dict: "an object", bool: "true or false"}
DEAL_FIELDS = ("data_schema", "budget", "max_num_data", "consumer_address", "agreement_terms",
               "presentation_definition", "consumer_service_endpoint")
COIN_FIELDS = ("denom", "amount")
TERM_FIELDS = ("id", "required", "title", "description")


def parse_create_deal(doc: Any, where: str) -> Any:
    """MsgCreateDeal from JSON (spec §2.13): snake_case or camelCase keys, budget.amount a string,
    presentation_definition base64, numbers as numbers. Departure: unknown keys are rejected, not ignored."""
    from panacea.types.pb.cosmos.base.v1beta1 import coin_pb2
    from panacea.types.pb.panacea.datadeal.v2 import deal_pb2, tx_pb2

    def fail(text: str) -> click.ClickException:
        return click.ClickException(f"{where}: {text}")

    def fields(obj: dict[str, Any], names: tuple[str, ...], at: str = "") -> dict[str, Any]:
        try:
            return known_fields(obj, names, at)
        except ValueError as e:
            raise fail(str(e)) from None

    def field(obj: dict[str, Any], name: str, kind: type, what: str) -> Any:
        value = obj.get(name)
        if value is None:
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise fail(f"{what} must be {_JSON_KINDS[kind]}")
        return value

    def uint(obj: dict[str, Any], name: str, what: str, bits: int) -> int:
        value = field(obj, name, int, what) or 0
        if not 0 <= value < (1 << bits):
            raise fail(f"{what} is out of range")
        return int(value)

    if not isinstance(doc, dict):
        raise fail("must hold a JSON object")
    doc = fields(doc, DEAL_FIELDS)
    msg = tx_pb2.MsgCreateDeal()
    schema = field(doc, "data_schema", list, "data_schema")
    if schema is not None:
        if not all(isinstance(s, str) for s in schema):
            raise fail("data_schema must be a list of strings")
        msg.data_schema.extend(schema)
    budget = field(doc, "budget", dict, "budget")
    if budget is not None:
        budget = fields(budget, COIN_FIELDS, "budget.")
        amount = budget.get("amount")
        if amount is not None and not isinstance(amount, str):
            raise fail("budget.amount must be a JSON string (e.g. \"1000000\")")
        denom = field(budget, "denom", str, "budget.denom") or ""
        if amount is not None and not (amount.lstrip("-").isdigit() and len(amount) <= 80):
            raise fail(f"budget.amount {amount[:40]!r} is not an integer")
        msg.budget.CopyFrom(coin_pb2.Coin(denom=denom, amount=str(int(amount)) if amount is not None else ""))
    msg.max_num_data = uint(doc, "max_num_data", "max_num_data", 64)
    msg.consumer_address = field(doc, "consumer_address", str, "consumer_address") or ""
    terms = field(doc, "agreement_terms", list, "agreement_terms") or []
    for i, t in enumerate(terms):
        if not isinstance(t, dict):
            raise fail("agreement_terms must be a list of objects")
        t = fields(t, TERM_FIELDS, f"agreement_terms[{i}].")
        msg.agreement_terms.append(deal_pb2.AgreementTerm(
            id=uint(t, "id", "agreement term id", 32), required=bool(field(t, "required", bool, "required")),
            title=field(t, "title", str, "title") or "", description=field(t, "description", str, "description") or ""))
    pd = field(doc, "presentation_definition", str, "presentation_definition (base64)")
    if pd:
        msg.presentation_definition = _b64(pd, f"{where}: presentation_definition")
    msg.consumer_service_endpoint = field(doc, "consumer_service_endpoint", str, "consumer_service_endpoint") or ""
    return msg


@tx.group("datadeal")
def datadeal() -> None:
    """Data deal transactions."""


@datadeal.command("create-deal", short_help="Create a deal from a JSON file.")
@click.argument("deal_file")
@tx_options
def create_deal(deal_file: str, **opts: Any) -> None:
    """Create a deal from DEAL_FILE (JSON MsgCreateDeal; consumer_address defaults to --from)."""
    msg = parse_create_deal(read_json_file(deal_file), deal_file)

    def build(me: str) -> list[Message]:
        if not msg.consumer_address:
            msg.consumer_address = me
        elif msg.consumer_address != me:
            raise click.ClickException(f"consumer_address {msg.consumer_address} in {deal_file} is not the "
                                       f"--from account {me}")
        return [msg]

    broadcast(opts, build, extra=_deal_id)


def _deal_id(result: TxResponse) -> dict[str, object]:
    """The new deal's id, from the MsgCreateDealResponse in the tx data (a TxMsgData), as a u64 JSON string."""
    from panacea.types.pb.cosmos.base.abci.v1beta1 import abci_pb2
    from panacea.types.pb.panacea.datadeal.v2 import tx_pb2

    responses = abci_pb2.TxMsgData.FromString(result.data).data
    return {"deal_id": str(tx_pb2.MsgCreateDealResponse.FromString(responses[0].data).deal_id)}


@datadeal.command("deactivate-deal", short_help="Deactivate a deal and refund it.")
@click.argument("deal_id", type=click.IntRange(min=0))
@tx_options
def deactivate_deal(deal_id: int, **opts: Any) -> None:
    """Deactivate deal DEAL_ID and refund its remaining budget (consumer only)."""
    from panacea.types.pb.panacea.datadeal.v2 import tx_pb2

    broadcast(opts, lambda me: [tx_pb2.MsgDeactivateDeal(deal_id=deal_id, requester_address=me)])


def parse_consent(doc: Any, where: str) -> Any:
    """Consent from protobuf JSON (jsonpb: either key style, u64 as string or number, bytes base64, unknown keys
    rejected); a wrong type is reported by its path, never in the parser's words."""
    from panacea.types.pb.panacea.datadeal.v2 import consent_pb2
    from panacea.types.protojson import from_json

    try:
        check_proto_json(doc, consent_pb2.Consent)
        return from_json(doc, consent_pb2.Consent)
    except ValueError as e:
        raise click.ClickException(f"{where}: {e}") from None


@datadeal.command("submit-consent", short_help="Submit a consent from a JSON file.")
@click.argument("consent_file")
@tx_options
def submit_consent(consent_file: str, **opts: Any) -> None:
    """Submit the consent in CONSENT_FILE (protobuf JSON of Consent, with the oracle's certificate)."""
    from panacea.types.pb.panacea.datadeal.v2 import tx_pb2

    consent = parse_consent(read_json_file(consent_file), consent_file)

    def build(me: str) -> list[Message]:
        provider = consent.certificate.unsigned_certificate.provider_address
        if provider and provider != me:
            raise click.ClickException(f"the certificate's provider_address {provider} is not the --from account {me}")
        return [tx_pb2.MsgSubmitConsent(consent=consent)]

    broadcast(opts, build)


# --- oracle -------------------------------------------------------------------------------------------------
@tx.group("oracle")
def oracle() -> None:
    """Oracle transactions."""


_NODE_KEY_OPTIONS = [
    click.option("--oracle-unique-id", required=True, help="unique ID of the oracle (enclave) version"),
    click.option("--node-public-key", required=True, help="base64 node public key"),
    click.option("--node-public-key-remote-report", required=True, help="base64 remote report of the node key"),
    click.option("--trusted-block-height", required=True, type=int, help="height of a trusted Panacea block"),
    click.option("--trusted-block-hash", required=True, help="hex hash of that block"),
]


def _node_key_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed(_NODE_KEY_OPTIONS):
        f = opt(f)
    return f


def _node_key_fields(opts: dict[str, Any]) -> dict[str, Any]:
    return {
        "unique_id": opts.pop("oracle_unique_id"),
        "node_pub_key": _b64(opts.pop("node_public_key"), "node public key"),
        "node_pub_key_remote_report": _b64(opts.pop("node_public_key_remote_report"), "node public key remote report"),
        "trusted_block_height": opts.pop("trusted_block_height"),
        "trusted_block_hash": _hex(opts.pop("trusted_block_hash"), "trusted block hash"),
    }


@oracle.command("register-oracle", short_help="Register as an oracle.")
@_node_key_options
@click.option("--oracle-endpoint", default="", help="the oracle's endpoint URL")
@click.option("--oracle-commission-rate", required=True)
@click.option("--oracle-commission-max-rate", required=True)
@click.option("--oracle-commission-max-change-rate", required=True)
@tx_options
def register_oracle(oracle_endpoint: str, oracle_commission_rate: str, oracle_commission_max_rate: str,
                    oracle_commission_max_change_rate: str, **opts: Any) -> None:
    """Register the --from account as an oracle for a unique ID (then an active oracle approves it)."""
    from panacea.types.pb.panacea.oracle.v2 import tx_pb2

    fields = _node_key_fields(opts)
    rates: dict[str, Any] = {
        "oracle_commission_rate": _dec_wire(oracle_commission_rate, "commission rate"),
        "oracle_commission_max_rate": _dec_wire(oracle_commission_max_rate, "commission max rate"),
        "oracle_commission_max_change_rate": _dec_wire(oracle_commission_max_change_rate, "commission max change rate"),
    }
    broadcast(opts, lambda me: [tx_pb2.MsgRegisterOracle(oracle_address=me, endpoint=oracle_endpoint, **fields,
                                                         **rates)])


@oracle.command("upgrade-oracle", short_help="Request an oracle upgrade.")
@_node_key_options
@tx_options
def upgrade_oracle(**opts: Any) -> None:
    """Request the oracle upgrade of the --from oracle to the scheduled unique ID."""
    from panacea.types.pb.panacea.oracle.v2 import tx_pb2

    fields = _node_key_fields(opts)
    broadcast(opts, lambda me: [tx_pb2.MsgUpgradeOracle(oracle_address=me, **fields)])


@oracle.command("update-oracle-info", short_help="Change an oracle's endpoint or commission.")
@click.option("--oracle-endpoint", default="", help="new endpoint (empty: unchanged)")
@click.option("--oracle-commission-rate", default="", help="new commission rate (empty: unchanged)")
@tx_options
def update_oracle_info(oracle_endpoint: str, oracle_commission_rate: str, **opts: Any) -> None:
    """Change the endpoint and/or commission rate of the --from oracle."""
    from panacea.types.pb.panacea.oracle.v2 import tx_pb2

    rate = _dec_wire(oracle_commission_rate, "commission rate") if oracle_commission_rate else ""
    broadcast(opts, lambda me: [tx_pb2.MsgUpdateOracleInfo(oracle_address=me, endpoint=oracle_endpoint,
                                                           oracle_commission_rate=rate)])


_APPROVAL_ARGS = [
    click.argument("target_oracle_address"),
    click.argument("encrypted_oracle_priv_key"),
    click.argument("signature"),
    click.option("--approver-unique-id", help="unique ID of the approving oracle (default: the chain's active one)"),
    click.option("--target-unique-id", help="unique ID of the target (default: see the command help)"),
]


def _approval_args(f: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed(_APPROVAL_ARGS):
        f = opt(f)
    return f


def _approval(opts: dict[str, Any], default_target: Callable[[Any], str]) -> tuple[Callable[[str], Any], bytes]:
    """The ApprovalSharingOracleKey builder and the signature; unique IDs default from the chain."""
    from panacea.client.sync import ChainClient
    from panacea.types.pb.panacea.oracle.v2 import tx_pb2

    target = _address(opts.pop("target_oracle_address"), "target oracle address")
    encrypted = _b64(opts.pop("encrypted_oracle_priv_key"), "encrypted oracle private key")
    signature = _b64(opts.pop("signature"), "signature")
    approver_uid, target_uid = opts.pop("approver_unique_id"), opts.pop("target_unique_id")
    if approver_uid is None or target_uid is None:
        with ChainClient(opts["node"], opts["chain_id"]) as client:
            approver_uid = approver_uid or client.oracle_params().unique_id
            target_uid = target_uid or default_target(client)

    def approval(me: str) -> Any:
        return tx_pb2.ApprovalSharingOracleKey(
            approver_unique_id=approver_uid, approver_oracle_address=me, target_unique_id=target_uid,
            target_oracle_address=target, encrypted_oracle_priv_key=encrypted)

    return approval, signature


@oracle.command("approve-oracle-registration", short_help="Approve an oracle registration.")
@_approval_args
@tx_options
def approve_oracle_registration(**opts: Any) -> None:
    """Approve the registration of TARGET_ORACLE_ADDRESS, handing it the oracle key encrypted for its node key.

    ENCRYPTED_ORACLE_PRIV_KEY and SIGNATURE (DER, over the ApprovalSharingOracleKey bytes, by the oracle key)
    are base64. The target unique ID defaults to the chain's active one."""
    from panacea.types.pb.panacea.oracle.v2 import tx_pb2

    approval, signature = _approval(opts, lambda client: str(client.oracle_params().unique_id))
    broadcast(opts, lambda me: [tx_pb2.MsgApproveOracleRegistration(approval_sharing_oracle_key=approval(me),
                                                                    signature=signature)])


def _scheduled_unique_id(client: Any) -> str:
    info = client.upgrade_info()
    if info is None:
        raise click.ClickException("no oracle upgrade is scheduled; pass --target-unique-id")
    return str(info.unique_id)


@oracle.command("approve-oracle-upgrade", short_help="Approve an oracle upgrade.")
@_approval_args
@tx_options
def approve_oracle_upgrade(**opts: Any) -> None:
    """Approve the upgrade of TARGET_ORACLE_ADDRESS (arguments as approve-oracle-registration).

    The target unique ID defaults to the scheduled upgrade's."""
    from panacea.types.pb.panacea.oracle.v2 import tx_pb2

    approval, signature = _approval(opts, _scheduled_unique_id)
    broadcast(opts, lambda me: [tx_pb2.MsgApproveOracleUpgrade(approval_sharing_oracle_key=approval(me),
                                                               signature=signature)])


# --- gov ----------------------------------------------------------------------------------------------------
@tx.group("gov")
def gov() -> None:
    """Governance transactions."""


@gov.group("submit-proposal")
def submit_proposal() -> None:
    """Submit a proposal with an initial deposit."""


def _submit(opts: dict[str, Any], content: Message, deposit: str) -> None:
    from panacea.types.anyutil import pack_any
    from panacea.types.pb.cosmos.gov.v1beta1 import tx_pb2

    coins = _coins_pb(deposit, "deposit")
    broadcast(opts, lambda me: [tx_pb2.MsgSubmitProposal(content=pack_any(content), initial_deposit=coins,
                                                         proposer=me)])


@submit_proposal.command("oracle-upgrade", short_help="Propose an oracle upgrade.")
@click.option("--upgrade-unique-id", required=True, help="unique ID of the new oracle version")
@click.option("--upgrade-height", required=True, type=int, help="height at which the upgrade happens")
@click.option("--title", default="", help="proposal title")
@click.option("--description", default="", help="proposal description")
@click.option("--deposit", default="", help="initial deposit, e.g. 10000000umed")
@tx_options
def oracle_upgrade_proposal(upgrade_unique_id: str, upgrade_height: int, title: str, description: str, deposit: str,
                            **opts: Any) -> None:
    """Propose an oracle upgrade to a new unique ID at a height."""
    from panacea.types.pb.panacea.oracle.v2 import proposal_pb2

    content = proposal_pb2.OracleUpgradeProposal(
        title=title, description=description,
        plan=proposal_pb2.Plan(unique_id=upgrade_unique_id, height=upgrade_height))
    _submit(opts, content, deposit)


def parse_param_change(doc: Any, where: str) -> tuple[Any, str]:
    """The SDK's param-change proposal file: {title, description, changes: [{subspace, key, value}], deposit};
    each value is raw JSON (kept as its compact JSON text, like json.RawMessage)."""
    from panacea.types.pb.cosmos.params.v1beta1 import params_pb2

    if not isinstance(doc, dict):
        raise click.ClickException(f"{where}: must hold a JSON object")
    try:
        doc = known_fields(doc, ("title", "description", "changes", "deposit"), "")
    except ValueError as e:
        raise click.ClickException(f"{where}: {e}") from None
    changes = doc.get("changes")
    if not isinstance(changes, list):
        raise click.ClickException(f"{where}: changes must be a list")
    if not all(isinstance(doc.get(k, ""), str) for k in ("title", "description")):
        raise click.ClickException(f"{where}: title and description must be strings")
    proposal = params_pb2.ParameterChangeProposal(title=doc.get("title", ""), description=doc.get("description", ""))
    for c in changes:
        if not isinstance(c, dict) or not all(isinstance(c.get(k, ""), str) for k in ("subspace", "key")) \
                or set(c) - {"subspace", "key", "value"}:
            raise click.ClickException(f"{where}: each change needs string subspace and key, and a value")
        proposal.changes.add(subspace=c.get("subspace", ""), key=c.get("key", ""),
                             value=json.dumps(c.get("value"), separators=(",", ":")) if "value" in c else "")
    deposit = doc.get("deposit", "")
    if not isinstance(deposit, str):
        raise click.ClickException(f"{where}: deposit must be a string like \"10000000umed\"")
    return proposal, deposit


@submit_proposal.command("param-change", short_help="Propose parameter changes from a file.")
@click.argument("proposal_file")
@tx_options
def param_change_proposal(proposal_file: str, **opts: Any) -> None:
    """Propose parameter changes described in PROPOSAL_FILE (SDK JSON format)."""
    content, deposit = parse_param_change(read_json_file(proposal_file), proposal_file)
    _submit(opts, content, deposit)


@gov.command("deposit")
@click.argument("proposal_id", type=click.IntRange(min=0))
@click.argument("deposit")
@tx_options
def deposit(proposal_id: int, deposit: str, **opts: Any) -> None:
    """Add DEPOSIT to proposal PROPOSAL_ID."""
    from panacea.types.pb.cosmos.gov.v1beta1 import tx_pb2

    coins = _coins_pb(deposit, "deposit")
    broadcast(opts, lambda me: [tx_pb2.MsgDeposit(proposal_id=proposal_id, depositor=me, amount=coins)])


VOTE_OPTIONS: dict[str, Any] = {"yes": 1, "abstain": 2, "no": 3, "no_with_veto": 4}


@gov.command("vote", short_help="Vote on a proposal.")
@click.argument("proposal_id", type=click.IntRange(min=0))
@click.argument("option", type=click.Choice(list(VOTE_OPTIONS), case_sensitive=False))
@tx_options
def vote(proposal_id: int, option: str, **opts: Any) -> None:
    """Vote OPTION on proposal PROPOSAL_ID (genesis validator voters only)."""
    from panacea.types.pb.cosmos.gov.v1beta1 import tx_pb2

    choice = VOTE_OPTIONS[option.lower()]
    broadcast(opts, lambda me: [tx_pb2.MsgVote(proposal_id=proposal_id, voter=me, option=choice)])



