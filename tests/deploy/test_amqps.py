"""The partners' AMQPS port, for real: a private RabbitMQ node with the TLS settings of
deploy/rabbitmq/rabbitmq.conf (only the file paths and the port changed) and a trial CA.

A partner with a client certificate from the CA connects and works, through the reference examples'
own connection code (examples/postal_partner, examples/province_routing); a client without a
certificate, or with one from another CA, is refused during the handshake. The shared broker is not
touched.
"""
from __future__ import annotations

import importlib.util
import re
import ssl
import sys
import time
from pathlib import Path

import pika
import pytest
from pika.exceptions import AMQPConnectionError

from motcua_testing.certs import TrialCA
from motcua_testing.infra import unavailable
from motcua_testing.ports import free_port
from motcua_testing.private_infra import PrivateRabbit, _wait_port

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "rabbitmq" / "rabbitmq.conf"
MOUNTED = "/etc/motcua/tls/rabbitmq/"


def _example(name: str, path: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


postal_partner = _example("motcua_example_postal_partner", "examples/postal_partner/postal_partner.py")
province_routing = _example("motcua_example_province_routing", "examples/province_routing/province_routing.py")


def tls_lines(directory: Path, port: int) -> str:
    """The shipped TLS settings, pointed at `directory` and `port`."""
    lines = [line for line in CONF.read_text().splitlines() if re.match(r"(listeners\.ssl|ssl_options)\.", line)]
    text = "\n".join(lines).replace(MOUNTED, f"{directory}/")
    return re.sub(r"^listeners\.ssl\.default = 5671$", f"listeners.ssl.default = {port}", text, flags=re.M)


class TlsRabbit(PrivateRabbit):
    """A private node whose CA, certificate and key live in its own directory, which the node's user owns."""

    def __init__(self):
        super().__init__()
        self.tls_port = free_port()
        tls = self.base / "tls"
        self.ca = TrialCA(tls)
        cert, key = self.ca.server("broker", "localhost", "127.0.0.1")
        cert.rename(tls / "cert.pem")  # the names rabbitmq.conf gives the mounted directory
        key.rename(tls / "key.pem")
        (self.base / "rabbitmq.conf").write_text(tls_lines(tls, self.tls_port) + "\n")

    def start(self) -> "TlsRabbit":
        super().start()
        _wait_port(self.tls_port, True, 30)
        return self


@pytest.fixture(scope="module")
def node():
    if not PrivateRabbit.available():
        unavailable("rabbitmq-server (a private node)")
    rabbit = TlsRabbit()
    started = time.monotonic()
    try:
        rabbit.start()
    except Exception:
        rabbit.shutdown()
        raise
    rabbit.started_in = time.monotonic() - started
    yield rabbit
    rabbit.shutdown()


def test_the_shipped_config_demands_a_client_certificate():
    conf = CONF.read_text()
    for line in ("listeners.ssl.default = 5671", "ssl_options.verify = verify_peer",
                 "ssl_options.fail_if_no_peer_cert = true", f"ssl_options.cacertfile = {MOUNTED}ca.pem",
                 f"ssl_options.certfile = {MOUNTED}cert.pem", f"ssl_options.keyfile = {MOUNTED}key.pem"):
        assert re.search(rf"^{re.escape(line)}$", conf, re.M), line


def test_a_partner_with_its_certificate_connects_through_the_examples_code(node):
    cert, key = node.ca.client("postal_partner")
    url = f"amqps://guest:guest@localhost:{node.tls_port}/%2F"
    environ = {"POSTAL_PARTNER_CA_FILE": str(node.ca.ca_file), "POSTAL_PARTNER_CERT_FILE": str(cert),
               "POSTAL_PARTNER_KEY_FILE": str(key)}
    params = postal_partner.connection_parameters(url)
    params.ssl_options = postal_partner.tls_options(url, environ)
    connection = pika.BlockingConnection(params)
    try:
        channel = connection.channel()
        channel.queue_declare("amqps-check", exclusive=True)
        channel.basic_publish("", "amqps-check", b"over tls")
        method, _props, body = channel.basic_get("amqps-check", auto_ack=True)
        assert body == b"over tls"
    finally:
        connection.close()
    province_cert, province_key = node.ca.client("province_routing")
    params = pika.URLParameters(url)
    params.ssl_options = province_routing.tls_options(url, {
        "PROVINCE_CA_FILE": str(node.ca.ca_file), "PROVINCE_CERT_FILE": str(province_cert),
        "PROVINCE_KEY_FILE": str(province_key)})
    pika.BlockingConnection(params).close()


def _refused(url: str, ssl_options) -> None:
    params = pika.URLParameters(url)
    params.ssl_options = ssl_options
    params.connection_attempts, params.socket_timeout = 1, 5
    # The broker's refusal reaches pika as a closed connection; the client's own refusal of the
    # broker's certificate as the ssl error itself.
    with pytest.raises((AMQPConnectionError, ssl.SSLError)):
        pika.BlockingConnection(params).close()


def test_a_client_without_a_certificate_or_with_another_cas_is_refused(node, tmp_path):
    url = f"amqps://guest:guest@localhost:{node.tls_port}/%2F"
    _refused(url, postal_partner.tls_options(url, {"POSTAL_PARTNER_CA_FILE": str(node.ca.ca_file)}))
    stranger = TrialCA(tmp_path / "stranger", name="not the district's CA")
    cert, key = stranger.client("postal_partner")
    _refused(url, postal_partner.tls_options(url, {"POSTAL_PARTNER_CA_FILE": str(node.ca.ca_file),
                                                   "POSTAL_PARTNER_CERT_FILE": str(cert),
                                                   "POSTAL_PARTNER_KEY_FILE": str(key)}))


def test_the_partner_refuses_a_broker_its_ca_did_not_sign(node, tmp_path):
    stranger = TrialCA(tmp_path / "stranger", name="not the district's CA")
    cert, key = node.ca.client("postal_partner")
    url = f"amqps://guest:guest@localhost:{node.tls_port}/%2F"
    _refused(url, postal_partner.tls_options(url, {"POSTAL_PARTNER_CA_FILE": str(stranger.ca_file),
                                                   "POSTAL_PARTNER_CERT_FILE": str(cert),
                                                   "POSTAL_PARTNER_KEY_FILE": str(key)}))

