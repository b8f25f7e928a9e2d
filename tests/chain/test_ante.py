"""The ante handler's hand-framed SignDoc: byte-for-byte what protobuf writes."""

from __future__ import annotations

import random

from panacea.chain.ante import sign_doc_bytes
from panacea.types.pb.cosmos.tx.v1beta1 import tx_pb2


def test_sign_doc_bytes_match_protobuf() -> None:
    rng = random.Random(2)
    for _ in range(3000):
        body, auth = rng.randbytes(rng.choice([0, 1, 127, 128, 5000])), rng.randbytes(rng.choice([0, 5, 200]))
        chain_id = rng.choice(["", "bench", "x" * 200])
        number = rng.choice([0, 1, 2**64 - 1, rng.randrange(2**64)])
        expected = tx_pb2.SignDoc(body_bytes=body, auth_info_bytes=auth, chain_id=chain_id,
                                  account_number=number).SerializeToString()
        assert sign_doc_bytes(body, auth, chain_id, number) == expected
