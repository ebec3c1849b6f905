"""One of each service per test module, on its own fresh database (see world.py)."""
from __future__ import annotations

import pytest

from motcua_testing.system import spec_of

from security.world import SERVICES

# The SMS provider's receipts are accepted only from a provider with a receipt secret.
ENV = {"notification": {"SMS_GATEWAY_RECEIPT_SECRET": "gateway-receipt-secret-for-tests"}}


@pytest.fixture(scope="module")
def world(database_factory, tmp_path_factory):
    made, names = {}, []
    tmp = str(tmp_path_factory.mktemp("security"))
    try:
        for service, cls in SERVICES.items():
            name = database_factory.create(spec_of(service))
            names.append(name)
            made[service] = cls(database_factory.url(name), tmp, **ENV.get(service, {}))
        made["reporting"].feed_one_dossier_per_unit_and_world()
        yield made
    finally:
        for service in made.values():
            service.close()
        for name in names:
            database_factory.drop(name)
