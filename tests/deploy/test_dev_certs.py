"""`make dev-certs` (scripts/dev_certs.py): the layout docker-compose.yml mounts and docs/tls.md describes,
every certificate signed by the trial CA for its purpose, keys private, and a second run changing nothing."""
from __future__ import annotations

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from motcua_testing.certs import dev_certs


def _cert(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def test_the_trial_ca_signs_the_proxy_the_broker_and_each_partner(tmp_path):
    assert dev_certs.main(["--out", str(tmp_path), "--host", "motcua.example.gov.vn", "--host", "10.0.0.5"]) == 0
    ca = _cert(tmp_path / "ca" / "ca.pem")
    servers = {"proxy": {"motcua.example.gov.vn"}, "rabbitmq": {"motcua.example.gov.vn", "rabbitmq"}}
    for folder, names in servers.items():
        cert = _cert(tmp_path / folder / "cert.pem")
        cert.verify_directly_issued_by(ca)
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert names <= set(san.get_values_for_type(x509.DNSName))
        assert [str(a) for a in san.get_values_for_type(x509.IPAddress)] == ["10.0.0.5"]
        usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        assert list(usage) == [ExtendedKeyUsageOID.SERVER_AUTH]
        assert (tmp_path / folder / "ca.pem").read_bytes() == (tmp_path / "ca" / "ca.pem").read_bytes()
    for partner in dev_certs.PARTNERS:
        cert = _cert(tmp_path / "partners" / partner / "cert.pem")
        cert.verify_directly_issued_by(ca)
        assert list(cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
            ExtendedKeyUsageOID.CLIENT_AUTH]
        assert (tmp_path / "partners" / partner / "key.pem").stat().st_mode & 0o077 == 0
    assert (tmp_path / "ca" / "ca-key.pem").stat().st_mode & 0o077 == 0
    before = (tmp_path / "ca" / "ca.pem").read_bytes()
    assert dev_certs.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / "ca" / "ca.pem").read_bytes() == before  # handed-out certificates stay valid
