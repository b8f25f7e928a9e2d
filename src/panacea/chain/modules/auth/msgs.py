"""x/auth has no messages (as in SDK 0.45): accounts change through the ante handler and other keepers.
The file keeps the module shape every module shares (msgs · keeper · keys · errors · events · queries · genesis)."""

from __future__ import annotations
