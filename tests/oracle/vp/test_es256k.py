import re

import pytest

from panacea.oracle.vp.errors import VPValidationError
from panacea.oracle.vp.es256k import b64url_decode


def test_b64url_is_strict() -> None:
    assert b64url_decode("AQI", "x") == b"\x01\x02"
    for bad in ("AQI=", "AQJ", "A", "A+I", "A/I"):
        with pytest.raises(VPValidationError, match="^" + re.escape("x: invalid base64url") + "$"):
            b64url_decode(bad, "x")
