// cosmjs 0.39 as an ordinary web app uses it, against a Panacea node; prints one JSON line of what it saw.
// Usage: node client.mjs '{"rpc": "http://127.0.0.1:26657", "sender_key_hex": "…", "recipient": "panacea1…",
//                          "amount": 12345, "gas_price": "5umed", "unknown": "panacea1…"}'
import { fromHex, toHex } from "@cosmjs/encoding";
import { DirectSecp256k1Wallet, Registry } from "@cosmjs/proto-signing";
import { GasPrice, QueryClient, SigningStargateClient, defaultRegistryTypes, setupTxExtension } from "@cosmjs/stargate";
import { connectComet } from "@cosmjs/tendermint-rpc";
import { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import { Coin } from "cosmjs-types/cosmos/base/v1beta1/coin";

const CREATE_DEAL = "/panacea.datadeal.v2.MsgCreateDeal";

// panacea.datadeal.v2.MsgCreateDeal (field numbers of proto/panacea/datadeal/v2/tx.proto), hand-written as an
// app without generated types would: data_schema=1, budget=2, max_num_data=3, consumer_address=4,
// agreement_terms=5 (AgreementTerm: id=1, required=2, title=3, description=4), consumer_service_endpoint=7.
const MsgCreateDeal = {
  encode(m, w = BinaryWriter.create()) {
    for (const s of m.dataSchema ?? []) w.uint32(10).string(s);
    if (m.budget) Coin.encode(m.budget, w.uint32(18).fork()).ldelim();
    if (m.maxNumData) w.uint32(24).uint64(BigInt(m.maxNumData));
    if (m.consumerAddress) w.uint32(34).string(m.consumerAddress);
    for (const t of m.agreementTerms ?? []) {
      const tw = w.uint32(42).fork();
      tw.uint32(8).uint32(t.id).uint32(16).bool(t.required).uint32(26).string(t.title).uint32(34).string(t.description);
      tw.ldelim();
    }
    if (m.consumerServiceEndpoint) w.uint32(58).string(m.consumerServiceEndpoint);
    return w;
  },
  decode(input) {
    const r = input instanceof BinaryReader ? input : new BinaryReader(input);
    r.skip(r.len);
    return {};
  },
  fromPartial(o) {
    return { ...o };
  },
};

const cfg = JSON.parse(process.argv[2]);
const out = {};
const wallet = await DirectSecp256k1Wallet.fromKey(fromHex(cfg.sender_key_hex), "panacea");
const [{ address: sender }] = await wallet.getAccounts();
const registry = new Registry(defaultRegistryTypes);
registry.register(CREATE_DEAL, MsgCreateDeal);
const client = await SigningStargateClient.connectWithSigner(cfg.rpc, wallet, {
  registry, gasPrice: GasPrice.fromString(cfg.gas_price),
});

out.chain_id = await client.getChainId();
out.height = await client.getHeight();
out.unknown_account = await client.getAccount(cfg.unknown);
const account = await client.getAccount(sender);
out.sender_sequence = account.sequence;
out.balance_before = (await client.getBalance(sender, "umed")).amount;

const send = { typeUrl: "/cosmos.bank.v1beta1.MsgSend",
  value: { fromAddress: sender, toAddress: cfg.recipient, amount: [{ denom: "umed", amount: String(cfg.amount) }] } };
out.simulated_gas = await client.simulate(sender, [send], "");
const sent = await client.sendTokens(sender, cfg.recipient, [{ denom: "umed", amount: String(cfg.amount) }], "auto");
out.send = { code: sent.code, hash: sent.transactionHash, gas_wanted: Number(sent.gasWanted),
  gas_used: Number(sent.gasUsed), height: sent.height };
out.balance_after_send = (await client.getBalance(sender, "umed")).amount;
out.recipient_balance = (await client.getBalance(cfg.recipient, "umed")).amount;

const comet = await connectComet(cfg.rpc);
const query = QueryClient.withExtensions(comet, setupTxExtension);
const got = await query.tx.getTx(sent.transactionHash);
out.get_tx = { hash: got.txResponse.txhash, height: Number(got.txResponse.height), code: got.txResponse.code,
  fee: got.tx.authInfo.fee.amount.map((c) => `${c.amount}${c.denom}`), memo: got.tx.body.memo };

const deal = { typeUrl: CREATE_DEAL, value: {
  dataSchema: ["https://json.schemastore.org/github-issue-forms.json"], budget: { denom: "umed", amount: "1000000" },
  maxNumData: 10, consumerAddress: sender,
  agreementTerms: [{ id: 1, required: true, title: "use", description: "research only" }],
  consumerServiceEndpoint: "https://consumer.example" } };
const created = await client.signAndBroadcast(sender, [deal], "auto");
out.create_deal = { code: created.code, hash: created.transactionHash, gas_used: Number(created.gasUsed),
  gas_wanted: Number(created.gasWanted),
  msg_responses: created.msgResponses.map((r) => ({ type_url: r.typeUrl, value_hex: toHex(r.value) })) };
out.balance_final = (await client.getBalance(sender, "umed")).amount;
out.sender_sequence_final = (await client.getAccount(sender)).sequence;
console.log(JSON.stringify(out, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
comet.disconnect();
client.disconnect();
