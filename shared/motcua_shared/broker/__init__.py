"""Broker topology, the system's wiring catalogue, connection parameters and administration."""
