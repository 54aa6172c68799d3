"""The last gaps of the boto3 drop-in: proxies, pickling, ``meta.service_model``
and botocore ``Config`` options that cannot be honoured."""

from __future__ import annotations

import asyncio
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Dict, Iterator, List

import cognito_identity
import pytest
from cognito_identity import exceptions
from conftest import REGION, Emulator, LoopbackServer, QuietHandler, make_pool

ENDPOINT = "http://cognito-identity.test"  # resolvable by no one: only a proxy reaches it


class Proxy(LoopbackServer):
    """A forward proxy on loopback that answers requests itself and records
    each request line (absolute-form for HTTP, CONNECT for HTTPS)."""

    def __init__(self) -> None:
        self.lines: List[str] = []
        self.headers: List[Dict[str, str]] = []
        outer = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:
                outer.lines.append(self.requestline)
                outer.headers.append({k.lower(): v for k, v in self.headers.items()})
                self.rfile.read(int(self.headers.get("content-length", "0")))
                body = b'{"IdentityPools": []}'
                self.send_response(200)
                self.send_header("content-type", "application/x-amz-json-1.1")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_CONNECT(self) -> None:
                outer.lines.append(self.requestline)
                outer.headers.append({k.lower(): v for k, v in self.headers.items()})
                self.send_response(403)
                self.send_header("content-length", "0")
                self.end_headers()

        super().__init__(Handler)


@pytest.fixture()
def proxy() -> Iterator[Proxy]:
    server = Proxy()
    try:
        yield server
    finally:
        server.close()


def client_via(endpoint: str = ENDPOINT, **kwargs: Any) -> cognito_identity.Client:
    return cognito_identity.Client(
        region_name=REGION,
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        **kwargs,
    )


def one_attempt(**options: Any) -> cognito_identity.Config:
    return cognito_identity.Config(retries={"total_max_attempts": 1}, connect_timeout=2, **options)


# --- proxies ---------------------------------------------------------------


def test_config_proxies_send_absolute_form_requests_to_the_proxy(proxy: Proxy) -> None:
    client = client_via(config=one_attempt(proxies={"http": proxy.url}))
    assert client.list_identity_pools(MaxResults=5)["IdentityPools"] == []
    assert proxy.lines == ["POST http://cognito-identity.test/ HTTP/1.1"]


def test_async_client_uses_the_proxy_too(proxy: Proxy) -> None:
    async def main() -> Any:
        client = cognito_identity.AsyncClient(
            region_name=REGION,
            endpoint_url=ENDPOINT,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=one_attempt(proxies={"http": proxy.url}),
        )
        return await client.list_identity_pools(MaxResults=5)

    assert asyncio.run(main())["IdentityPools"] == []
    assert proxy.lines == ["POST http://cognito-identity.test/ HTTP/1.1"]


def test_https_goes_through_a_connect_tunnel_with_proxy_credentials(proxy: Proxy) -> None:
    authed = proxy.url.replace("http://", "http://user:pa55@")
    client = cognito_identity.Client(
        region_name=REGION, aws_access_key_id="test", aws_secret_access_key="test",
        config=one_attempt(proxies={"https": authed}),
    )  # fmt: skip
    # The proxy refuses the tunnel: the call fails, having asked for it.
    with pytest.raises(exceptions.HTTPClientError):
        client.list_identity_pools(MaxResults=5)
    assert proxy.lines[0] == "CONNECT cognito-identity.us-east-1.amazonaws.com:443 HTTP/1.1"
    assert proxy.headers[0]["proxy-authorization"] == "Basic dXNlcjpwYTU1"  # user:pa55


def test_a_proxy_url_without_a_scheme_is_http(proxy: Proxy) -> None:
    client = client_via(config=one_attempt(proxies={"http": proxy.url.removeprefix("http://")}))
    client.list_identity_pools(MaxResults=5)
    assert proxy.lines == ["POST http://cognito-identity.test/ HTTP/1.1"]


