"""a counter moved by triggers with every change to agreements, areas and organisations

Revision ID: 0006_i19_change_counters
Revises: 0005_i19_indexes
Create Date: 2026-11-30 19:10:00

The Overview keeps its slow-changing parts (area labels, the agreements table, the expiry
list) until the 'structure' counter moves; triggers move it in the same transaction as every
write to agreement, commitmentarea, organisation and agreementcounterpart (core/change_counters.py).
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

from core import change_counters

revision: str = '0006_i19_change_counters'
down_revision: Union[str, None] = '0005_i19_indexes'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'changecounter',
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )
    change_counters.create(op.get_bind())


def downgrade() -> None:
    change_counters.drop(op.get_bind())
    op.drop_table('changecounter')
