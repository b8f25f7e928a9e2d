import random
from hashlib import sha256
from pathlib import Path

from panacea.chain.store import Store
from panacea.crypto.merkle import EMPTY_HASH
from tests.chain.store.store_reference import reference_root

KNOWN = {b"alice": b"100", b"bob": b"", b"carol": b"300", b"dave\x00": b"4"}
KNOWN_ROOT = "a19268ce9c93dae6b2a24da49e2f305b2d09f0fefb21519510ebd29ec6c1f31b"


def test_empty_store_root_is_sha256_of_nothing(tmp_path: Path) -> None:
    with Store(str(tmp_path)) as store:
        assert store.version == 0
        assert store.root_hash() == EMPTY_HASH
        assert store.root_hash(0) == EMPTY_HASH
        assert EMPTY_HASH.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        assert store.commit({}, 1) == EMPTY_HASH


def test_single_key_root_is_its_leaf(tmp_path: Path) -> None:
    leaf = sha256(b"\x00" + sha256(b"alice").digest() + sha256(b"100").digest()).digest()
    with Store(str(tmp_path)) as store:
        assert store.commit({b"alice": b"100"}, 1) == leaf
        assert leaf.hex() == "e88595db6e2373140c77336108e543dd79e1c6420dff08568b120417c8af88b5"


def test_known_store_root(tmp_path: Path) -> None:
    with Store(str(tmp_path)) as store:
        assert store.commit(KNOWN, 1).hex() == KNOWN_ROOT
        assert reference_root(KNOWN).hex() == KNOWN_ROOT


def test_root_matches_reference_for_random_sets(tmp_path: Path) -> None:
    rng = random.Random(11)
    with Store(str(tmp_path)) as store:
        state: dict[bytes, bytes] = {}
        for version in range(1, 41):
            changes: dict[bytes, bytes | None] = {}
            for _ in range(rng.randrange(60)):
                key = rng.randbytes(rng.randrange(1, 4))
                changes[key] = None if rng.random() < 0.35 else rng.randbytes(rng.randrange(3))
            root = store.commit(changes, version)
            for key, value in changes.items():
                if value is None:
                    state.pop(key, None)
                else:
                    state[key] = value
            assert root == reference_root(state) == store.root_hash()


def test_root_depends_only_on_the_final_set(tmp_path: Path) -> None:
    rng = random.Random(5)
    final = {rng.randbytes(8): rng.randbytes(rng.randrange(5)) for _ in range(500)}
    with Store(str(tmp_path / "one")) as one:
        one_root = one.commit(final, 1)

    keys = list(final)
    rng.shuffle(keys)
    with Store(str(tmp_path / "many")) as many:
        version = 0
        for chunk in range(0, len(keys), 37):
            version += 1
            batch: dict[bytes, bytes | None] = {key: b"old" + key for key in keys[chunk : chunk + 37]}
            batch.update({rng.randbytes(9): b"transient" for _ in range(5)})
            many.commit(batch, version)
        transient = [key for key, _ in many.iterate() if len(key) == 9]
        version += 1
        many.commit({key: None for key in transient}, version)
        version += 1
        many_root = many.commit(dict(final), version)
        assert many_root == one_root == reference_root(final)

        exported = dict(many.iterate(version=version))
    with Store(str(tmp_path / "imported")) as imported:
        assert imported.commit(exported, version) == one_root
        assert imported.version == version
