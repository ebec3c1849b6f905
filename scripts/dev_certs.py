"""Trial certificates for trying TLS out: a CA of its own, the proxy's and the broker's server
certificates, and one client certificate per partner (postal_partner, province_routing).

    .venv/bin/python scripts/dev_certs.py [--out deploy/tls] [--host motcua.example.gov.vn] [--host ...]

Writes (keys readable by their owner only; the directory's .gitignore keeps them out of git):
    ca/ca.pem, ca/ca-key.pem               the trial CA (give ca.pem to the partners and to clients)
    proxy/cert.pem, proxy/key.pem          the HTTPS proxy, for every --host (default: localhost, 127.0.0.1)
    rabbitmq/ca.pem, cert.pem, key.pem     the broker's AMQPS listener (port 5671); ca.pem also verifies
                                           the partners' client certificates
    partners/<user>/ca.pem, cert.pem, key.pem   one client certificate per partner broker user

A province replaces all of it with certificates from its own CA (docs/tls.md); these are for a trial.
Existing files are kept unless --force: running it twice does not invalidate certificates handed out.
"""
from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import os
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PARTNERS = ("postal_partner", "province_routing")
VALID_DAYS = 825  # the longest a browser accepts for a server certificate


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "motcua trial"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _builder(subject: str, issuer: x509.Name, public_key) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.timezone.utc)
    return (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=VALID_DAYS)))


def make_ca(common_name: str = "motcua trial CA") -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = _key()
    cert = (_builder(common_name, _name(common_name), key.public_key())
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                         content_commitment=False, key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return cert, key


def issue(ca: tuple[x509.Certificate, ec.EllipticCurvePrivateKey], common_name: str, *,
          hosts: tuple[str, ...] = (), client: bool = False) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A server certificate for `hosts` (DNS names or IP addresses), or a client certificate."""
    ca_cert, ca_key = ca
    key = _key()
    builder = (_builder(common_name, ca_cert.subject, key.public_key())
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH if client
                                                     else ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False))
    if hosts:
        names: list[x509.GeneralName] = []
        for host in hosts:
            try:
                names.append(x509.IPAddress(ipaddress.ip_address(host)))
            except ValueError:
                names.append(x509.DNSName(host))
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(ca_key, hashes.SHA256()), key


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def key_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def write(path: Path, data: bytes, private: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def write_pair(directory: Path, ca_cert: x509.Certificate, pair) -> None:
    cert, key = pair
    write(directory / "ca.pem", pem(ca_cert))
    write(directory / "cert.pem", pem(cert))
    write(directory / "key.pem", key_pem(key), private=True)


RABBITMQ_UID = 999  # the rabbitmq user of the official image, who must read the key


def _let_the_broker_read(key: Path) -> None:
    if os.geteuid() == 0:
        os.chown(key, RABBITMQ_UID, RABBITMQ_UID)
    else:  # a trial key only: a province's key is installed owned by uid 999, mode 600 (docs/tls.md)
        key.chmod(0o644)
        print(f"dev-certs: {key} is readable by everyone so the broker container can read it", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "deploy" / "tls"))
    parser.add_argument("--host", action="append", default=[],
                        help="name or address of the proxy and the broker as clients reach them (repeatable)")
    parser.add_argument("--force", action="store_true", help="replace certificates that already exist")
    args = parser.parse_args(argv)
    out = Path(args.out)
    hosts = tuple(args.host) or ("localhost", "127.0.0.1")
    if (out / "ca" / "ca.pem").exists() and not args.force:
        print(f"dev-certs: {out}/ca/ca.pem exists; nothing written (--force to replace everything)", file=sys.stderr)
        return 0
    ca = make_ca()
    write(out / "ca" / "ca.pem", pem(ca[0]))
    write(out / "ca" / "ca-key.pem", key_pem(ca[1]), private=True)
    write_pair(out / "proxy", ca[0], issue(ca, hosts[0], hosts=hosts))
    # The broker is reached as `rabbitmq` inside the compose network and by the partners at `hosts`.
    write_pair(out / "rabbitmq", ca[0], issue(ca, hosts[0], hosts=(*hosts, "rabbitmq")))
    _let_the_broker_read(out / "rabbitmq" / "key.pem")
    for partner in PARTNERS:
        write_pair(out / "partners" / partner, ca[0], issue(ca, partner, client=True))
    print(f"dev-certs: trial CA and certificates for {', '.join(hosts)} written under {out} (docs/tls.md)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
