"""The cognito-identity emulator: a local Amazon Cognito Identity server.

Most code uses it through ``cognito_identity.testing.Emulator``; this package
holds the server itself (the ``_native`` extension) and the
``cognito-identity-emulator`` command.
"""

from __future__ import annotations

import sys

from ._native import FAULT_KINDS, NativeEmulator, __version__, run_cli

__all__ = ["FAULT_KINDS", "NativeEmulator", "__version__", "main"]


def main() -> int:
    """The ``cognito-identity-emulator`` command: serves until SIGINT or SIGTERM."""
    return run_cli(sys.argv[1:])
