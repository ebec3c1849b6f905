"""Trial CAs and certificates for the TLS tests, made by the same code as scripts/dev_certs.py."""
from __future__ import annotations

import importlib.util
from pathlib import Path

_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "dev_certs.py"
_spec = importlib.util.spec_from_file_location("motcua_dev_certs", _SCRIPT)
dev_certs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dev_certs)


class TrialCA:
    """A CA whose files live under `directory`; `server`/`client` write a signed pair beside it."""

    def __init__(self, directory: Path, name: str = "motcua test CA"):
        self.directory = Path(directory)
        self.ca = dev_certs.make_ca(name)
        self.ca_file = self.directory / "ca.pem"
        dev_certs.write(self.ca_file, dev_certs.pem(self.ca[0]))

    def _pair(self, label: str, pair) -> tuple[Path, Path]:
        cert, key = self.directory / f"{label}.pem", self.directory / f"{label}-key.pem"
        dev_certs.write(cert, dev_certs.pem(pair[0]))
        dev_certs.write(key, dev_certs.key_pem(pair[1]), private=True)
        return cert, key

    def server(self, label: str, *hosts: str) -> tuple[Path, Path]:
        return self._pair(label, dev_certs.issue(self.ca, hosts[0], hosts=hosts))

    def client(self, label: str) -> tuple[Path, Path]:
        return self._pair(label, dev_certs.issue(self.ca, label, client=True))
