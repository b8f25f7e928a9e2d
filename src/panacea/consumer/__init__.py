"""The consumer service (``consumerd``, oracle-reference §7 + issue 11): stores what oracles upload for a deal
(JWT of the shared oracle key), serves it back to the deal's consumer only (JWT of the consumer account).

``config`` (the home and its config.toml) · ``storage/`` (filesystem and S3-compatible backends behind one
interface) · ``app`` (the Starlette app) · ``openapi`` (its OpenAPI document)."""
