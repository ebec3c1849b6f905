"""Sending the ledger's messages: the status machine, the schedule rules, the dispatcher, the sweeps."""
