"""progress history indexed by (item_id, ts, id): each item's last update before a date

Revision ID: 0005_i19_indexes
Revises: 0003_i18
Create Date: 2026-11-30 16:20:00

The Overview's "30 days earlier" reads each item's last update before a date, newest first by
(ts, id). On (item_id, ts) PostgreSQL probed the index and then sorted every probe on id
(Incremental Sort, 19,255 probes at 10,000 items / 200,000 updates); on (item_id, ts, id) each
probe is an Index Only Scan Backward with no sort. The new index serves every query the old
one did (its first two columns are the old one's), so the old one goes.
"""
from typing import Sequence, Union

from alembic import op

revision: str = '0005_i19_indexes'
down_revision: Union[str, None] = '0003_i18'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_progressupdate_item_ts_id', 'progressupdate', ['item_id', 'ts', 'id'], unique=False)
    op.drop_index('ix_progressupdate_item_ts', table_name='progressupdate')


def downgrade() -> None:
    op.create_index('ix_progressupdate_item_ts', 'progressupdate', ['item_id', 'ts'], unique=False)
    op.drop_index('ix_progressupdate_item_ts_id', table_name='progressupdate')
