"""failed sign-ins per network address (the sign-in slow-down)

Revision ID: 0004_i14
Revises: 0003_i14
Create Date: 2026-11-30 13:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

from models.base import UTCDateTime

revision: str = '0004_i14'
down_revision: Union[str, None] = '0003_i14'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'signinthrottle',
        sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('first_failure_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_failure_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('blocked_until', UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('address'),
    )


def downgrade() -> None:
    op.drop_table('signinthrottle')
