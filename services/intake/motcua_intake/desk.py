"""What the desk's code works with, built once per process from the settings: the outbox, the working
calendar with its override table, the identity hasher and the reference data.

The API keeps one in the runtime's extras; the worker builds its own for the event handlers.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from motcua_shared.broker.catalogue import events_exchange
from motcua_shared.messaging import Outbox
from motcua_shared.reference import Catalogue, UnitDirectory
from motcua_shared.settings import Settings, load

from . import config, reference
from .calendar_store import CalendarStore
from .identity import IdentityCipher, IdentityHasher
from .models import outbox as outbox_table


@dataclass
class Desk:
    settings: Settings
    outbox: Outbox
    calendars: CalendarStore
    identities: IdentityHasher
    identity_numbers: IdentityCipher

    @classmethod
    def from_settings(cls, settings: Settings, outbox: Outbox | None = None) -> "Desk":
        return cls(settings=settings,
                   outbox=outbox or Outbox(outbox_table, exchange=events_exchange("intake")),
                   calendars=CalendarStore.from_settings(settings),
                   identities=IdentityHasher(settings.intake_id_hash_key),
                   identity_numbers=IdentityCipher(settings.intake_id_encryption_key,
                                                   settings.intake_id_previous_encryption_keys))

    @classmethod
    def from_environment(cls) -> "Desk":
        return cls.from_settings(load("intake", config.SETTINGS))

    @property
    def units(self) -> UnitDirectory:
        return reference.units()

    @property
    def catalogue(self) -> Catalogue:
        return reference.catalogue()

    @property
    def base_url(self) -> str:
        return self.settings.motcua_public_base_url.rstrip("/")

    def agency_id(self, unit: str) -> str:
        return f"{self.settings.intake_agency_prefix}.{unit}"

    def unit_name(self, code: str, on: date) -> str:
        unit = self.units.find(code, on)
        return unit.name if unit else code
