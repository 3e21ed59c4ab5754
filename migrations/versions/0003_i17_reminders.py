"""reminders: a user's digest frequency, the sent-mail ledger, the secretariat's update requests

Revision ID: 0003_i17
Revises: 0002
Create Date: 2026-11-30 12:50:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

import models.base

revision: str = '0003_i17'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _ts(name: str, nullable: bool) -> sa.Column:
    return sa.Column(name, models.base.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    # Nullable: existing accounts keep the default (weekly for focal points, off otherwise).
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_frequency', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True))
    op.create_table(
        'sentmail',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recipient_id', sa.Integer(), nullable=False),
        sa.Column('recipient_email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('subject_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        _ts('claimed_at', False),
        _ts('sent_at', True),
        sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.ForeignKeyConstraint(['recipient_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('recipient_id', 'kind', 'subject_key', 'period', name='uq_sentmail_once'),
    )
    op.create_index('ix_sentmail_recipient_kind', 'sentmail', ['recipient_id', 'kind', 'sent_at'], unique=False)
    op.create_table(
        'updaterequest',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('window_end', sa.Date(), nullable=False),
        sa.Column('item_ids', sa.Text(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        _ts('requested_at', False),
        sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], ),
        sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('meeting_id'),
    )


def downgrade() -> None:
    op.drop_table('updaterequest')
    op.drop_index('ix_sentmail_recipient_kind', table_name='sentmail')
    op.drop_table('sentmail')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('digest_frequency')
