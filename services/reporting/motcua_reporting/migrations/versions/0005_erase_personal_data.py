"""erase personal data: the event store keeps no citizen's name, telephone, e-mail or address

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 17:00:00.000000

Reporting stored every event whole. From now on the personal fields are taken out before an event is
stored (motcua_shared.events.personal); this revision takes them out of the events stored before.
No figure depends on them (the projection reads codes, units, channels and times), so nothing needs
rebuilding. The lists are copied here as they were at this revision, so the upgrade does the same
thing whatever the catalogue later becomes.

The downgrade restores nothing: erased data is gone, which is the point.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PERSONAL = {
    'vn.motcua.dossier.submitted': ('applicant', 'delivery_address'),
    'vn.motcua.dossier.received': ('applicant', 'delivery_address'),
    'vn.motcua.postal.pickup.requested': ('pickup', 'delivery'),
}
HISTORY_IMPORTED = 'vn.motcua.history.imported'
PARTS_BATCH = 20  # a part holds up to a thousand dossiers: a few hundred kilobytes each

event_store = sa.table('event_store', sa.column('event_id', sa.String), sa.column('type', sa.String),
                       sa.column('data', sa.JSON))


def upgrade() -> None:
    bind = op.get_bind()
    for event_type, fields in PERSONAL.items():
        if bind.dialect.name == 'postgresql':
            # The column is `json`: `-` removes a key from `jsonb` only, hence the round trip.
            removed = ''.join(f" - '{name}'" for name in fields)
            op.execute(sa.text(f"UPDATE event_store SET data = (data::jsonb{removed})::json WHERE type = :type")
                       .bindparams(type=event_type))
        else:
            paths = ', '.join(f"'$.{name}'" for name in fields)
            op.execute(sa.text(f"UPDATE event_store SET data = json_remove(data, {paths}) WHERE type = :type")
                       .bindparams(type=event_type))
    _strip_imported_parts(bind)


def _strip_imported_parts(bind) -> None:
    """The dossier events inside each bulk import's part, whose personal fields sit lists deep."""
    last = ''
    while True:
        rows = bind.execute(sa.select(event_store.c.event_id, event_store.c.data)
                            .where(event_store.c.type == HISTORY_IMPORTED, event_store.c.event_id > last)
                            .order_by(event_store.c.event_id).limit(PARTS_BATCH)).all()
        if not rows:
            return
        for event_id, data in rows:
            stripped, changed = _part_without_personal(data)
            if changed:
                bind.execute(sa.update(event_store).where(event_store.c.event_id == event_id)
                             .values(data=stripped))
        last = rows[-1][0]


def _part_without_personal(part: dict) -> tuple[dict, bool]:
    changed = False
    for dossier in part.get('dossiers', []):
        for event in dossier.get('events', []):
            data = event.get('data') or {}
            for name in PERSONAL.get(event.get('type'), ()):
                if name in data:
                    del data[name]
                    changed = True
    return part, changed


def downgrade() -> None:
    pass
