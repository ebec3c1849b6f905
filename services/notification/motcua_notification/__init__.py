"""motcua notification: tells the citizen, by SMS and e-mail, what happened to their dossier.

How a message travels (each step in its own module):

    event (intake, routing, postal)                      handlers.py, notice_drafts.py
      → notice: which template, with which values        notices.py (waits for the dossier's contact)
      → messages: one per channel and address, unique     models.py `messages`, the delivery ledger
        per (event, channel, recipient), rendered with
        the template's current version                   templates/
      → delivery job, outside the consumer transaction   delivery/dispatcher.py (quiet hours, hourly
        (claim with a lease, send, record)                 limit, opt-outs, retries, failover)
      → providers: SMTP; the HTTP SMS gateways of         providers/
        docs/contracts.md §6; Zalo ZNS when configured
      → receipts on a signed callback                    receipts.py, api/receipts/
      → vn.motcua.message.delivered / .failed (outbox)   delivery/ledger.py

Messages carry the dossier code, the status in plain words and the lookup link, never the citizen's
name, identity number or address. Statuses follow GOV.UK Notify: created, sending, delivered,
temporary-failure, permanent-failure, technical-failure (and cancelled, for an address that opted
out before its turn). `python -m motcua_notification.devsinks` runs the mail catcher and SMS sink
used by `make run`.
"""
