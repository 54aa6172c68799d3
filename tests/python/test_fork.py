"""A client made before os.fork() works in the child (multiprocessing's fork start method)."""

from __future__ import annotations

import os
import warnings

import pytest
from cognito_identity.testing import Emulator


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_uses_the_parents_client() -> None:
    with Emulator() as emu:
        client = emu.client()
        pool = client.create_identity_pool(IdentityPoolName="fork", AllowUnauthenticatedIdentities=True)
        pool_id = pool["IdentityPoolId"]
        client.get_id(IdentityPoolId=pool_id)  # the parent's runtime and pool are live
        with warnings.catch_warnings():
            # Python 3.12+ warns that forking a multi-threaded process may deadlock:
            # that is exactly what this test proves does not happen here.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
        if pid == 0:
            try:
                ok = all(client.get_id(IdentityPoolId=pool_id)["IdentityId"] for _ in range(50))
            except BaseException:
                ok = False
            os._exit(0 if ok else 1)
        for _ in range(50):  # the parent keeps calling meanwhile
            client.get_id(IdentityPoolId=pool_id)
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