def test_environment_proxies_and_no_proxy(proxy: Proxy, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    client_via(config=one_attempt()).list_identity_pools(MaxResults=5)
    assert len(proxy.lines) == 1
    monkeypatch.setenv("NO_PROXY", "cognito-identity.test")
    with pytest.raises(exceptions.EndpointConnectionError):
        client_via(config=one_attempt()).list_identity_pools(MaxResults=5)
    assert len(proxy.lines) == 1
    # As in botocore, configured proxies replace the environment's, NO_PROXY included.
    client_via(config=one_attempt(proxies={"http": proxy.url})).list_identity_pools(MaxResults=5)
    assert len(proxy.lines) == 2


def test_a_botocore_config_carrying_proxies_is_honoured(proxy: Proxy) -> None:
    from botocore.config import Config as BotocoreConfig

    client = client_via(config=BotocoreConfig(proxies={"http": proxy.url}, retries={"total_max_attempts": 1}))
    client.list_identity_pools(MaxResults=5)
    assert proxy.lines == ["POST http://cognito-identity.test/ HTTP/1.1"]


@pytest.mark.parametrize(
    ("proxies", "named"),
    [
        ({"ftp": "http://127.0.0.1:1"}, "proxies.ftp"),
        ({"http": "socks5://127.0.0.1:1"}, "proxies.http"),
        ({"https": "http://"}, "proxies.https"),
    ],
)
def test_bad_proxies_are_named(proxies: Dict[str, str], named: str) -> None:
    with pytest.raises(exceptions.InvalidConfigError, match=named):
        client_via(config=cognito_identity.Config(proxies=proxies))


# --- botocore Config options -------------------------------------------------


def test_botocore_config_options_that_cannot_be_honoured_are_refused_by_name() -> None:
    from botocore.config import Config as BotocoreConfig

    for option, value in [
        ("tcp_keepalive", True),
        ("client_cert", "/tmp/cert.pem"),
        ("parameter_validation", False),
        ("request_min_compression_size_bytes", 100),
    ]:
        with pytest.raises(exceptions.InvalidConfigError, match=option):
            client_via(config=BotocoreConfig(**{option: value}))
    with pytest.raises(exceptions.InvalidConfigError, match="proxy_client_cert"):
        client_via(config=BotocoreConfig(proxies_config={"proxy_client_cert": "/tmp/cert.pem"}))
    with pytest.raises(exceptions.InvalidConfigError, match="proxy_use_forwarding_for_https"):
        client_via(config=cognito_identity.Config(proxies_config={"proxy_use_forwarding_for_https": True}))
    # Options whose purpose the client meets by design are accepted.
    client_via(config=BotocoreConfig(max_pool_connections=50, parameter_validation=True, inject_host_prefix=False))


# --- pickling ----------------------------------------------------------------


def _list_pools_in_child(client: cognito_identity.Client) -> List[str]:
    return [p["IdentityPoolName"] for p in client.list_identity_pools(MaxResults=10)["IdentityPools"]]


def _list_pools_async_in_child(client: cognito_identity.AsyncClient) -> List[str]:
    async def main() -> Any:
        return await client.list_identity_pools(MaxResults=10)

    return [p["IdentityPoolName"] for p in asyncio.run(main())["IdentityPools"]]


def test_a_pickled_client_calls_from_a_multiprocessing_child(emu: Emulator, client: cognito_identity.Client) -> None:
    make_pool(client, IdentityPoolName="shared")
    aclient = cognito_identity.AsyncClient(
        region_name=REGION, endpoint_url=emu.url, aws_access_key_id="test", aws_secret_access_key="test"
    )
    # spawn: a fresh interpreter, which has only what the pickle carries.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        assert pool.submit(_list_pools_in_child, client).result(timeout=60) == ["shared"]
        assert pool.submit(_list_pools_async_in_child, aclient).result(timeout=60) == ["shared"]


def test_a_pickle_holds_the_configuration_and_only_explicit_secrets(
    emu: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT1")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret-from-the-environment")
    from_env = cognito_identity.Client(
        region_name=REGION, endpoint_url=emu.url, config=cognito_identity.Config(read_timeout=7)
    )
    data = pickle.dumps(from_env)
    assert b"secret-from-the-environment" not in data and b"AKIDFROMENVIRONMENT1" not in data
    again = pickle.loads(data)
    assert type(again) is cognito_identity.Client
    assert again.credential_source == "env"  # read again where it was unpickled
    assert again.meta.endpoint_url == emu.url and again.meta.config.read_timeout == 7
    # The emulator knows the key test/test: with it in the environment, the
    # unpickled client signs with it.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    assert pickle.loads(data).list_identity_pools(MaxResults=5)["IdentityPools"] == []

    explicit = client_via(emu.url, aws_session_token="session-token-given")
    assert b"session-token-given" in pickle.dumps(explicit)  # documented: explicit keys travel


# --- meta.service_model ------------------------------------------------------


def test_service_model_matches_botocores() -> None:
    import botocore.session

    theirs = botocore.session.get_session().get_service_model("cognito-identity")
    ours = client_via().meta.service_model
    assert ours.service_name == theirs.service_name
    assert ours.api_version == theirs.api_version
    assert ours.operation_names == sorted(theirs.operation_names)
    for name in ours.operation_names:
        mine, model = ours.operation_model(name), theirs.operation_model(name)
        assert mine.name == model.name
        assert list(mine.input_shape.members) == list(model.input_shape.members), name
        assert mine.input_shape.required_members == model.input_shape.required_members, name
        assert mine.input_shape.members == {k: v.name for k, v in model.input_shape.members.items()}
        if model.output_shape is None:
            assert mine.output_shape is None
        else:
            assert mine.output_shape is not None
            assert list(mine.output_shape.members) == list(model.output_shape.members), name
        assert sorted(mine.error_codes) == sorted(e.name for e in model.error_shapes), name
        assert mine.auth_type == model.auth_type
    with pytest.raises(exceptions.OperationNotFoundError, match="get_id"):
        ours.operation_model("get_id")


def test_meta_has_no_event_system() -> None:
    # Documented: event hooks are not supported, so there is nothing to register on.
    assert not hasattr(client_via().meta, "events")


# --- progress while paging -------------------------------------------------------


def test_paginators_show_progress_when_asked(
    emu: Emulator, client: cognito_identity.Client, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        make_pool(client, IdentityPoolName=f"pool{i}")
    paginator = client.get_paginator("list_identity_pools")
    assert len(list(paginator.paginate(PaginationConfig={"PageSize": 1}))) == 3
    assert capsys.readouterr().err == ""  # no progress unless asked
    assert len(list(paginator.paginate(PaginationConfig={"PageSize": 1}, progress=True))) == 3
    assert "ListIdentityPools: 3 page" in capsys.readouterr().err  # tqdm's bar

    async def pages() -> int:
        aclient = cognito_identity.AsyncClient(
            region_name=REGION, endpoint_url=emu.url, aws_access_key_id="test", aws_secret_access_key="test"
        )
        apaginator = aclient.get_paginator("list_identity_pools")
        return len([p async for p in apaginator.paginate(PaginationConfig={"PageSize": 1}, progress=True)])

    assert asyncio.run(pages()) == 3
    assert "ListIdentityPools: 3 page" in capsys.readouterr().err

    # Without tqdm: a line per page.
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "tqdm" else real_find_spec(name))
    list(paginator.paginate(PaginationConfig={"PageSize": 1}, progress=True))
    assert capsys.readouterr().err.splitlines() == [f"ListIdentityPools: {n} pages" for n in (1, 2, 3)]
