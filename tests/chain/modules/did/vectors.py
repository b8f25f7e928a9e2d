"""The known-answer vectors of did-reference §11 (computed with the reference code), shared by the chain, types and
node tests."""

from __future__ import annotations

import hashlib

from panacea.crypto.keys import PrivateKey

VECTOR_KEY = PrivateKey(hashlib.sha256(b"panacea-did-spec-vector").digest())
VECTOR_DID = "did:panacea:8ifX66eFxRKky33XoMmgWShgdGtSiQMdMiBocrabeK96"
VECTOR_PUB = "pQNuhVNdgHBP7SeAAP7kYz1QqYxk86z6LbwBwnRE2NrD"
VECTOR_DID_BASE64 = "ZGlkOnBhbmFjZWE6OGlmWDY2ZUZ4UktreTMzWG9NbWdXU2hnZEd0U2lRTWRNaUJvY3JhYmVLOTY="
DOCPB = bytes.fromhex(
    "0a1e0a1c68747470733a2f2f7777772e77332e6f72672f6e732f6469642f763112386469643a70616e616365613a386966583636654678"
    "524b6b793333586f4d6d67575368676447745369514d644d69426f63726162654b393622ca010a3d6469643a70616e616365613a3869"
    "66583636654678524b6b793333586f4d6d67575368676447745369514d644d69426f63726162654b3936236b65793112214563647361"
    "536563703235366b31566572696669636174696f6e4b6579323031391a386469643a70616e616365613a386966583636654678524b6b"
    "793333586f4d6d67575368676447745369514d644d69426f63726162654b3936222c70514e7568564e6467484250375365414150376b"
    "597a31517159786b38367a364c627742776e5245324e72442a3f0a3d6469643a70616e616365613a386966583636654678524b6b7933"
    "33586f4d6d67575368676447745369514d644d69426f63726162654b3936236b657931")
CREATE_SIG = bytes.fromhex("7db6287d02096ed2695a51dd5e3744da75c3e9ad91fe07c952cf4c03f8f0a9ce"
                           "272242317cac7db20fd201ecf04fc654d2856091bf746daa82344456a59eb7ce")
JSON_A = (
    '{"did_document_with_seq":{"document":{"contexts":["https://www.w3.org/ns/did/v1"],"id":"did:panacea:8ifX66eFxRKky'
    '33XoMmgWShgdGtSiQMdMiBocrabeK96","controller":null,"verification_methods":[{"id":"did:panacea:8ifX66eFxRKky33XoMmg'
    'WShgdGtSiQMdMiBocrabeK96#key1","type":"EcdsaSecp256k1VerificationKey2019","controller":"did:panacea:8ifX66eFxRKky3'
    '3XoMmgWShgdGtSiQMdMiBocrabeK96","public_key_base58":"pQNuhVNdgHBP7SeAAP7kYz1QqYxk86z6LbwBwnRE2NrD"}],"authenticati'
    'ons":["did:panacea:8ifX66eFxRKky33XoMmgWShgdGtSiQMdMiBocrabeK96#key1"],"assertion_methods":[],"key_agreements":[],'
    '"capability_invocations":[],"capability_delegations":[],"services":[]},"sequence":"0"}}')
TOMBSTONE_JSON = (
    '{"document":{"contexts":null,"id":"","controller":null,"verification_methods":[],"authentications":[],'
    '"assertion_methods":[],"key_agreements":[],"capability_invocations":[],"capability_delegations":[],'
    '"services":[]},"sequence":"1"}')
