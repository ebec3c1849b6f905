"""The per-dossier projection: from lifecycle events to the facts and clock every report reads.

`timeline` turns an event into a time-stamped entry; `clock` holds a dossier's appointments and
pauses; `dossier` folds the SET of a dossier's entries into its row (order-independent by
construction); `store` applies what the worker consumes (one event, or a bulk import's part opened
by `imported` into its dossier events); `rebuild` redoes it all from the event store.
"""
