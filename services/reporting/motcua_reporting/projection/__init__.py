"""The per-dossier projection: from lifecycle events to the facts and clock every report reads.

`timeline` turns an event into a time-stamped entry; `clock` holds a dossier's appointments and
pauses; `dossier` folds the SET of a dossier's entries into its row (order-independent by
construction); `store` applies one consumed event live; `rebuild` redoes it all from the event store.
"""
