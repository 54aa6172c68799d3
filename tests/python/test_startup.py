"""Start-up cost is measured in bench/; this only guards what makes it cheap."""

from __future__ import annotations

import ast
import subprocess
import sys


def test_import_loads_no_heavy_standard_module() -> None:
    code = "import sys; before = set(sys.modules); import cognito_identity; print(sorted(set(sys.modules) - before))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(ast.literal_eval(out.stdout))
    assert "cognito_identity._native" in loaded
    # Each of these costs milliseconds of a cold start; they load when first needed.
    assert not {"typing", "json", "re", "base64", "datetime", "collections", "asyncio"} & loaded, loaded
    # Parts of the package that load with their first use.
    lazy = {f"cognito_identity.{m}" for m in ("_aio", "_paginate", "_identity_pool", "_secret", "_service_model")}
    assert not lazy & loaded, loaded


def test_lazily_loaded_names_resolve() -> None:
    import cognito_identity
    from cognito_identity import _identity_pool, _paginate, _secret, _service_model

    assert cognito_identity.Paginator is _paginate.Paginator
    assert cognito_identity.AsyncPageIterator is _paginate.AsyncPageIterator
    assert cognito_identity.PoolCredentials is _identity_pool.PoolCredentials
    assert cognito_identity.SecretStr is _secret.SecretStr
    assert cognito_identity.ServiceModel is _service_model.ServiceModel
    assert cognito_identity.OperationModel is _service_model.OperationModel
    meta = cognito_identity.Client(region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b").meta
    assert meta.service_model is meta.service_model and isinstance(meta.service_model, _service_model.ServiceModel)
    assert set(cognito_identity.__all__) <= set(dir(cognito_identity))
    try:
        cognito_identity.NoSuchName  # noqa: B018
    except AttributeError as e:
        assert "NoSuchName" in str(e)
    else:
        raise AssertionError("no AttributeError")
