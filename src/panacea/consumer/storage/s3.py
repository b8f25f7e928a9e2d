"""S3-compatible backend (obstore): object key ``<prefix><deal id>/<data hash>`` in one bucket (issue 11).

An S3 PUT is atomic by itself (an object is visible whole or not at all). A put is a conditional create
(``If-None-Match: *``, obstore ``mode="create"``), so two oracles uploading the same object cannot replace
each other; when the object exists its bytes are compared (same: ``created=False``, other: ConflictError).
Credentials are always explicit: the backend never asks an instance-metadata endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass

import obstore
from obstore.exceptions import AlreadyExistsError, BaseError, NotFoundError, PreconditionError
from obstore.store import S3Store

from panacea.consumer.storage import ConflictError, ObjectInfo, PutResult, StorageError


@dataclass(frozen=True)
class S3Settings:
    """Where the bucket is and how to sign for it (``[storage.s3]`` in config.toml)."""

    bucket: str
    endpoint: str
    access_key_id: str
    secret_access_key: str
    region: str = "us-east-1"
    prefix: str = ""
    timeout_seconds: float = 30.0


class S3Storage:
    """Objects in an S3-compatible bucket (AWS, MinIO, SeaweedFS, …)."""

    def __init__(self, settings: S3Settings) -> None:
        self.settings = settings
        self._store = S3Store(
            settings.bucket, endpoint=settings.endpoint, access_key_id=settings.access_key_id,
            secret_access_key=settings.secret_access_key, region=settings.region,
            virtual_hosted_style_request=False, conditional_put="etag",
            client_options={"allow_http": settings.endpoint.startswith("http://"),
                            "timeout": f"{settings.timeout_seconds}s"})

    def _key(self, deal_id: int, data_hash: str = "") -> str:
        return f"{self.settings.prefix}{deal_id}/{data_hash}"

    async def put(self, deal_id: int, data_hash: str, data: bytes) -> PutResult:
        """A conditional create; an existing object is compared byte for byte."""
        key = self._key(deal_id, data_hash)
        try:
            await obstore.put_async(self._store, key, data, mode="create")
        except (AlreadyExistsError, PreconditionError):
            existing = await self.get(deal_id, data_hash)
            if existing == data:
                return PutResult(False, len(data))
            raise ConflictError("data already stored with different content") from None
        except BaseError as e:
            raise StorageError(f"cannot store object: {type(e).__name__}") from None
        return PutResult(True, len(data))

    async def get(self, deal_id: int, data_hash: str) -> bytes | None:
        """The object's bytes, None when absent."""
        try:
            result = await obstore.get_async(self._store, self._key(deal_id, data_hash))
            return bytes(await result.bytes_async())
        except (NotFoundError, FileNotFoundError):  # obstore raises the builtin for a missing key
            return None
        except BaseError as e:
            raise StorageError(f"cannot read object: {type(e).__name__}") from None

    async def page(self, deal_id: int, after: str, limit: int) -> list[ObjectInfo]:
        """A page of the deal's objects by hash (S3 lists keys in byte order)."""
        prefix = self._key(deal_id)
        out: list[ObjectInfo] = []
        try:
            stream = obstore.list(self._store, prefix, offset=prefix + after if after else None,
                                  chunk_size=min(limit, 1000))
            async for batch in stream:
                for meta in batch:
                    name = meta["path"][len(prefix):]
                    if "/" not in name and name > after:
                        out.append(ObjectInfo(name, int(meta["size"])))
                if len(out) >= limit:
                    break
        except BaseError as e:
            raise StorageError(f"cannot list objects: {type(e).__name__}") from None
        return sorted(out, key=lambda o: o.data_hash)[:limit]

    async def close(self) -> None:
        """obstore releases its connections with the store object."""
