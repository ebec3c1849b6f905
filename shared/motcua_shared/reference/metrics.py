"""`motcua_reference_version_info{service, version, label, sequence} 1`: the reference set a process computes
with, so an operator sees at a glance (and can alarm) when two services are not on the same version."""
from __future__ import annotations

from prometheus_client.core import GaugeMetricFamily

from .current import current


class ReferenceVersionCollector:
    def __init__(self, service: str):
        self.service = service

    def collect(self):
        in_use = current()
        info = GaugeMetricFamily("motcua_reference_version_info",
                                 "The reference data set in use (docs/reference-data.md); always 1",
                                 labels=["service", "version", "label", "sequence"])
        info.add_metric([self.service, in_use.version, in_use.label or "", str(in_use.sequence)], 1)
        yield info
