"""a partial index of the sample action items: the sample banner's check on every page

Revision ID: 0007_i19_sample_index
Revises: 0006_i19_change_counters
Create Date: 2026-11-30 22:30:00

Every page asks whether sample items are loaded (the banner). Without an index that count read
every item: a sequential scan of 100,000 items took 25-36 ms on PostgreSQL on each rerun. The
index holds only the sample items (none in production), so the answer is one probe.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0007_i19_sample_index'
down_revision: Union[str, None] = '0006_i19_change_counters'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_actionitem_sample', 'actionitem', ['id'], unique=False,
                    postgresql_where=sa.text('is_sample'), sqlite_where=sa.text('is_sample'))


def downgrade() -> None:
    op.drop_index('ix_actionitem_sample', table_name='actionitem')
